package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import store.code.api.Conditions;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;

/**
 * The chart's RBAC is enough and needed: the operator runs as the chart's ServiceAccount (impersonated, so the real API
 * server authorizes every call with RBAC), first under the chart's ClusterRole without its NetworkPolicy rule, where
 * instances report the refusal, then under the rendered ClusterRole as is, where the examples converge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class ChartRbacIT {

  static final String NS = "codestore-system";
  KubeCluster cluster;
  ClusterRole chartRole;

  @BeforeAll
  void start() throws Exception {
    cluster = KubeCluster.withFakeProviders();
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    List<HasMetadata> rendered = ChartTest.render(Map.of());
    for (HasMetadata o : rendered) {
      if (o instanceof ClusterRole r) {
        chartRole = r;
      } else if (!(o instanceof Deployment) && !(o instanceof io.fabric8.kubernetes.api.model.Service)) {
        cluster.admin.resource(o).inNamespace(NS).create(); // ServiceAccount, bindings, leader-election Role
      }
    }
    assertThat(chartRole).isNotNull();
  }

  @AfterAll
  void stop() {
    long t0 = System.nanoTime();
    if (cluster != null) {
      cluster.close();
    }
    System.out.printf("[measure] close: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void withoutARuleTheInstancesSayWhatIsForbiddenAndWithTheChartsRoleTheyConverge() throws Exception {
    // a rule the operator needs on every pass (an informer's rule would also delay its start by the cache-sync timeout)
    ClusterRole withoutNetworkPolicies = Serialization.clone(chartRole);
    List<PolicyRule> rules = withoutNetworkPolicies.getRules();
    assertThat(rules.removeIf(r -> r.getResources().contains("networkpolicies"))).isTrue();
    cluster.admin.resource(withoutNetworkPolicies).create();
    long t0 = System.nanoTime();
    cluster.startOperatorAs(OperatorSettings.defaults(), NS, "codestore-operator", Optional.of(NS));
    cluster.applyExamples();

    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("webshop-cart-dev").get();
      var ready = Conditions.find(si.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getMessage()).contains("forbidden").contains("networkpolicies");
    });

    System.out.printf("[measure] without the networkpolicies rule -> instances report it: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    cluster.admin.resource(chartRole).update(); // the chart's role as rendered: the operator's retries now succeed
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
      Project p = cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get();
      assertThat(Conditions.isTrue(p.getStatus().getConditions(), "Ready")).as(p.getStatus().getInstances().toString()).isTrue();
      assertThat(p.getStatus().getReadyInstances()).isEqualTo("4/4");
    });
    System.out.printf("[measure] under the chart's RBAC, role fixed -> project Ready: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    // the leader renews its lease every 2 s under the chart's Role (a renewal it may not write loses the lease)
    var lease = cluster.admin.leases().inNamespace(NS).withName("codestore-operator");
    var renewed = lease.get().getSpec().getRenewTime();
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
        assertThat(lease.get().getSpec().getRenewTime()).as("lease renewed").isNotEqualTo(renewed));
  }

  /** A copy through JSON, so the rendered role stays as it was. */
  static final class Serialization {
    static <T> T clone(T o) {
      return io.fabric8.kubernetes.client.utils.Serialization.clone(o);
    }
  }
}
