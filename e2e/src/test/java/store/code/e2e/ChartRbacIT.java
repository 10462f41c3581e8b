package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
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
 * The chart's RBAC is enough, needed and no more: the operator runs as the chart's ServiceAccount (impersonated, so the
 * real API server authorizes every call with RBAC), first under the chart's instance role without its NetworkPolicy
 * rule, where instances report the refusal, then under the rendered roles as they are, where the examples converge;
 * then its identity tries to write where it does not manage, and is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpOnFailure.class)
class ChartRbacIT {

  static final String NS = "codestore-system";
  KubeCluster cluster;
  /** The chart's ClusterRoles by name: the operator's, and the two it binds where it writes. */
  final Map<String, ClusterRole> chartRoles = new java.util.LinkedHashMap<>();

  @BeforeAll
  void start() throws Exception {
    cluster = KubeCluster.withFakeProviders();
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    List<HasMetadata> rendered = ChartTest.render(Map.of());
    for (HasMetadata o : rendered) {
      if (o instanceof ClusterRole r && !r.getMetadata().getName().startsWith("codestore-operator")) {
        cluster.admin.resource(r).create(); // the people's roles (user-roles.yaml): not the operator's
      } else if (o instanceof ClusterRole r) {
        chartRoles.put(r.getMetadata().getName(), r);
      } else if (!(o instanceof Deployment) && !(o instanceof io.fabric8.kubernetes.api.model.Service)) {
        cluster.admin.resource(o).inNamespace(NS).create(); // ServiceAccount, bindings, leader-election Role
      }
    }
    assertThat(chartRoles).containsOnlyKeys("codestore-operator", "codestore-operator-instance", "codestore-operator-keys");
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
  @Order(1)
  void withoutARuleTheInstancesSayWhatIsForbiddenAndWithTheChartsRoleTheyConverge() throws Exception {
    // a rule the operator needs on every pass (an informer's rule would also delay its start by the cache-sync timeout)
    ClusterRole instanceRole = chartRoles.get("codestore-operator-instance");
    ClusterRole withoutNetworkPolicies = Serialization.clone(instanceRole);
    List<PolicyRule> rules = withoutNetworkPolicies.getRules();
    assertThat(rules.removeIf(r -> r.getResources().contains("networkpolicies"))).isTrue();
    cluster.admin.resource(chartRoles.get("codestore-operator")).create();
    cluster.admin.resource(chartRoles.get("codestore-operator-keys")).create();
    cluster.admin.resource(withoutNetworkPolicies).create();
    long t0 = System.nanoTime();
    cluster.startOperatorAs(OperatorSettings.defaults().withRbac(new OperatorSettings.Rbac(NS, "codestore-operator",
        "codestore-operator-instance", "codestore-operator-keys")), NS, "codestore-operator", Optional.of(NS));
    cluster.applyExamples();

    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("webshop-cart-dev").get();
      var ready = Conditions.find(si.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getMessage()).contains("forbidden").contains("networkpolicies");
    });

    System.out.printf("[measure] without the networkpolicies rule -> instances report it: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    cluster.admin.resource(instanceRole).update(); // the chart's role as rendered: the operator's retries now succeed
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
      Project p = cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get();
      assertThat(Conditions.isTrue(p.getStatus().getConditions(), "Ready")).as(p.getStatus().getInstances().toString()).isTrue();
      assertThat(p.getStatus().getReadyInstances()).isEqualTo("4/4");
      var key = cluster.admin.resources(store.code.api.v1alpha1.ApiKey.class).inNamespace("acme").withName("webshop-key").get();
      assertThat(Conditions.isTrue(key.getStatus().getConditions(), "Ready")).as("the key's Secret was written").isTrue();
    });
    System.out.printf("[measure] under the chart's RBAC, role fixed -> project Ready: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    // the leader renews its lease every 2 s under the chart's Role (a renewal it may not write loses the lease)
    var lease = cluster.admin.leases().inNamespace(NS).withName("codestore-operator");
    var renewed = lease.get().getSpec().getRenewTime();
    await().atMost(Duration.ofSeconds(8)).untilAsserted(() ->
        assertThat(lease.get().getSpec().getRenewTime()).as("lease renewed").isNotEqualTo(renewed));
  }

  /**
   * The operator's identity, tried as an attacker who took over its token would: it cannot write Secrets or
   * Deployments in a namespace it does not manage, nor read Secrets anywhere but where it works; it can in the instance
   * namespaces it bound itself into.
   */
  @Test
  @Order(2)
  void theOperatorWritesOnlyWhereItManages() throws Exception {
    await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() -> assertThat(cluster.admin
        .resources(ServiceInstance.class).inNamespace("acme").withName("webshop-cart-dev").get().getStatus().getPhase())
        .isEqualTo(store.code.api.v1alpha1.Phase.Ready));
    String managed = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("webshop-cart-dev").get()
        .getStatus().getTargetNamespace();
    assertThat(cluster.admin.rbac().roleBindings().inNamespace(managed).withName("codestore-operator").get()
        .getRoleRef().getName()).isEqualTo("codestore-operator-instance");
    // the people of acme (here: edit) get the instance-access Role, written and bound under the chart's rules
    cluster.applyYaml("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: developers, namespace: acme}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ann}]
        """);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(cluster.admin.rbac()
        .roleBindings().inNamespace(managed).withName("codestore-instance-access").get().getSubjects())
        .extracting(x -> x.getName()).containsExactly("ann"));
    try (var operator = cluster.newClientAs("system:serviceaccount:" + NS + ":codestore-operator")) {
      for (String ns : List.of("default", "acme", NS)) {
        var secret = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("planted")
            .withNamespace(ns).endMetadata().addToStringData("x", "y").build();
        if (!ns.equals("acme")) { // acme has ApiKeys: the operator may create (not list or change) Secrets there
          assertThatForbidden(() -> operator.resource(secret).create(), "create a Secret in " + ns);
        }
        var deployment = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName("planted")
            .withNamespace(ns).endMetadata().withNewSpec().withNewSelector().addToMatchLabels("a", "b").endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("a", "b").endMetadata().withNewSpec().addNewContainer()
            .withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build();
        assertThatForbidden(() -> operator.resource(deployment).create(), "create a Deployment in " + ns);
      }
      assertThatForbidden(() -> operator.secrets().inAnyNamespace().list(), "list Secrets cluster-wide");
      assertThatForbidden(() -> operator.secrets().inNamespace("acme").list(), "list the client's Secrets");
      assertThatForbidden(() -> operator.secrets().inNamespace("acme").withName("webshop-key")
          .edit(k -> { k.getMetadata().setLabels(Map.of("x", "y")); return k; }), "change a key's Secret");
      assertThatForbidden(() -> operator.secrets().inNamespace("default").withName("anything").get(), "read a Secret in default");
      var kubeSystemBinding = new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata()
          .withName("planted").withNamespace("kube-system").endMetadata().withNewRoleRef()
          .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("cluster-admin").endRoleRef()
          .addNewSubject().withKind("ServiceAccount").withName("codestore-operator").withNamespace(NS).endSubject().build();
      assertThatForbidden(() -> operator.resource(kubeSystemBinding).create(), "bind cluster-admin to itself");
      // a Role it writes grants no more than it holds there: not the listing of Secrets, not the management port
      var wider = new io.fabric8.kubernetes.api.model.rbac.RoleBuilder().withNewMetadata().withName("planted")
          .withNamespace(managed).endMetadata().addNewRule().withApiGroups("").withResources("secrets")
          .withVerbs("list").endRule().addNewRule().withApiGroups("").withResources("services/proxy")
          .withResourceNames("http:runtime:9000").withVerbs("get").endRule().build();
      assertThatForbidden(() -> operator.resource(wider).create(), "write a Role wider than its own rights");
      // where it manages, it may
      var allowed = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("allowed")
          .withNamespace(managed).endMetadata().addToStringData("x", "y").build();
      assertThat(operator.resource(allowed).create()).isNotNull();
    }
  }

  static void assertThatForbidden(Runnable call, String what) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call::run).as(what)
        .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
        .satisfies(e -> assertThat(((io.fabric8.kubernetes.client.KubernetesClientException) e).getCode()).as(what)
            .isEqualTo(403));
  }

  /** A copy through JSON, so the rendered role stays as it was. */
  static final class Serialization {
    static <T> T clone(T o) {
      return io.fabric8.kubernetes.client.utils.Serialization.clone(o);
    }
  }
}
