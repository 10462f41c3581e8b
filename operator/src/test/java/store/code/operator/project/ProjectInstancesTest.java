package store.code.operator.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import store.code.api.Labels;
import store.code.api.v1alpha1.DeletionPolicy;
import store.code.api.v1alpha1.ServiceInstance;
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
}
