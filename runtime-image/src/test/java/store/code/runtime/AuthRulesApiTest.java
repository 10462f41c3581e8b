package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import store.code.runtime.auth.Identity;
import store.code.runtime.graphql.Engine;

/**
 * {@code @auth} rules compiled into the one statement per root field, against a real Postgres: owners read and change
 * only their rows, directly, through nested relations and through maker code; a token cannot set another owner; a
 * group rule and a field rule narrow what is seen; keys and anonymous callers get what private and public allow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthRulesApiTest {

  static final String SDL = """
      type Diary @model @auth(rules: [{allow: owner}, {allow: groups, groups: ["admin"]}]) {
        owner: String
        title: String!
        secret: String @auth(rules: [{allow: owner, operations: [create, read, update]}])
        pages: [Page!]! @hasMany
      }
      type Page @model @auth(rules: [{allow: owner}]) {
        owner: String
        diary: Diary! @belongsTo(onDelete: CASCADE)
        text: String!
      }
      type Post @model @auth(rules: [{allow: public, operations: [read]}, {allow: private}]) { text: String! }
      type Query { whoami: String @code(handler: "whoami") }
      type Mutation {
        peek(id: ID!): String @code(handler: "peek")
        wipe: Int @code(handler: "wipe") @auth(rules: [{allow: groups, groups: ["admin"]}])
      }
      """;

  static final Identity ANN = Identity.token("ann", List.of(), Map.of("sub", "ann"));
  static final Identity BOB = Identity.token("bob", List.of("staff"), Map.of("sub", "bob"));
  static final Identity ADMIN = Identity.token("root", List.of("admin"), Map.of("sub", "root"));

  TestApi api;
  String annDiary;

  @BeforeAll
  void start() throws Exception {
    api = TestApi.start(SDL,
        MakerCodeTest.handler("whoami", ctx -> ctx.caller().kind() + ":" + ctx.caller().id()),
        MakerCodeTest.handler("peek", ctx -> ctx.data().get("Diary", (String) ctx.arguments().get("id"))
            .map(r -> (String) r.values().get("title")).orElse(null)),
        MakerCodeTest.handler("wipe", ctx -> 0));
    annDiary = at(api.as(ANN).ok("mutation { createDiary(input: {title: \"mine\", secret: \"s3cret\"}) { id owner } }"),
        "createDiary.id");
  }

  @Test
  void theOwnerIsTheTokensSubjectAndOthersDoNotSeeTheRow() {
    assertThat((String) at(api.as(ANN).ok("{ diary(id: \"" + annDiary + "\") { owner secret } }"), "diary.owner"))
        .isEqualTo("ann");
    TestApi bob = api.as(BOB);
    assertThat((Object) at(bob.ok("{ diary(id: \"" + annDiary + "\") { title } }"), "diary")).as("a read filtered, not an error")
        .isNull();
    assertThat((Integer) at(bob.ok("{ diaries { totalCount edges { node { title } } } }"), "diaries.totalCount")).isZero();
    assertThat(bob.errorCode("mutation { updateDiary(id: \"" + annDiary + "\", input: {title: \"x\"}) { id } }"))
        .as("another owner's row is not there for bob").isEqualTo("NOT_FOUND");
    assertThat((Boolean) at(bob.ok("mutation { deleteDiary(id: \"" + annDiary + "\") }"), "deleteDiary")).isFalse();
    assertThat((String) at(api.as(ANN).ok("{ diary(id: \"" + annDiary + "\") { title } }"), "diary.title")).isEqualTo("mine");
  }

  @Test
  void aTokenCannotMakeOrGiveRowsToAnotherOwner() {
    assertThat(api.as(BOB).error("mutation { createDiary(input: {title: \"forged\", owner: \"ann\"}) { id } }"))
        .contains("Diary.owner: the token of bob (groups staff) may only make rows it owns itself (rule {allow: owner, "
            + "ownerField: \"owner\"}), not rows of ann");
    String mine = at(api.as(BOB).ok("mutation { createDiary(input: {title: \"bob's\"}) { id } }"), "createDiary.id");
    assertThat(api.as(BOB).error("mutation { updateDiary(id: \"" + mine + "\", input: {owner: \"ann\"}) { id } }"))
        .contains("may not give its rows to another owner");
    assertThat((String) at(api.as(ADMIN).ok("mutation { createDiary(input: {title: \"for ann\", owner: \"ann\"}) { owner } }"),
        "createDiary.owner")).as("a group rule allows more than ownership").isEqualTo("ann");
  }

  @Test
  void nestedRelationsAreFilteredByTheirOwnTypesRules() {
    TestApi ann = api.as(ANN);
    TestApi bob = api.as(BOB);
    ann.ok("mutation($d: ID!) { createPage(input: {diaryId: $d, text: \"ann's page\"}) { id } }", "d", annDiary);
    String bobsPage = at(bob.ok("mutation($d: ID!) { createPage(input: {diaryId: $d, text: \"bob's page\"}) { id } }",
        "d", annDiary), "createPage.id");
    List<Map<String, Object>> pages = at(ann.ok("{ diary(id: \"" + annDiary + "\") { pages { text } } }"), "diary.pages");
    assertThat(pages).extracting(p -> p.get("text")).containsExactly("ann's page");
    assertThat((Object) at(bob.ok("{ page(id: \"" + bobsPage + "\") { text diary { title } } }"), "page.diary"))
        .as("bob's page belongs to ann's diary, which bob may not read").isNull();
  }

  @Test
  void aFieldRuleNarrowsTheTypesRules() {
    TestApi admin = api.as(ADMIN);
    Map<String, Object> seen = at(admin.ok("{ diary(id: \"" + annDiary + "\") { title secret } }"), "diary");
    assertThat(seen.get("title")).isEqualTo("mine");
    assertThat(seen.get("secret")).as("only the owner reads it").isNull();
    assertThat(admin.errorCode("{ diaries(where: {secret: {eq: \"s3cret\"}}) { totalCount } }")).isEqualTo("FORBIDDEN");
    assertThat(admin.error("{ diaries(orderBy: [{secret: ASC}]) { totalCount } }")).contains("may not sort by Diary.secret");
    assertThat(admin.error("mutation { updateDiary(id: \"" + annDiary + "\", input: {secret: \"x\"}) { id } }"))
        .contains("may not update Diary.secret (rules that allow it: {allow: owner, ownerField: \"owner\", operations: "
            + "[create, read, update]})");
    assertThat((String) at(api.as(ANN).ok("mutation { updateDiary(id: \"" + annDiary + "\", input: {secret: \"s4\"}) "
        + "{ secret } }"), "updateDiary.secret")).isEqualTo("s4");
  }

  @Test
  void makerCodeReadsWithTheCallersRightsAndKnowsTheCaller() {
    assertThat((String) at(api.as(BOB).ok("mutation { peek(id: \"" + annDiary + "\") }"), "peek")).isNull();
    assertThat((String) at(api.as(ANN).ok("mutation { peek(id: \"" + annDiary + "\") }"), "peek")).isEqualTo("mine");
    assertThat((String) at(api.as(BOB).ok("{ whoami }"), "whoami")).isEqualTo("JWT:bob");
    assertThat((String) at(api.ok("{ whoami }"), "whoami")).isEqualTo("KEY:test-key");
    assertThat(api.as(BOB).errorCode("mutation { wipe }")).isEqualTo("FORBIDDEN");
    assertThat((Integer) at(api.as(ADMIN).ok("mutation { wipe }"), "wipe")).isZero();
  }

  @Test
  void keysGetWhatPrivateAllowsAndAnonymousCallersWhatPublicDoes() {
    assertThat((Integer) at(api.ok("{ diaries { totalCount } }"), "diaries.totalCount"))
        .as("a key is not an owner nor in a group").isZero();
    api.ok("mutation { createPost(input: {text: \"hello\"}) { id } }");
    assertThat((Integer) at(api.as(Identity.ANONYMOUS).ok("{ posts { totalCount } }"), "posts.totalCount")).isEqualTo(1);
    for (String needsCredential : List.of("mutation { createPost(input: {text: \"spam\"}) { id } }", "{ diaries { totalCount } }",
        "{ posts { totalCount } whoami }")) {
      Engine.Outcome refused = api.engine.run(needsCredential, null, null, "r2", false, Identity.ANONYMOUS);
      assertThat(refused.unauthenticated()).as(needsCredential).isTrue();
    }
    assertThat((Integer) at(api.ok("{ posts { totalCount } }"), "posts.totalCount")).as("nothing anonymous ran").isEqualTo(1);
    assertThat(api.engine.run("{ __schema { queryType { name } } }", null, null, "r3", false, Identity.ANONYMOUS)
        .unauthenticated()).as("introspection is open where something is public").isFalse();
  }

  @Test
  void rulesStayInsideTheOneStatementPerRootField() {
    TestApi ann = api.as(ANN);
    long before = api.db.statements();
    ann.ok("{ diaries(first: 5) { totalCount edges { node { title secret pages(first: 3) { text diary { owner } } } } } }");
    assertThat(api.db.statements() - before).isEqualTo(1);
  }
}
