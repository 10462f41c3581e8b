package store.code.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import store.code.schema.AuthRule.Allow;
import store.code.schema.AuthRule.Operation;

/** {@code @auth} rules: compiled onto types, fields and root fields; refused with line:column when they cannot hold. */
class AuthRulesTest {

  static final String NOTES = """
      type Note @model @auth(rules: [
          {allow: owner},
          {allow: groups, groups: ["editors"], operations: [read, update]},
          {allow: public, operations: [read]}]) {
        owner: String
        text: String!
        secret: String @auth(rules: [{allow: owner, operations: [read, update]}])
      }
      type Tag @model { name: String! }
      type Query { stats: Int @code(handler: "stats") @auth(rules: [{allow: groups, groups: ["admin"]}]) }
      """;

  @Test
  void rulesAreCompiledOntoTypesFieldsAndRootFields() throws Exception {
    CompiledSchema s = SchemaCompiler.compile(NOTES);
    Model note = s.model("Note").orElseThrow();
    assertThat(note.rules()).containsExactly(
        new AuthRule(Allow.OWNER, EnumSet.allOf(Operation.class), "owner", List.of()),
        new AuthRule(Allow.GROUPS, Set.of(Operation.READ, Operation.UPDATE), null, List.of("editors")),
        new AuthRule(Allow.PUBLIC, Set.of(Operation.READ), null, List.of()));
    assertThat(note.isOwnerField("owner")).isTrue();
    assertThat(note.column("secret").orElseThrow().rules()).singleElement()
        .satisfies(r -> assertThat(r.describe()).isEqualTo("{allow: owner, ownerField: \"owner\", operations: [read, update]}"));
    assertThat(note.column("text").orElseThrow().rules()).as("no rules of its own: the type's").isEmpty();
    assertThat(s.model("Tag").orElseThrow().rules()).as("without @auth: any valid key or token").isEqualTo(AuthRule.DEFAULT);
    assertThat(s.rootRules("Query", "stats")).singleElement().extracting(AuthRule::groups).isEqualTo(List.of("admin"));
  }

  @Test
  void theOwnerFieldIsFilledInFromTheTokenSoItIsOptionalOnCreate() throws Exception {
    String sdl = ApiSchema.of(SchemaCompiler.compile("type Doc @model @auth(rules: [{allow: owner, ownerField: \"author\"}]) "
        + "{ author: String! title: String! }")).sdl();
    assertThat(sdl).contains("input CreateDocInput {\n  author: String\n  title: String!\n");
  }

  static void refused(String sdl, int line, int column, String message) {
    assertThatThrownBy(() -> SchemaCompiler.compile(sdl)).isInstanceOfSatisfying(SchemaException.class, e ->
        assertThat(e.errors()).anySatisfy(err -> {
          assertThat(err.message()).contains(message);
          assertThat(err.line()).isEqualTo(line);
          assertThat(err.column()).isEqualTo(column);
        }));
  }

  @Test
  void anOwnerFieldTheTypeDoesNotHaveOrThatIsNotAStringIsRefused() {
    refused("type Doc @model @auth(rules: [{allow: owner, ownerField: \"author\"}]) {\n  title: String\n}",
        1, 17, "Doc has no field author: add `author: String` to it");
    refused("type Doc @model @auth(rules: [{allow: owner}]) {\n  owner: Int\n}", 1, 17,
        "the owner field Doc.owner must be a String");
  }

  @Test
  void anyoneWithoutACredentialCannotWriteRowsThatHaveOwners() {
    refused("type Doc @model @auth(rules: [{allow: owner}, {allow: public, operations: [read, create]}]) { owner: String }",
        1, 17, "rule {allow: public, operations: [create, read]} lets anyone without a credential write rows that have owners");
  }

  @Test
  void rulesThatSayTooLittleOrTheWrongThingAreRefused() {
    refused("type Doc @model @auth(rules: [{allow: groups}]) { t: String }", 1, 31, "needs the groups it admits");
    refused("type Doc @model @auth(rules: [{allow: private, ownerField: \"t\"}]) { t: String }", 1, 31,
        "only owner rules have one");
    refused("type Doc @model @auth(rules: [{allow: public, groups: [\"a\"]}]) { t: String }", 1, 31,
        "only groups rules have them");
    refused("type Doc @model @auth(rules: [{allow: private, operations: []}]) { t: String }", 1, 31, "lists no operations");
    refused("type Doc @model @auth(rules: []) { t: String }", 1, 17, "has no rules");
    refused("type Doc @model @auth(rules: [{allow: everyone}]) { t: String }", 1, 1, "Argument value 'everyone' doesn't match");
    refused("type Doc @model { t: String @auth(rules: [{allow: private, operations: [read, delete]}]) }", 1, 29,
        "a field is deleted with its row");
  }

  @Test
  void authIsRefusedWhereItCannotApply() {
    refused("type Doc @auth(rules: [{allow: public}]) { t: String }\ntype X @model { t: String }", 1, 10,
        "@auth on type Doc needs it to be a @model type");
    refused("type A @model { bs: [B!]! @hasMany @auth(rules: [{allow: public}]) }\ntype B @model { a: A! @belongsTo }", 1, 36,
        "a relation returns rows of another type, whose own rules filter them");
    refused("type Query { n: Int @code(handler: \"n\") @auth(rules: [{allow: owner}]) }", 1, 41,
        "a root field has no row to own");
  }

  @Test
  void tighteningARuleBreaksClientsAndLooseningItDoesNot() throws Exception {
    CompiledSchema priv = SchemaCompiler.compile("type Doc @model { owner: String t: String }");
    CompiledSchema owned = SchemaCompiler.compile("type Doc @model @auth(rules: [{allow: owner}]) { owner: String t: String }");
    CompiledSchema open = SchemaCompiler.compile("type Doc @model @auth(rules: [{allow: public, operations: [read]}, "
        + "{allow: private}]) { owner: String t: String }");
    assertThat(SchemaCompatibility.breakingChanges(priv, owned)).contains(
        "type Doc: @auth no longer allows read to callers of rule {allow: private}");
    assertThat(SchemaCompatibility.breakingChanges(owned, priv)).as("private covers owners").isEmpty();
    assertThat(SchemaCompatibility.breakingChanges(priv, open)).isEmpty();
    assertThat(SchemaCompatibility.breakingChanges(open, priv)).containsExactly(
        "type Doc: @auth no longer allows read to callers of rule {allow: public, operations: [read]}");
    CompiledSchema narrowed = SchemaCompiler.compile("type Doc @model { owner: String t: String @auth(rules: "
        + "[{allow: groups, groups: [\"a\"], operations: [read]}]) }");
    assertThat(SchemaCompatibility.breakingChanges(priv, narrowed)).anySatisfy(c -> assertThat(c).startsWith("Doc.t: "));
  }
}
