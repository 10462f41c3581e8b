package com.example.cart;

import java.util.List;
import java.util.Map;

import store.code.sdk.CodeContext;
import store.code.sdk.CodeHandler;
import store.code.sdk.Row;

/** {@code Cart.total: Float}: quantity times unit price over the cart's items. */
public final class CartTotal implements CodeHandler {

  @Override
  public String name() {
    return "cart.total";
  }

  @Override
  public Object handle(CodeContext ctx) {
    return sum(ctx.data().list("CartItem", Map.of("cartId", Map.of("eq", ctx.parent().id()))));
  }

  static double sum(List<Row> items) {
    // cents, so 0.1 + 0.2 does not become 0.30000000000000004
    long cents = 0;
    for (Row item : items) {
      cents += Math.round(item.getInt("quantity") * item.getDouble("unitPrice") * 100);
    }
    return cents / 100.0;
  }
}
