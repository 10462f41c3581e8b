package com.example.cart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import store.code.runtime.local.LocalInstance;

/** The packaged jar of this module, loaded by the packaged runtime from its code folder, serving the example. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckoutIT {

  LocalInstance local;

  @BeforeAll
  void start() throws Exception {
    local = LocalInstance.start(new LocalInstance.Options(Path.of(System.getProperty("codestore.runtime.jar")),
        Path.of("..", "10-shopping-cart.yaml"), Path.of(System.getProperty("codestore.code.dir")), null, 18091,
        Map.of("CODESTORE_CONFIG_CURRENCY", "CHF"), false));
  }

  @AfterAll
  void stop() throws Exception {
    if (local != null) {
      local.close();
    }
  }

  String cart(String owner, int... quantities) throws Exception {
    String id = local.graphql("mutation($o: String!) { createCart(input: {owner: $o}) { id } }", Map.of("o", owner))
        .path("data").path("createCart").path("id").asText();
    for (int q : quantities) {
      JsonNode item = local.graphql("mutation($c: ID!, $q: Int!) { createCartItem(input: {cartId: $c, sku: \"tea\", "
          + "quantity: $q, unitPrice: 0.1}) { id } }", Map.of("c", id, "q", q));
      assertThat(item.path("errors").isMissingNode()).as(item.toString()).isTrue();
    }
    return id;
  }

  @Test
  void checkoutClosesTheCartAndReturnsItWithTheClientsSelection() throws Exception {
    String id = cart("ann", 1, 2);
    JsonNode r = local.graphql("mutation($c: ID!) { checkout(cartId: $c) { status total items { quantity } } }", Map.of("c", id));
    assertThat(r.path("errors").isMissingNode()).as(r.toString()).isTrue();
    assertThat(r.path("data").path("checkout").path("status").asText()).isEqualTo("CHECKED_OUT");
    assertThat(r.path("data").path("checkout").path("total").asDouble()).isEqualTo(0.3);
    assertThat(r.path("data").path("checkout").path("items")).hasSize(2);
    assertThat(local.log()).contains("checked out cart " + id + ": 2 items, 0.3 CHF");
    JsonNode usage = new com.fasterxml.jackson.databind.ObjectMapper().readTree(local.manage("/usage").body());
    assertThat(usage.path("bucketBytes").asLong()).as("the receipt is in the bucket").isPositive();

    JsonNode again = local.graphql("mutation($c: ID!) { checkout(cartId: $c) { status } }", Map.of("c", id));
    assertThat(again.path("errors").get(0).path("message").asText()).isEqualTo("cart " + id + " is already checked out");
    assertThat(again.path("errors").get(0).path("extensions").path("code").asText()).isEqualTo("CONFLICT");
  }

  @Test
  void anEmptyCartIsRefusedAndStaysOpen() throws Exception {
    String id = cart("bob");
    JsonNode r = local.graphql("mutation($c: ID!) { checkout(cartId: $c) { status } }", Map.of("c", id));
    assertThat(r.path("errors").get(0).path("message").asText()).isEqualTo("cart " + id + " is empty: add items before checking out");
    JsonNode cart = local.graphql("query($c: ID!) { cart(id: $c) { status total } }", Map.of("c", id));
    assertThat(cart.path("data").path("cart").path("status").asText()).isEqualTo("OPEN");
    assertThat(cart.path("data").path("cart").path("total").asDouble()).isZero();
  }

  @Test
  void anUnknownCartIsNotFound() throws Exception {
    JsonNode r = local.graphql("mutation { checkout(cartId: \"3f0c1c7e-0000-4000-8000-000000000000\") { status } }", null);
    assertThat(r.path("errors").get(0).path("extensions").path("code").asText()).isEqualTo("NOT_FOUND");
  }
}
