package com.example.cart;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import store.code.sdk.CodeContext;
import store.code.sdk.CodeException;
import store.code.sdk.CodeHandler;
import store.code.sdk.Row;

/**
 * {@code checkout(cartId: ID!): Cart}: closes an open, non-empty cart and, when the instance has a bucket, keeps a
 * receipt there. Runs in one transaction: if anything fails, the cart stays open.
 */
public final class Checkout implements CodeHandler {

  @Override
  public String name() {
    return "cart.checkout";
  }

  @Override
  public Object handle(CodeContext ctx) {
    String cartId = ctx.argument("cartId", String.class).orElseThrow();
    Row cart = ctx.data().get("Cart", cartId)
        .orElseThrow(() -> new CodeException("no cart has id " + cartId, "NOT_FOUND"));
    if (!"OPEN".equals(cart.getString("status"))) {
      throw new CodeException("cart " + cartId + " is already checked out", "CONFLICT");
    }
    List<Row> items = ctx.data().list("CartItem", Map.of("cartId", Map.of("eq", cartId)));
    if (items.isEmpty()) {
      throw new CodeException("cart " + cartId + " is empty: add items before checking out");
    }
    double total = CartTotal.sum(items);
    String currency = ctx.config().getOrDefault("CURRENCY", "EUR");
    Row closed = ctx.data().update("Cart", cartId, Map.of("status", "CHECKED_OUT"));
    if (ctx.storage().enabled()) {
      String receipt = String.format(Locale.ROOT, "{\"cart\":\"%s\",\"owner\":\"%s\",\"items\":%d,\"total\":%.2f,\"currency\":\"%s\"}",
          cartId, cart.getString("owner").replace("\"", "'"), items.size(), total, currency);
      ctx.storage().put("receipts/" + cartId + ".json", receipt.getBytes(StandardCharsets.UTF_8), "application/json");
    }
    ctx.log().log(System.Logger.Level.INFO, "checked out cart " + cartId + ": " + items.size() + " items, " + total + " " + currency);
    return closed;
  }
}
