package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import store.code.api.Labels;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.Fixtures;

class ProjectBillingTest {

  static ServiceInstance labelled(String label) {
    ServiceInstance si = Fixtures.instance("acme", "webshop", "cart", "dev");
    si.getMetadata().setLabels(label == null ? Map.of() : Map.of(Labels.PROJECT, label));
    return si;
  }

  @Test
  void anInstanceItsExistingProjectLabelsIsBilled() {
    assertThat(ProjectBilling.unbilledBecause(labelled("webshop"), "webshop"::equals)).isEmpty();
  }

  @Test
  void everyWayToRunForFreeIsRefusedSayingWhy() {
    assertThat(ProjectBilling.unbilledBecause(labelled(null), p -> true)).hasValueSatisfying(why ->
        assertThat(why).contains("label code.store/project is missing"));
    assertThat(ProjectBilling.unbilledBecause(labelled("other"), p -> true)).hasValueSatisfying(why ->
        assertThat(why).contains("is \"other\" but spec.project is \"webshop\""));
    assertThat(ProjectBilling.unbilledBecause(labelled("webshop"), p -> false)).hasValueSatisfying(why ->
        assertThat(why).contains("Project acme/webshop does not exist"));
    ServiceInstance noProject = labelled("webshop");
    noProject.getSpec().setProject("");
    assertThat(ProjectBilling.unbilledBecause(noProject, p -> true)).hasValueSatisfying(why ->
        assertThat(why).contains("spec.project is empty"));
  }
}
