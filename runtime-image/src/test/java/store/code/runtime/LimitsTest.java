package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;

import org.junit.jupiter.api.Test;

import store.code.runtime.files.Files;
import store.code.runtime.graphql.Engine;
import store.code.runtime.sql.Db;
import store.code.runtime.sql.Sql;

/** What one request may cost is bounded: depth, complexity, tokens, statement time. */
class LimitsTest {

  static final String SDL = """
      type Node @model { name: String  parent: Node @belongsTo  children: [Node!]! @hasMany(field: "parent") }
      """;

  @Test
  void deepQueriesAreRefusedBeforeTouchingTheDatabase() throws Exception {
    TestApi api = TestApi.start(SDL);
    String deep = "{ nodes { edges { node { " + "children { ".repeat(12) + "name" + " }".repeat(12) + " } } } }";
    long before = api.db.statements();
    assertThat(api.error(deep)).contains("maximum query depth exceeded");
    assertThat(api.error(deep)).as("repeated: the parsed-document cache does not skip the limit")
        .contains("maximum query depth exceeded");
    assertThat(api.db.statements()).isEqualTo(before);
  }

  @Test
  void complexQueriesAreRefused() throws Exception {
    TestApi api = TestApi.start(SDL);
    assertThat(api.error("{ nodes(first: 1000) { edges { node { children(first: 1000) { name } } } } }"))
        .contains("maximum query complexity exceeded");
    api.ok("{ nodes(first: 10) { edges { node { children(first: 10) { name } } } } }");
  }

  @Test
  void oversizedDocumentsAreRefusedByTheParser() throws Exception {
    TestApi first = TestApi.start(SDL);
    TestApi api = TestApi.on(first.database, first.dataSource, SDL, Files.disabled(), new Engine.Limits(12, 20_000, 200));
    String big = "{ " + "a: nodes { totalCount } ".repeat(50) + "}";
    assertThat(api.error(big)).contains("200");
    assertThat(api.error(big)).as("refused again when repeated").contains("200");
  }

  @Test
  void aStatementRunningPastTheTimeoutIsCancelled() throws Exception {
    TestApi api = TestApi.start(SDL);
    Db db = new Db(api.dataSource, 1);
    try (Connection c = db.connect()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> db.strings(c, new Sql().append("SELECT pg_sleep(5)::text")))
          .isInstanceOf(ApiError.class).hasMessageContaining("longer than the limit of 1 s");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
    }
  }
}
