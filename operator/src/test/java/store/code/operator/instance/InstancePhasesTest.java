package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import store.code.api.v1alpha1.Phase;

class InstancePhasesTest {

  @Test
  void theGaugeFollowsEachInstancesLatestPhase() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    InstancePhases phases = new InstancePhases(meters);
    phases.record("acme", "shop-cart-dev", Phase.Provisioning);
    phases.record("acme", "shop-cart-prod", Phase.Provisioning);
    phases.record("acme", "shop-cart-dev", Phase.Ready);
    assertThat(meters.get("codestore.instances").tag("phase", "Ready").gauge().value()).isEqualTo(1.0);
    assertThat(meters.get("codestore.instances").tag("phase", "Provisioning").gauge().value()).isEqualTo(1.0);
    phases.forget("acme", "shop-cart-prod");
    assertThat(meters.get("codestore.instances").tag("phase", "Provisioning").gauge().value()).isZero();
    assertThat(meters.find("codestore.instances").gauges()).hasSize(Phase.values().length);
  }
}
