package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import store.code.sdk.CodeContext;
import store.code.sdk.CodeException;
import store.code.sdk.CodeHandler;
import store.code.sdk.Row;

/** @code fields served by handlers: arguments, parent, data access in the mutation's transaction, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MakerCodeTest {

  static final String SHOP = """
      type Cart @model {
        owner: String!
        status: CartStatus! @default(value: OPEN)
        items: [CartItem!]! @hasMany
        total: Float @code(handler: "cart.total")
      }
      enum CartStatus { OPEN CHECKED_OUT }
      type CartItem @model { cart: Cart! @belongsTo(onDelete: CASCADE)  sku: String!  quantity: Int!  unitPrice: Float! }
      type Receipt { cartId: ID!  lines: Int!  currency: String }
      type Query {
        openCarts(owner: String!): [Cart!]! @code(handler: "cart.open")
        receipt(cartId: ID!): Receipt @code(handler: "cart.receipt")
        broken: Int @code(handler: "broken")
        absent: Int @code(handler: "not.deployed")
      }
      type Mutation {
        checkout(cartId: ID!): Cart @code(handler: "cart.checkout")
      }
      """;

  static CodeHandler handler(String name, Handler body) {
    return new CodeHandler() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Object handle(CodeContext context) throws Exception {
        return body.handle(context);
      }
    };
  }

  interface Handler {
    Object handle(CodeContext ctx) throws Exception;
  }

  TestApi api;

  @BeforeAll
  void start() throws Exception {
    api = TestApi.start(SHOP,
        handler("cart.total", ctx -> ctx.data().list("CartItem", Map.of("cartId", Map.of("eq", ctx.parent().id())))
            .stream().mapToDouble(i -> i.getInt("quantity") * i.getDouble("unitPrice")).sum()),
        handler("cart.open", ctx -> ctx.data().list("Cart", Map.of("owner", Map.of("eq", ctx.arguments().get("owner")),
            "status", Map.of("eq", "OPEN")))),
        handler("cart.receipt", ctx -> Map.of("cartId", ctx.arguments().get("cartId"), "lines",
            ctx.data().list("CartItem", Map.of("cartId", Map.of("eq", ctx.arguments().get("cartId")))).size())),
        handler("broken", ctx -> {
          throw new IllegalStateException("the maker's bug");
        }),
        handler("cart.checkout", ctx -> {
          String id = ctx.argument("cartId", String.class).orElseThrow();
          Row cart = ctx.data().get("Cart", id).orElseThrow(() -> new CodeException("no cart " + id, "NOT_FOUND"));
          if (!"OPEN".equals(cart.getString("status"))) {
            throw new CodeException("cart " + id + " is already checked out", "CONFLICT");
          }
          List<Row> items = ctx.data().list("CartItem", Map.of("cartId", Map.of("eq", id)));
          // written first, then checked: a failure afterwards must roll this back
          Row updated = ctx.data().update("Cart", id, Map.of("status", "CHECKED_OUT"));
          if (items.isEmpty()) {
            throw new CodeException("cart " + id + " is empty: add items before checkout");
          }
          return updated;
        }));
  }

  String cart(String owner, int... quantities) {
    String id = at(api.ok("mutation($o: String!) { createCart(input: {owner: $o}) { id } }", "o", owner), "createCart.id");
    for (int q : quantities) {
      api.ok("mutation($c: ID!, $q: Int!) { createCartItem(input: {cartId: $c, sku: \"sku\", quantity: $q, unitPrice: 2.5}) { id } }",
          "c", id, "q", q);
    }
    return id;
  }

  @Test
  void handlersReadTheProjectsConfigAndSecretsAndNothingElse() throws Exception {
    String sdl = "type Query { setting(key: String!): String @code(handler: \"setting\")  "
        + "secret(key: String!): String @code(handler: \"secret\") }";
    TestApi own = TestApi.start(sdl, new store.code.runtime.graphql.ProjectValues(Map.of("CURRENCY", "CHF"),
            Map.of("stripe-key", "sk_test_42", "SMTP_PASSWORD", "p4ss")),
        handler("setting", ctx -> ctx.config().get(ctx.argument("key", String.class).orElseThrow())),
        handler("secret", ctx -> ctx.secret(ctx.argument("key", String.class).orElseThrow()).orElse("(none)")));
    assertThat((String) at(own.ok("{ setting(key: \"CURRENCY\") }"), "setting")).isEqualTo("CHF");
    assertThat((String) at(own.ok("{ secret(key: \"stripe-key\") }"), "secret")).isEqualTo("sk_test_42");
    assertThat((String) at(own.ok("{ secret(key: \"SMTP_PASSWORD\") }"), "secret")).isEqualTo("p4ss");
    // a secret is not a setting, nor the other way round; and an unknown key is simply absent
    assertThat((String) at(own.ok("{ setting(key: \"SMTP_PASSWORD\") }"), "setting")).isNull();
    assertThat((String) at(own.ok("{ secret(key: \"CURRENCY\") }"), "secret")).isEqualTo("(none)");
    assertThat((String) at(own.ok("{ secret(key: \"AWS_SECRET_ACCESS_KEY\") }"), "secret")).isEqualTo("(none)");
  }

  @Test
  void aMutationHandlerWritesInOneTransactionAndItsModelResultTakesTheClientSelection() {
    String id = cart("ann", 2, 3);
    Map<String, Object> r = api.ok("mutation($c: ID!) { checkout(cartId: $c) { status total items { quantity } } }", "c", id);
    assertThat(at(r, "checkout.status").toString()).isEqualTo("CHECKED_OUT");
    assertThat((Double) at(r, "checkout.total")).isEqualTo(12.5);
    assertThat((List<?>) at(r, "checkout.items")).hasSize(2);

    List<Map<String, Object>> again = api.errors("mutation($c: ID!) { checkout(cartId: $c) { status } }", "c", id);
    assertThat(again.get(0).get("message")).isEqualTo("cart " + id + " is already checked out");
    assertThat(at(again.get(0), "extensions.code").toString()).isEqualTo("CONFLICT");
  }

  @Test
  void aFailingHandlerLeavesNothingWritten() {
    String empty = cart("bob");
    assertThat(api.error("mutation($c: ID!) { checkout(cartId: $c) { status } }", "c", empty))
        .isEqualTo("cart " + empty + " is empty: add items before checkout");
    assertThat(at(api.ok("query($c: ID!) { cart(id: $c) { status } }", "c", empty), "cart.status").toString())
        .as("the status update was rolled back").isEqualTo("OPEN");
  }

  @Test
  void codeFieldsOnModelsGetTheirParentAndQueriesReturnModelsOrPlainObjects() {
    cart("cy", 1);
    cart("cy", 4);
    Map<String, Object> r = api.ok("{ openCarts(owner: \"cy\") { owner total } }");
    List<Map<String, Object>> carts = at(r, "openCarts");
    assertThat(carts).extracting(c -> c.get("total")).containsExactlyInAnyOrder(2.5, 10.0);
    Map<String, Object> page = api.ok("{ carts(where: {owner: {eq: \"cy\"}}) { edges { node { t: total } } } }");
    assertThat((List<?>) at(page, "carts.edges")).hasSize(2);
    assertThat((Object) at(page, "carts.edges.0.node.t")).isNotNull();

    String id = cart("dee", 1, 1, 1);
    Map<String, Object> receipt = api.ok("query($c: ID!) { receipt(cartId: $c) { cartId lines currency } }", "c", id);
    assertThat(at(receipt, "receipt.cartId").toString()).isEqualTo(id);
    assertThat((Integer) at(receipt, "receipt.lines")).isEqualTo(3);
    assertThat((Object) at(receipt, "receipt.currency")).isNull();
  }

  @Test
  void aCrashOrAMissingHandlerIsAnErrorOfThatFieldOnly() {
    Map<String, Object> r = api.run("{ broken absent carts(first: 1) { totalCount } }");
    List<Map<String, Object>> errors = (List<Map<String, Object>>) r.get("errors");
    assertThat(errors).extracting(e -> e.get("message").toString()).containsExactlyInAnyOrder(
        "maker code \"broken\" failed: IllegalStateException: the maker's bug",
        "Query.absent is served by maker code \"not.deployed\", which this instance does not have (handlers: "
            + "[cart.total, cart.open, cart.receipt, broken, cart.checkout], maker jars: []): "
            + "check the Service's code.image and the handler names it registers");
    assertThat(errors).allSatisfy(e -> assertThat(at(e, "extensions.code").toString()).isEqualTo("CODE_ERROR"));
    assertThat((Object) at(r, "data.carts.totalCount")).as("the rest of the query is answered").isNotNull();
  }
}
