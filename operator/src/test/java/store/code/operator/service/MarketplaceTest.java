package store.code.operator.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import store.code.api.v1alpha1.Visibility;
import store.code.operator.Fixtures;

class MarketplaceTest {
  @Test
  void visibilityDecidesWhoMayReuse() {
    var priv = Fixtures.service("makers", "s", Visibility.Private, 1, null);
    assertThat(Marketplace.admits(priv, "makers")).isTrue();
    assertThat(Marketplace.admits(priv, "acme")).isFalse();
    assertThat(Marketplace.admits(Fixtures.service("makers", "s", Visibility.Public, 1, null), "anyone")).isTrue();
    var shared = Fixtures.service("makers", "s", Visibility.Shared, 1, null);
    shared.getSpec().getSharedWith().add("acme");
    assertThat(Marketplace.admits(shared, "acme")).isTrue();
    assertThat(Marketplace.admits(shared, "other")).isFalse();
  }
}
