package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A query costs one SQL statement per root field, however many rows and levels it reads. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryCostTest {

  TestApi api;

  @BeforeAll
  void seed() throws Exception {
    api = TestApi.start(GeneratedApiTest.LIBRARY);
    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO author (name, born) SELECT 'author ' || i, 1900 + i FROM generate_series(1, 40) i");
      st.execute("INSERT INTO book (title, pages, author_id) SELECT 'book ' || a.name || ' ' || i, i * 10, a.id "
          + "FROM author a, generate_series(1, 10) i");
      st.execute("INSERT INTO review (book_id, stars) SELECT b.id, 1 + i % 5 FROM book b, generate_series(1, 5) i");
    }
  }

  long statements(String query) {
    long before = api.db.statements();
    api.ok(query);
    return api.db.statements() - before;
  }

  @Test
  void threeLevelsOfTwoThousandRowsIsOneStatement() {
    String query = "{ authors(first: 40) { totalCount edges { cursor node { name books { title reviews { stars } } } } } }";
    assertThat(statements(query)).isEqualTo(1);
    Map<String, Object> r = api.ok(query);
    List<Map<String, Object>> edges = at(r, "authors.edges");
    assertThat(edges).hasSize(40);
    assertThat(edges).allSatisfy(e -> {
      List<Map<String, Object>> books = at(e, "node.books");
      assertThat(books).hasSize(10).allSatisfy(b -> assertThat((List<?>) b.get("reviews")).hasSize(5));
    });
  }

  @Test
  void upAndDownTheRelationsIsStillOneStatementPerRootField() {
    assertThat(statements("{ reviews(first: 200) { edges { node { stars book { title author { name books(first: 3) { title } } } } } } }"))
        .isEqualTo(1);
    assertThat(statements("{ a: authors(first: 5) { edges { node { name } } } b: books(first: 5) { totalCount } }"))
        .isEqualTo(2);
  }

  @Test
  void aMutationReturningNestedDataCostsTheWriteAndOneRead() {
    String author = at(api.ok("{ authors(first: 1) { edges { node { id } } } }"), "authors.edges.0.node.id");
    assertThat(statements("mutation { createBook(input: {authorId: \"" + author + "\", title: \"new\"}) "
        + "{ id author { name books { title reviews { stars } } } } }")).isEqualTo(2);
  }
}
