package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;

import org.junit.jupiter.api.Test;

import store.code.runtime.files.Files;
import store.code.runtime.graphql.Engine;
import store.code.runtime.sql.Db;
import store.code.runtime.sql.Sql;

/**
 * What one request may cost is bounded: depth, complexity, tokens, root fields, aliases, statement and request time,
 * response size. Each test asks as a hostile caller would, and checks the answer's code and that the database was
 * spared what it should be.
 */
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
    assertThat(api.errorCode(deep)).isEqualTo("QUERY_TOO_DEEP");
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

  /** A cost that wraps around in {@code int}: 1000 x 1000 x 1000 x 999 nested rows came out as -726,376,967. */
  @Test
  void aCostTooLargeForAnIntIsRefusedNotWrappedAround() throws Exception {
    TestApi api = TestApi.start(SDL);
    long before = api.db.statements();
    String wraps = "{ nodes(first: 1000) { edges { node { children(first: 1000) { children(first: 1000) { "
        + "children(first: 999) { name } } } } } } }";
    assertThat(api.error(wraps)).contains("maximum query complexity exceeded");
    assertThat(api.errorCode(wraps)).isEqualTo("QUERY_TOO_COMPLEX");
    assertThat(api.db.statements()).isEqualTo(before);
  }

  @Test
  void aNestedListWithoutFirstIsOnePageInSqlAndCostedAsOne() throws Exception {
    TestApi api = TestApi.start(SDL);
    try (Connection c = api.dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
      st.execute("INSERT INTO node (name) VALUES ('root')");
      st.execute("INSERT INTO node (name, parent_id) SELECT 'child ' || i, (SELECT id FROM node WHERE name = 'root') "
          + "FROM generate_series(1, 150) i");
    }
    java.util.Map<String, Object> r = api.ok("{ nodes(where: {name: {eq: \"root\"}}) { edges { node { children { name } } } } }");
    assertThat((java.util.List<?>) TestApi.at(r, "nodes.edges.0.node.children")).as("a page, not all 150").hasSize(100);
    assertThat((java.util.List<?>) TestApi.at(api.ok("{ nodes(where: {name: {eq: \"root\"}}) { edges { node { "
        + "children(first: 150) { name } } } } }"), "nodes.edges.0.node.children")).hasSize(150);
    assertThat(api.error("{ nodes(first: 1000) { edges { node { children { children { name } } } } } }"))
        .as("100 x 100 per node (about 10 million), not 10 x 10 (about 113 thousand)").contains("maximum query complexity exceeded");
  }

  @Test
  void moreRootFieldsThanTheLimitAreRefusedBeforeAnyStatement() throws Exception {
    TestApi api = TestApi.start(SDL);
    long before = api.db.statements();
    StringBuilder many = new StringBuilder("{ ");
    for (int i = 0; i < 900; i++) {
      many.append("c").append(i).append(": nodes { totalCount } ");
    }
    assertThat(api.errorCode(many + "}")).isEqualTo("TOO_MANY_ROOT_FIELDS");
    assertThat(api.error(many + "}")).contains("900 root fields").contains("at most 20");
    String spread = "{ ...a ...b } fragment a on Query { " + roots("a", 11) + " } fragment b on Query { " + roots("b", 10) + " }";
    assertThat(api.errorCode(spread)).as("fragments are expanded").isEqualTo("TOO_MANY_ROOT_FIELDS");
    assertThat(api.db.statements()).as("nothing ran").isEqualTo(before);
    api.ok("{ " + roots("r", 20) + " }");
    assertThat(api.db.statements()).isEqualTo(before + 20);
  }

  @Test
  void moreAliasesThanTheLimitAreRefusedWhereverTheyAre() throws Exception {
    TestApi api = TestApi.start(SDL);
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      names.append("n").append(i).append(": name ");
    }
    assertThat(api.errorCode("{ nodes { edges { node { " + names + "} } } }")).isEqualTo("TOO_MANY_ALIASES");
    assertThat(api.errorCode("{ nodes { edges { node { ...f } } } } fragment f on Node { " + names + "}"))
        .isEqualTo("TOO_MANY_ALIASES");
    api.ok("{ nodes { edges { node { " + names.substring(0, names.lastIndexOf("n20")) + "} } } }");
  }

  static String roots(String prefix, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(prefix).append(i).append(": nodes { totalCount } ");
    }
    return b.toString();
  }

  /**
   * The table is locked by another transaction, so every statement waits: the first root field is cancelled by
   * Postgres at the request's deadline (1 s, under the 5 s statement timeout) and the second is not even sent.
   */
  @Test
  void aRequestPastItsDeadlineAnswersRequestTimeoutForWhatIsLeft() throws Exception {
    TestApi first = TestApi.start(SDL);
    TestApi api = TestApi.on(first.database, first.dataSource, SDL, Files.disabled(),
        Engine.Limits.defaults().withRequestTimeout(java.time.Duration.ofSeconds(1)));
    try (Connection lock = first.dataSource.getConnection(); java.sql.Statement st = lock.createStatement()) {
      lock.setAutoCommit(false);
      st.execute("LOCK TABLE node IN ACCESS EXCLUSIVE MODE");
      long start = System.nanoTime();
      long before = api.db.statements();
      java.util.List<java.util.Map<String, Object>> errors = api.errors("{ a: nodes { totalCount } b: nodes { totalCount } }");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e.get("extensions").toString()).contains("REQUEST_TIMEOUT"));
      assertThat(errors.get(0).get("message").toString()).contains("limit of 1.0 s");
      assertThat(api.db.statements() - before).as("the second field never reached the database").isEqualTo(1);
      assertThat(millis).as("answered at the deadline, not after two statement timeouts").isBetween(900L, 3000L);
      lock.rollback();
    }
    api.ok("{ nodes { totalCount } }");
  }

  @Test
  void anAnswerLongerThanTheCapIsRefusedNotBuilt() throws Exception {
    TestApi first = TestApi.start(SDL);
    TestApi api = TestApi.on(first.database, first.dataSource, SDL, Files.disabled(),
        Engine.Limits.defaults().withMaxResponseBytes(4000));
    try (Connection c = api.dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
      st.execute("INSERT INTO node (name) SELECT repeat('x', 100) || i FROM generate_series(1, 100) i");
    }
    assertThat(api.errorCode("{ nodes { edges { node { name } } } }")).isEqualTo("RESPONSE_TOO_LARGE");
    assertThat(api.error("{ nodes { edges { node { name } } } }")).contains("over the limit of 4000");
    api.ok("{ nodes(first: 5) { edges { node { name } } } }");
  }

  @Test
  void limitsThatCannotHoldTogetherAreRefusedByName() {
    assertThatThrownBy(() -> new Engine.Limits(12, 1_000_000, 15_000, 0, 20, java.time.Duration.ofSeconds(15), 1000))
        .hasMessageContaining("maxRootFields must be positive, not 0");
    assertThatThrownBy(() -> Engine.Limits.defaults().withRequestTimeout(java.time.Duration.ZERO))
        .hasMessageContaining("requestTimeout must be positive");
  }

  @Test
  void oversizedDocumentsAreRefusedByTheParser() throws Exception {
    TestApi first = TestApi.start(SDL);
    TestApi api = TestApi.on(first.database, first.dataSource, SDL, Files.disabled(), Engine.Limits.defaults().withTokens(200));
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
