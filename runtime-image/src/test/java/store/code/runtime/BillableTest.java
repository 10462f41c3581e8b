package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import store.code.runtime.auth.Identity;
import store.code.runtime.graphql.Engine;

/**
 * Which requests are billed: only operations of an authenticated caller that passed every check and ran, whether
 * their fields then succeeded or not. A stranger cannot run up a client's bill, and neither can a document that never
 * ran.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BillableTest {

  static final String SDL = """
      type Post @model @auth(rules: [{allow: public, operations: [read]}, {allow: private}]) { text: String! }
      """;

  TestApi api;

  @BeforeAll
  void start() throws Exception {
    api = TestApi.start(SDL);
  }

  Engine.Outcome run(String query, Identity caller) {
    return api.engine.run(query, null, null, "test", false, caller);
  }

  @Test
  void anOperationThatRanIsBilledWhetherItsFieldsSucceededOrNot() {
    Engine.Outcome ok = run("{ posts { totalCount } }", TestApi.KEY);
    assertThat(ok.failed()).isFalse();
    assertThat(ok.billable()).isTrue();
    Engine.Outcome fieldError = run("{ post(id: \"not-a-uuid\") { text } }", TestApi.KEY);
    assertThat(fieldError.failed()).as("it ran, and a field failed").isTrue();
    assertThat(fieldError.billable()).isTrue();
  }

  @Test
  void whatNeverRanIsNotBilled() {
    StringBuilder many = new StringBuilder("{ ");
    for (int i = 0; i < 21; i++) {
      many.append("p").append(i).append(": posts { totalCount } ");
    }
    many.append("}");
    for (String refused : new String[] {"{ posts { totalCount ", "{ nope }", many.toString()}) {
      Engine.Outcome outcome = run(refused, TestApi.KEY);
      assertThat(outcome.failed()).as(refused).isTrue();
      assertThat(outcome.billable()).as("does not parse, does not validate, over a limit: " + refused).isFalse();
    }
    Engine.Outcome getMutation = api.engine.run("mutation { createPost(input: {text: \"x\"}) { id } }", null, null, "t",
        true, TestApi.KEY);
    assertThat(getMutation.failed()).isTrue();
    assertThat(getMutation.billable()).as("a mutation refused on GET").isFalse();
  }

  @Test
  void anAnonymousCallToAPublicFieldIsServedAndNotBilled() {
    Engine.Outcome anonymous = run("{ posts { totalCount } }", Identity.ANONYMOUS);
    assertThat(anonymous.failed()).as("public: served").isFalse();
    assertThat(anonymous.billable()).isFalse();
  }
}
