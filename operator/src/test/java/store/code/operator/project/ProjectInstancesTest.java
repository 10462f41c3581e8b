package store.code.operator.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import store.code.api.Labels;
import store.code.api.v1alpha1.DeletionPolicy;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.EnvironmentSettings;
import store.code.api.v1alpha1.SecretRef;
import store.code.api.v1alpha1.ServiceUseEnvironment;
import store.code.operator.Fixtures;

class ProjectInstancesTest {
  @Test
  void oneInstancePerServiceAndEnvironment() {
    var project = Fixtures.project("acme", "webshop", List.of("dev", "prod"), List.of(
        Fixtures.use("cart", "shopping-cart", "makers", Map.of("CURRENCY", "EUR")),
        Fixtures.use("rooms", "meeting-rooms", null, Map.of())));
    var plan = ProjectInstances.plan(project);
    assertThat(plan.problems()).isEmpty();
    assertThat(plan.instances()).extracting(i -> i.getMetadata().getName())
        .containsExactly("webshop-cart-dev", "webshop-cart-prod", "webshop-rooms-dev", "webshop-rooms-prod");
    ServiceInstance first = plan.instances().get(0);
    assertThat(first.getMetadata().getNamespace()).isEqualTo("acme");
    assertThat(first.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getUid()).isEqualTo("uid-1");
      assertThat(o.getController()).isTrue();
    });
    assertThat(first.getMetadata().getLabels()).containsEntry(Labels.PROJECT, "webshop").containsEntry(Labels.SERVICE, "cart");
    assertThat(first.getSpec().getConfig()).containsEntry("CURRENCY", "EUR");
    assertThat(first.getSpec().getDeletionPolicy()).isEqualTo(DeletionPolicy.Delete);
    assertThat(plan.instances().get(2).getSpec().getServiceRef().getNamespace()).as("defaults to the project's namespace").isEqualTo("acme");
  }

  @Test
  void badUsesAreReportedAndSkippedNotHalfApplied() {
    var project = Fixtures.project("acme", "webshop", List.of("dev"), List.of(
        Fixtures.use("cart", "shopping-cart", "makers", Map.of("not a name", "x")),
        Fixtures.use("rooms", "meeting-rooms", "makers", Map.of()),
        Fixtures.use("rooms", "other", "makers", Map.of())));
    var plan = ProjectInstances.plan(project);
    assertThat(plan.instances()).extracting(i -> i.getMetadata().getName()).containsExactly("webshop-rooms-dev");
    assertThat(plan.problems()).hasSize(2);
    assertThat(plan.problems().get(0)).contains("spec.services[0] (cart).config").contains("not a name");
    assertThat(plan.problems().get(1)).contains("spec.services[2]").contains("used twice");
  }

  @Test
  void eachEnvironmentGetsItsOwnVersionRangeOrTheServices() {
    var pinned = Fixtures.use("cart", "shopping-cart", "makers", Map.of());
    pinned.setVersion("^1.2");
    var prod = new ServiceUseEnvironment();
    prod.setVersion("1.4.0");
    pinned.getEnvironments().put("prod", prod);
    var unpinned = Fixtures.use("rooms", "meeting-rooms", "makers", Map.of());
    var plan = ProjectInstances.plan(Fixtures.project("acme", "webshop", List.of("dev", "prod"), List.of(pinned, unpinned)));
    assertThat(plan.problems()).isEmpty();
    assertThat(plan.instances()).extracting(i -> i.getMetadata().getName() + "=" + i.getSpec().getVersion())
        .containsExactly("webshop-cart-dev=^1.2", "webshop-cart-prod=1.4.0", "webshop-rooms-dev=null",
            "webshop-rooms-prod=null");
  }

  @Test
  void aRangeThatMeansNothingOrAnEnvironmentThatDoesNotExistIsAProblemNamingWhere() {
    var banana = Fixtures.use("cart", "shopping-cart", "makers", Map.of());
    banana.setVersion("banana");
    var typo = Fixtures.use("rooms", "meeting-rooms", "makers", Map.of());
    typo.getEnvironments().put("prd", new ServiceUseEnvironment());
    var badEnvRange = Fixtures.use("notes", "notes", "makers", Map.of());
    var prod = new ServiceUseEnvironment();
    prod.setVersion("one point oh");
    badEnvRange.getEnvironments().put("prod", prod);
    var plan = ProjectInstances.plan(Fixtures.project("acme", "webshop", List.of("dev", "prod"),
        List.of(banana, typo, badEnvRange)));
    assertThat(plan.instances()).as("nothing half-applied").isEmpty();
    assertThat(plan.problems()).containsExactly(
        "spec.services[0] (cart).version: \"banana\" is not a semver range (e.g. 1.4.0, 1.x, ^1.2, ~1.2.3, >=1.2.0 <2.0.0)",
        "spec.services[1] (rooms).environments: [prd] not in spec.environments [dev, prod]",
        "spec.services[2] (notes).environments.prod.version: \"one point oh\" is not a semver range (e.g. 1.4.0, 1.x, "
            + "^1.2, ~1.2.3, >=1.2.0 <2.0.0)");
  }

  @Test
  void configMergesPerEnvironmentAndSecretsApplyProjectThenEnvironmentThenService() {
    var cart = Fixtures.use("cart", "shopping-cart", "makers", Map.of("CURRENCY", "EUR", "LOG_LEVEL", "info"));
    cart.setSecretRefs(List.of(new SecretRef("cart-keys", List.of("stripe-key"))));
    var prod = new ServiceUseEnvironment();
    prod.setConfig(Map.of("LOG_LEVEL", "warn", "SLA", "gold"));
    prod.setSecretRefs(List.of(new SecretRef("cart-prod-keys", null)));
    cart.getEnvironments().put("prod", prod);
    var project = Fixtures.project("acme", "webshop", List.of("dev", "prod"), List.of(cart));
    project.getSpec().setSecretRefs(List.of(new SecretRef("shared", null)));
    var prodSettings = new EnvironmentSettings();
    prodSettings.setSecretRefs(List.of(new SecretRef("prod-smtp", List.of("SMTP_PASSWORD"))));
    project.getSpec().getEnvironmentSettings().put("prod", prodSettings);

    var plan = ProjectInstances.plan(project);
    assertThat(plan.problems()).isEmpty();
    var dev = plan.instances().get(0).getSpec();
    var prd = plan.instances().get(1).getSpec();
    assertThat(dev.getConfig()).isEqualTo(Map.of("CURRENCY", "EUR", "LOG_LEVEL", "info"));
    assertThat(prd.getConfig()).isEqualTo(Map.of("CURRENCY", "EUR", "LOG_LEVEL", "warn", "SLA", "gold"));
    assertThat(dev.getSecretRefs()).extracting(SecretRef::getName).containsExactly("shared", "cart-keys");
    assertThat(prd.getSecretRefs()).extracting(SecretRef::getName)
        .containsExactly("shared", "prod-smtp", "cart-keys", "cart-prod-keys");
    assertThat(prd.getSecretRefs().get(1).getKeys()).containsExactly("SMTP_PASSWORD");
  }

  @Test
  void anEnvironmentsConfigKeysAreCheckedToo() {
    var cart = Fixtures.use("cart", "shopping-cart", "makers", Map.of("CURRENCY", "EUR"));
    var prod = new ServiceUseEnvironment();
    prod.setConfig(Map.of("9LIVES", "x"));
    cart.getEnvironments().put("prod", prod);
    var plan = ProjectInstances.plan(Fixtures.project("acme", "webshop", List.of("dev", "prod"), List.of(cart)));
    assertThat(plan.instances()).isEmpty();
    assertThat(plan.problems()).singleElement().asString()
        .contains("spec.services[0] (cart).environments.prod.config").contains("9LIVES");
  }
}
