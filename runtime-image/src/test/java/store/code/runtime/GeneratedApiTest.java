package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every generated operation against a real Postgres, with its edge cases. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedApiTest {

  static final String LIBRARY = """
      type Author @model {
        name: String! @unique
        born: Int
        books: [Book!]! @hasMany
        profile: Profile @hasOne
      }
      enum Genre { NOVEL POETRY ESSAY }
      type Book @model {
        title: String! @index
        pages: Int
        rating: Float
        inPrint: Boolean! @default(value: true)
        genre: Genre! @default(value: NOVEL)
        publishedAt: DateTime
        tags: [String!]
        meta: JSON
        author: Author! @belongsTo
        reviews: [Review!]! @hasMany
      }
      type Review @model {
        book: Book! @belongsTo(onDelete: CASCADE)
        stars: Int!
        text: String
      }
      type Profile @model {
        author: Author @belongsTo(onDelete: SET_NULL)
        bio: String
      }
      """;

  TestApi api;

  @BeforeAll
  void start() throws Exception {
    api = TestApi.start(LIBRARY);
  }

  String author(String name, Integer born) {
    return author(api, name, born);
  }

  static String author(TestApi api, String name, Integer born) {
    return at(api.ok("mutation($n: String!, $b: Int) { createAuthor(input: {name: $n, born: $b}) { id } }", "n", name, "b", born),
        "createAuthor.id");
  }

  String book(String authorId, String title, Integer pages) {
    return book(api, authorId, title, pages);
  }

  static String book(TestApi api, String authorId, String title, Integer pages) {
    return at(api.ok("mutation($a: ID!, $t: String!, $p: Int) { createBook(input: {authorId: $a, title: $t, pages: $p}) { id } }",
        "a", authorId, "t", title, "p", pages), "createBook.id");
  }

  @Test
  void createsReadsAndFollowsRelationsBothWays() {
    String a = author("Ursula", 1929);
    Map<String, Object> created = api.ok("""
        mutation($a: ID!) {
          createBook(input: {authorId: $a, title: "The Dispossessed", pages: 387, rating: 4.5,
                             publishedAt: "1974-05-01T00:00:00+02:00", tags: ["sf", "utopia"], meta: {isbn: "0-06-012563-2", editions: [1, 2]}}) {
            id title pages rating inPrint genre publishedAt tags meta createdAt updatedAt
            authorId author { name born }
          }
        }""", "a", a);
    Map<String, Object> b = at(created, "createBook");
    assertThat(b).containsEntry("title", "The Dispossessed").containsEntry("pages", 387).containsEntry("rating", 4.5)
        .containsEntry("inPrint", true).containsEntry("genre", "NOVEL").containsEntry("authorId", a)
        .containsEntry("publishedAt", "1974-04-30T22:00:00.000000Z").containsEntry("tags", List.of("sf", "utopia"))
        .containsEntry("meta", Map.of("isbn", "0-06-012563-2", "editions", List.of(1, 2)));
    assertThat((String) b.get("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(at(b, "author.name").toString()).isEqualTo("Ursula");

    Map<String, Object> back = api.ok("query($id: ID!) { author(id: $id) { name books { title author { name } } } }", "id", a);
    assertThat(at(back, "author.books.0.title").toString()).isEqualTo("The Dispossessed");
    assertThat(at(back, "author.books.0.author.name").toString()).isEqualTo("Ursula");
  }

  @Test
  void anUnknownIdIsNullAndAMalformedOneIsABadInput() {
    assertThat(api.ok("{ author(id: \"00000000-0000-0000-0000-000000000000\") { name } }").get("author")).isNull();
    assertThat(api.error("{ author(id: \"42\") { name } }")).contains("\"42\" is not an ID");
    assertThat(api.errorCode("{ author(id: \"42\") { name } }")).isEqualTo("BAD_USER_INPUT");
  }

  @Test
  void updateChangesOnlyTheFieldsGiven() {
    String a = author("Update Me", 1950);
    Map<String, Object> r = api.ok("mutation($id: ID!) { updateAuthor(id: $id, input: {born: 1951}) { name born } }", "id", a);
    assertThat(at(r, "updateAuthor.name").toString()).isEqualTo("Update Me");
    assertThat((Integer) at(r, "updateAuthor.born")).isEqualTo(1951);
    r = api.ok("mutation($id: ID!) { updateAuthor(id: $id, input: {born: null}) { born } }", "id", a);
    assertThat((Object) at(r, "updateAuthor.born")).isNull();
    assertThat(api.error("mutation($id: ID!) { updateAuthor(id: $id, input: {name: null}) { born } }", "id", a))
        .isEqualTo("Author.name cannot be null");
    assertThat(api.errorCode("mutation { updateAuthor(id: \"00000000-0000-0000-0000-000000000001\", input: {born: 1}) { born } }"))
        .isEqualTo("NOT_FOUND");
  }

  @Test
  void constraintErrorsNameTheFields() {
    author("Unique Name", null);
    assertThat(api.error("mutation { createAuthor(input: {name: \"Unique Name\"}) { id } }"))
        .isEqualTo("Author.name must be unique: \"Unique Name\" is already taken");
    assertThat(api.error("mutation { createBook(input: {authorId: \"00000000-0000-0000-0000-000000000002\", title: \"x\"}) { id } }"))
        .isEqualTo("Book.authorId: no Author has id 00000000-0000-0000-0000-000000000002");
    assertThat(api.error("mutation { createBook(input: {title: \"x\"}) { id } }"))
        .contains("authorId").contains("is missing");
  }

  @Test
  void deletingAReferencedRowFailsNamingTheReferencesUnlessTheRelationCascades() {
    String a = author("Referenced", null);
    String b1 = book(a, "One", 10);
    book(a, "Two", 20);
    api.ok("mutation($b: ID!) { createReview(input: {bookId: $b, stars: 5}) { id } }", "b", b1);
    api.ok("mutation($a: ID!) { createProfile(input: {authorId: $a, bio: \"hi\"}) { id } }", "a", a);

    List<Map<String, Object>> errors = api.errors("mutation($a: ID!) { deleteAuthor(id: $a) }", "a", a);
    assertThat(errors.get(0).get("message").toString())
        .isEqualTo("Author " + a + " is still referenced by 2 Book (Book.author): delete or re-point those first, "
            + "or declare the relation @belongsTo(onDelete: CASCADE) or SET_NULL");
    assertThat(at(errors.get(0), "extensions.code").toString()).isEqualTo("CONFLICT");
    assertThat((List<?>) at(api.ok("query($a: ID!) { author(id: $a) { books { title } } }", "a", a), "author.books")).hasSize(2);

    // CASCADE: the review goes with its book
    assertThat((Boolean) at(api.ok("mutation($b: ID!) { deleteBook(id: $b) }", "b", b1), "deleteBook")).isTrue();
    assertThat((Integer) at(api.ok("{ reviews { totalCount } }"), "reviews.totalCount")).isZero();
    assertThat((Boolean) at(api.ok("mutation($b: ID!) { deleteBook(id: $b) }", "b", b1), "deleteBook"))
        .as("nothing left to delete").isFalse();

    // SET_NULL: the profile stays, pointing nowhere
    api.ok("mutation($a: ID!) { deleteBook(id: $a) }", "a", at(api.ok("query($a: ID!) { author(id: $a) { books { id } } }", "a", a), "author.books.0.id"));
    assertThat((Boolean) at(api.ok("mutation($a: ID!) { deleteAuthor(id: $a) }", "a", a), "deleteAuthor")).isTrue();
    Map<String, Object> profiles = api.ok("{ profiles(where: {bio: {eq: \"hi\"}}) { edges { node { bio authorId author { name } } } } }");
    assertThat((Object) at(profiles, "profiles.edges.0.node.authorId")).isNull();
  }

  @Test
  void sqlKeywordsAsTypeAndFieldNamesWorkBecauseIdentifiersAreQuoted() throws Exception {
    TestApi keywords = TestApi.start("""
        type Order @model { select: String!  from: Int  user: String @index  group: Group @belongsTo }
        type Group @model { where: String  orders: [Order!]! @hasMany }
        """);
    String g = at(keywords.ok("mutation { createGroup(input: {where: \"here\"}) { id } }"), "createGroup.id");
    keywords.ok("mutation($g: ID!) { createOrder(input: {select: \"*\", from: 1, user: \"u\", groupId: $g}) { id } }", "g", g);
    Map<String, Object> r = keywords.ok("{ orders(where: {select: {eq: \"*\"}}, orderBy: [{from: DESC}]) "
        + "{ edges { node { select from user group { where orders { select } } } } } }");
    assertThat(at(r, "orders.edges.0.node.group.orders.0.select").toString()).isEqualTo("*");
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Lists {
    TestApi lists;
    String ann;

    @BeforeAll
    void seed() throws Exception {
      lists = TestApi.start(LIBRARY);
      ann = author(lists, "Ann", 1900);
      String bob = author(lists, "Bob", null);
      // pages: 10..90, one null; titles share prefixes for startsWith/contains
      int[] pages = {50, 10, 90, 30, 70};
      for (int i = 0; i < pages.length; i++) {
        book(lists, ann, "Alpha " + i, pages[i]);
      }
      book(lists, bob, "Beta 100% sure", null);
      book(lists, bob, "O'Reilly's", 20);
    }

    List<String> titles(String where) {
      Map<String, Object> r = lists.ok("{ books(where: " + where + ", orderBy: [{title: ASC}]) { edges { node { title } } } }");
      List<Map<String, Object>> edges = at(r, "books.edges");
      return edges.stream().map(e -> at(e, "node.title").toString()).toList();
    }

    @Test
    void everyFilterOperator() {
      assertThat(titles("{pages: {eq: 50}}")).containsExactly("Alpha 0");
      assertThat(titles("{pages: {ne: 50}}")).as("ne matches nulls too").hasSize(6).contains("Beta 100% sure");
      assertThat(titles("{pages: {lt: 30}}")).containsExactly("Alpha 1", "O'Reilly's");
      assertThat(titles("{pages: {lte: 30}}")).containsExactly("Alpha 1", "Alpha 3", "O'Reilly's");
      assertThat(titles("{pages: {gt: 70}}")).containsExactly("Alpha 2");
      assertThat(titles("{pages: {gte: 70}}")).containsExactly("Alpha 2", "Alpha 4");
      assertThat(titles("{pages: {in: [10, 90]}}")).containsExactly("Alpha 1", "Alpha 2");
      assertThat(titles("{pages: {in: []}}")).isEmpty();
      assertThat(titles("{pages: {isNull: true}}")).containsExactly("Beta 100% sure");
      assertThat(titles("{pages: {isNull: false}}")).hasSize(6);
      assertThat(titles("{title: {contains: \"100%\"}}")).as("% is a character, not a wildcard").containsExactly("Beta 100% sure");
      assertThat(titles("{title: {contains: \"%\"}}")).containsExactly("Beta 100% sure");
      assertThat(titles("{title: {startsWith: \"Alpha\"}}")).hasSize(5);
      assertThat(titles("{title: {startsWith: \"_\"}}")).isEmpty();
      assertThat(titles("{genre: {eq: NOVEL}}")).hasSize(7);
      assertThat(titles("{inPrint: {eq: false}}")).isEmpty();
      assertThat(titles("{authorId: {eq: \"" + ann + "\"}}")).hasSize(5);
      assertThat(titles("{createdAt: {lt: \"2999-01-01T00:00:00Z\"}}")).hasSize(7);
    }

    @Test
    void combinatorsAndNulls() {
      assertThat(titles("{or: [{pages: {eq: 10}}, {pages: {eq: 90}}]}")).containsExactly("Alpha 1", "Alpha 2");
      assertThat(titles("{and: [{pages: {gt: 10}}, {pages: {lt: 70}}]}")).containsExactly("Alpha 0", "Alpha 3", "O'Reilly's");
      assertThat(titles("{not: {title: {startsWith: \"Alpha\"}}}")).containsExactly("Beta 100% sure", "O'Reilly's");
      assertThat(titles("{pages: {gt: 10}, title: {startsWith: \"Alpha\"}}")).hasSize(4);
      assertThat(titles("{or: []}")).isEmpty();
      assertThat(titles("{and: []}")).hasSize(7);
      assertThat(titles("{pages: {eq: null}}")).as("a null operator is ignored").hasSize(7);
      assertThat(titles("{pages: null}")).hasSize(7);
      assertThat(titles("{}")).hasSize(7);
    }

    @Test
    void valuesAreBoundNeverSpliced() {
      assertThat(titles("{title: {eq: \"O'Reilly's\"}}")).containsExactly("O'Reilly's");
      assertThat(titles("{title: {eq: \"x'); DROP TABLE book; --\"}}")).isEmpty();
      assertThat(titles("{title: {in: [\"a\\\", \\\"b\", \"'\"]}}")).isEmpty();
      assertThat(titles("{}")).as("the table is still there").hasSize(7);
      assertThat(lists.error("{ books(where: {title: {eq: \"x\"}, pages: {eq: \"1; DROP TABLE book\"}}) { totalCount } }"))
          .contains("Int");
      assertThat(lists.error("{ books(orderBy: [{title: ASC, \"; DROP\": ASC}]) { totalCount } }")).contains("Invalid syntax");
      assertThat(lists.error("{ books(orderBy: [{nope: ASC}]) { totalCount } }")).contains("nope");
    }

    @Test
    void orderByOneFieldPerEntryWithNullsLastAscending() {
      Map<String, Object> r = lists.ok("{ books(orderBy: [{pages: ASC}]) { edges { node { pages } } } }");
      List<Object> pages = ((List<Map<String, Object>>) at(r, "books.edges")).stream().map(e -> (Object) at(e, "node.pages")).toList();
      assertThat(pages).containsExactly(10, 20, 30, 50, 70, 90, null);
      r = lists.ok("{ books(orderBy: [{authorId: DESC}, {pages: DESC}]) { edges { node { pages } } } }");
      assertThat(((List<Map<String, Object>>) at(r, "books.edges"))).hasSize(7);
      assertThat(lists.error("{ books(orderBy: [{pages: ASC, title: DESC}]) { totalCount } }"))
          .contains("exactly one field").contains("title", "pages");
      assertThat(lists.error("{ books(orderBy: [{}]) { totalCount } }")).contains("exactly one field");
    }

    @Test
    void pagesWithCursorsVisitEveryRowOnceInEveryOrder() {
      for (String order : List.of("[]", "[{pages: DESC}]", "[{pages: ASC}]", "[{title: DESC}, {pages: ASC}]", "[{createdAt: ASC}]")) {
        List<String> seen = new ArrayList<>();
        String after = null;
        boolean next = true;
        int pages = 0;
        while (next) {
          Map<String, Object> r = lists.ok("query($after: String) { books(orderBy: " + order + ", first: 2, after: $after) { "
              + "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { title } } } }", "after", after);
          List<Map<String, Object>> edges = at(r, "books.edges");
          edges.forEach(e -> seen.add(at(e, "node.title")));
          next = at(r, "books.pageInfo.hasNextPage");
          after = at(r, "books.pageInfo.endCursor");
          assertThat((Integer) at(r, "books.totalCount")).isEqualTo(7);
          if (!edges.isEmpty()) {
            assertThat(after).isEqualTo(at(edges.get(edges.size() - 1), "cursor"));
          }
          pages++;
        }
        assertThat(seen).as("order %s", order).hasSize(7).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(4);
      }
    }

    @Test
    void pageBoundaries() {
      Map<String, Object> none = lists.ok("{ books(first: 0) { edges { node { title } } pageInfo { hasNextPage endCursor } } }");
      assertThat((List<?>) at(none, "books.edges")).isEmpty();
      assertThat((Boolean) at(none, "books.pageInfo.hasNextPage")).isTrue();
      assertThat((Object) at(none, "books.pageInfo.endCursor")).isNull();
      Map<String, Object> all = lists.ok("{ books(first: 7) { edges { node { title } } pageInfo { hasNextPage } } }");
      assertThat((List<?>) at(all, "books.edges")).hasSize(7);
      assertThat((Boolean) at(all, "books.pageInfo.hasNextPage")).isFalse();
      Map<String, Object> empty = lists.ok("{ books(where: {pages: {gt: 1000}}) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }");
      assertThat((List<?>) at(empty, "books.edges")).isEmpty();
      assertThat((Integer) at(empty, "books.totalCount")).isZero();
      assertThat(lists.error("{ books(first: -1) { totalCount } }")).contains("first: -1 is out of range");
      assertThat(lists.error("{ books(first: 1001) { totalCount } }")).contains("0 to 1000");
      assertThat(lists.error("{ books(after: \"not a cursor\") { totalCount } }")).contains("is not a cursor of Book");
      String cursor = at(lists.ok("{ books(first: 1) { pageInfo { endCursor } } }"), "books.pageInfo.endCursor");
      assertThat(lists.error("query($c: String) { books(orderBy: [{pages: DESC}], after: $c) { totalCount } }", "c", cursor))
          .contains("made for another orderBy");
      String signature = new String(java.util.Base64.getUrlDecoder().decode(cursor)).replaceFirst("^\\[(\"[^\"]*\").*", "$1");
      for (String forged : List.of("null", "42", "{}", "[]", "[" + signature + "]", "[" + signature + ", {\"a\": 1}, 2]",
          "[" + signature + ", \"not a date\", \"00000000-0000-0000-0000-000000000000\"]",
          "[" + signature + ", true, \"00000000-0000-0000-0000-000000000000\"]", "[" + signature + ", 1e400, \"not a uuid\"]")) {
        String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes());
        assertThat(lists.errorCode("query($c: String) { books(after: $c) { totalCount } }", "c", encoded))
            .as("forged cursor %s", forged).isEqualTo("BAD_USER_INPUT");
      }
    }

    @Test
    void nestedListsTakeWhereOrderByAndFirst() {
      Map<String, Object> r = lists.ok("query($a: ID!) { author(id: $a) { "
          + "top: books(orderBy: [{pages: DESC}], first: 2) { pages } "
          + "small: books(where: {pages: {lt: 40}}) { pages } "
          + "none: books(where: {pages: {gt: 1000}}) { pages } } }", "a", ann);
      assertThat(((List<Map<String, Object>>) at(r, "author.top")).stream().map(b -> b.get("pages")).toList()).containsExactly(90, 70);
      assertThat(((List<Map<String, Object>>) at(r, "author.small")).stream().map(b -> b.get("pages")).toList())
          .containsExactlyInAnyOrder(10, 30);
      assertThat((List<?>) at(r, "author.none")).isEmpty();
    }

    @Test
    void aliasesAndFragmentsSelectIndependently() {
      Map<String, Object> r = lists.ok("""
          { a: books(first: 1, orderBy: [{pages: ASC}]) { edges { n: node { ...T } } }
            b: books(first: 1, orderBy: [{pages: DESC}]) { e: edges { node { p: pages } } x: edges { node { t: title } } }
          }
          fragment T on Book { title pages author { name } }""");
      assertThat(at(r, "a.edges.0.n.title").toString()).isEqualTo("Alpha 1");
      assertThat(at(r, "a.edges.0.n.author.name").toString()).isEqualTo("Ann");
      assertThat((Object) at(r, "b.e.0.node.p")).isNull();
      assertThat(at(r, "b.x.0.node.t").toString()).isEqualTo("Beta 100% sure");
    }
  }
}
