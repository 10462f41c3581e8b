package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import store.code.schema.Model;
import store.code.schema.SchemaCompiler;

/**
 * Answers Postgres writes whole ({@code SqlAnswers}): every query here runs both ways and must answer the same bytes
 * ({@link TestApi#run}); these tests pick the values where the two ways of writing JSON part (string escapes,
 * doubles, timestamps, enums, cursors) and check which way each one took.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlAnswersTest {

  static final String NOTES = """
      enum Mood { HAPPY SAD }
      type Person @model {
        name: String!
        notes: [Note!]! @hasMany
      }
      type Note @model {
        text: String
        score: Float
        at: DateTime
        mood: Mood
        count: Int
        done: Boolean! @default(value: false)
        meta: JSON
        tags: [String!]
        person: Person @belongsTo
      }
      """;

  TestApi api;
  Model note;

  @BeforeAll
  void start() throws Exception {
    api = TestApi.start(NOTES);
    note = SchemaCompiler.compile(NOTES).model("Note").orElseThrow();
  }

  /** A fresh note with {@code field} set to {@code value} (a GraphQL literal), and its id. */
  String note(String field, String value) {
    return at(api.ok("mutation { createNote(input: {" + field + ": " + value + "}) { id } }"), "createNote.id");
  }

  /** Whether Postgres answered the query; the answer is compared with graphql-java's either way. */
  boolean answeredBySql(String query, Object... variables) {
    int before = TestApi.ANSWERED_FROM_SQL.get();
    api.run(query, variables);
    return TestApi.ANSWERED_FROM_SQL.get() > before;
  }

  String one(String id, String selection) {
    return "{ note(id: \"" + id + "\") { " + selection + " } }";
  }

  void set(String id, String column, String sqlValue) throws Exception {
    try (Connection c = api.dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE \"" + note.table() + "\" SET \"" + note.column(column).orElseThrow()
            .name() + "\" = " + sqlValue + " WHERE id = ?::uuid")) {
      ps.setString(1, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void stringsWithEveryEscapeAreAnsweredBySql() {
    for (String text : List.of("plain", "quote \\\" backslash \\\\ slash / tab \\t newline \\n", "ü 😀 ∑",
        "escape \\u001b and \\u0001 and \\u001f", "not an escape: \\\\u001b")) {
      String id = note("text", "\"" + text + "\"");
      assertThat(answeredBySql(one(id, "id text __typename"))).as(text).isTrue();
      assertThat(answeredBySql("query($id: ID!) { notes(where: {id: {eq: $id}}, orderBy: [{text: ASC}]) { edges { cursor "
          + "node { text } } } }", "id", id)).as("a cursor made of %s", text)
          .isEqualTo(!text.startsWith("escape") && !text.contains("😀")); // control characters, UTF-16 halves
    }
  }

  @Test
  void doublesInThePlainRangeAreAnsweredBySqlTheRestByGraphqlJava() {
    Map<String, Boolean> bySql = Map.of("3", true, "-2.5", true, "0.1", true, "0.30000000000000004", true, "0", true,
        "-0.0", true, "1234567.5", true, "0.001", true, "1e-4", false, "1e20", false);
    bySql.forEach((value, sql) -> {
      String id = note("score", value);
      assertThat(answeredBySql(one(id, "score"))).as(value).isEqualTo(sql);
      boolean cursorBySql = !value.equals("1e-4") && !value.equals("1e20");
      assertThat(answeredBySql("query($id: ID!) { notes(where: {id: {eq: $id}}, orderBy: [{score: DESC}]) { pageInfo { "
          + "endCursor } } }", "id", id)).as("a cursor made of %s", value).isEqualTo(cursorBySql);
    });
  }

  @Test
  void timestampsOutsideYearsOneToNineThousandAreLeftToGraphqlJava() throws Exception {
    String id = note("at", "\"2026-11-24T10:00:00.5+02:00\"");
    assertThat(answeredBySql(one(id, "at createdAt"))).isTrue();
    assertThat(at(api.ok(one(id, "at")), "note.at").toString()).isEqualTo("2026-11-24T08:00:00.500000Z");
    set(id, "at", "'10000-01-01 00:00:00+00'");
    assertThat(answeredBySql(one(id, "at"))).as("an error, as graphql-java answers").isFalse();
    set(id, "at", "'infinity'");
    assertThat(answeredBySql(one(id, "at"))).isFalse();
  }

  @Test
  void aStoredNameOutsideTheEnumIsGraphqlJavasErrorAsBefore() throws Exception {
    String id = note("mood", "HAPPY");
    assertThat(answeredBySql(one(id, "mood"))).isTrue();
    set(id, "mood", "'ANGRY'");
    assertThat(answeredBySql(one(id, "mood"))).isFalse();
    assertThat(api.errors(one(id, "mood"))).isNotEmpty();
  }

  @Test
  void jsonListsAndIntrospectionGoGraphqlJavasWayBesideSqlAnswersInOneResponse() {
    String id = note("meta", "{a: [1, 2.50, \"x\"]}");
    assertThat(answeredBySql(one(id, "meta"))).isFalse();
    assertThat(answeredBySql(one(id, "tags"))).isFalse();
    String mixed = "{ n: note(id: \"" + id + "\") { meta } __typename total: notes { totalCount } "
        + "__schema { queryType { name } } }";
    assertThat(answeredBySql(mixed)).as("notes by SQL, the rest by graphql-java").isTrue();
    assertThat(api.ok(mixed).keySet()).containsExactly("n", "__typename", "total", "__schema");
  }

  @Test
  void fragmentsAliasesDirectivesAndVariablesAreTheNormalizedSelection() {
    String ann = at(api.ok("mutation { createPerson(input: {name: \"Ann\"}) { id } }"), "createPerson.id");
    for (int i = 0; i < 3; i++) {
      api.ok("mutation($p: ID!) { createNote(input: {text: \"n" + i + "\", count: " + i + ", personId: $p}) { id } }", "p", ann);
    }
    String query = """
        query($skip: Boolean!, $first: Int) {
          persons { edges { node { ...P } } }
          again: persons { e: edges { node { name n: notes(first: $first, orderBy: [{count: DESC}]) { count } } } }
        }
        fragment P on Person { name notes(first: $first) @skip(if: $skip) { text person { name } } __typename }
        """;
    assertThat(answeredBySql(query, "skip", false, "first", 2)).isTrue();
    assertThat(answeredBySql(query, "skip", true, "first", 1)).isTrue();
    assertThat((List<?>) at(api.ok(query, "skip", false, "first", 2), "persons.edges.0.node.notes")).hasSize(2);
  }

  @Test
  void pagesOfSqlCursorsVisitEveryRowOnce() {
    for (int i = 0; i < 5; i++) {
      note("count", String.valueOf(100 + i));
    }
    String page = "query($after: String) { notes(first: 2, after: $after, where: {count: {gte: 100}}, orderBy: [{count: ASC}])"
        + " { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { count } } } }";
    List<Object> seen = new java.util.ArrayList<>();
    String after = null;
    boolean more = true;
    while (more) {
      assertThat(answeredBySql(page, "after", after)).isTrue();
      Map<String, Object> data = api.ok(page, "after", after);
      ((List<?>) at(data, "notes.edges")).forEach(e -> seen.add(at(e, "node.count")));
      more = at(data, "notes.pageInfo.hasNextPage");
      after = at(data, "notes.pageInfo.endCursor");
    }
    assertThat(seen).containsExactly(100, 101, 102, 103, 104);
  }

  @Test
  void anAnswerIsOneStatementAndABadArgumentIsGraphqlJavasError() {
    long before = api.db.statements();
    assertThat(answeredBySql("{ notes(first: 3) { edges { node { id person { name notes { text } } } } } }")).isTrue();
    assertThat(api.db.statements() - before).isEqualTo(1);
    assertThat(api.errorCode("{ note(id: \"not-a-uuid\") { id } }")).isEqualTo("BAD_USER_INPUT");
    assertThat(api.errorCode("{ notes(first: 5000) { totalCount } }")).isEqualTo("BAD_USER_INPUT");
  }
}
