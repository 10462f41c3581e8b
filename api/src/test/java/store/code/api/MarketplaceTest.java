package store.code.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.api.v1alpha1.Visibility;

class MarketplaceTest {
  static CodeService service(Visibility visibility) {
    CodeService s = new CodeService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace("makers").withName("s").build());
    s.setSpec(new ServiceSpec());
    s.getSpec().setVisibility(visibility);
    return s;
  }

  @Test
  void visibilityDecidesWhoMayReuse() {
    var priv = service(Visibility.Private);
    assertThat(Marketplace.admits(priv, "makers")).isTrue();
    assertThat(Marketplace.admits(priv, "acme")).isFalse();
    assertThat(Marketplace.admits(service(Visibility.Public), "anyone")).isTrue();
    var shared = service(Visibility.Shared);
    shared.getSpec().getSharedWith().add("acme");
    assertThat(Marketplace.admits(shared, "acme")).isTrue();
    assertThat(Marketplace.admits(shared, "other")).isFalse();
    assertThat(Marketplace.admits(service(null), "acme")).as("no visibility is Private").isFalse();
  }
}
