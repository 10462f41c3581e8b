package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The Helm chart, rendered by embedded Helm: lint, what it renders, and the values it refuses. */
class ChartTest {

  static final Path CHART = KubeCluster.repoRoot().resolve("charts/codestore-operator");

  static List<HasMetadata> render(Map<String, Object> values) {
    TemplateCommand t = new Helm(CHART).template().withName("codestore").withNamespace("codestore-system");
    values.forEach(t::set);
    String yaml = t.call();
    return Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  static Container operator(List<HasMetadata> objects) {
    return deployment(objects, "codestore-operator").getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Deployment deployment(List<HasMetadata> objects, String name) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> d.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void lintsCleanStrict() {
    var result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersALockedDownOperatorWithItsRbac() {
    List<HasMetadata> objects = render(Map.of());
    assertThat(objects).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
        "ServiceAccount", "ClusterRole", "ClusterRole", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
        "Deployment", "Service", "ClusterRole", "ClusterRole", "ClusterRole");
    Container c = operator(objects);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(env(c)).containsEntry("CODESTORE_DATABASE_PROVIDER", "cnpg")
        .containsEntry("CODESTORE_STORAGE_PROVIDER", "none")
        .containsEntry("CODESTORE_LEADER_ELECTION_NAMESPACE", "codestore-system")
        // as the operator's own default: CloudNativePG's operator must reach the instances' databases
        .containsEntry("CODESTORE_NETWORK_ALLOWED_NAMESPACES", "codestore-system,cnpg-system")
        .containsEntry("CODESTORE_USAGE_INTERVAL", "60s")
        .containsEntry("CODESTORE_RBAC_SERVICE_ACCOUNT", "codestore-system/codestore-operator")
        .containsEntry("CODESTORE_RBAC_INSTANCE_ROLE", "codestore-operator-instance")
        .containsEntry("CODESTORE_RBAC_KEYS_ROLE", "codestore-operator-keys");
    io.fabric8.kubernetes.api.model.rbac.ClusterRole cluster = objects.stream()
        .filter(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class::cast)
        .filter(r -> r.getMetadata().getName().equals("codestore-operator")).findFirst().orElseThrow();
    for (var rule : cluster.getRules()) {
      assertThat(rule.getResources()).as("the cluster-wide role cannot even read Secrets").doesNotContain("secrets");
      if (!rule.getApiGroups().contains("code.store")
          && rule.getVerbs().stream().anyMatch(v -> List.of("create", "patch", "update", "delete").contains(v))) {
        assertThat(rule.getResources()).as("the cluster-wide role writes none of an instance's objects")
            .doesNotContainAnyElementsOf(List.of("deployments", "configmaps", "serviceaccounts", "services",
                "networkpolicies", "ingresses", "clusters", "objectbucketclaims", "horizontalpodautoscalers",
                "resourcequotas", "limitranges"));
      }
    }
    Deployment d = deployment(objects, "codestore-operator");
    assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
  }

  static io.fabric8.kubernetes.api.model.rbac.ClusterRole clusterRole(List<HasMetadata> objects, String name) {
    return objects.stream().filter(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class::cast)
        .filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void peoplesRolesAggregateIntoTheBuiltInOnesAndTheMarketplaceIsBoundOnlyWhenAsked() {
    List<HasMetadata> objects = render(Map.of());
    var edit = clusterRole(objects, "codestore-edit");
    assertThat(edit.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
    assertThat(edit.getRules()).allSatisfy(r -> assertThat(r.getApiGroups()).containsExactly("code.store"));
    assertThat(edit.getRules()).filteredOn(r -> r.getVerbs().contains("create")).singleElement()
        .satisfies(r -> assertThat(r.getResources()).containsExactlyInAnyOrder("services", "projects", "apikeys"));
    var view = clusterRole(objects, "codestore-view");
    assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-edit");
    assertThat(view.getRules()).flatExtracting(r -> r.getVerbs()).containsOnly("get", "list", "watch");
    assertThat(objects).noneMatch(o -> o.getKind().equals("ClusterRoleBinding")
        && o.getMetadata().getName().equals("codestore-marketplace"));

    List<HasMetadata> opened = render(Map.of("userRoles.marketplaceForAllAuthenticated", true,
        "userRoles.aggregate", false));
    var binding = opened.stream().filter(io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class::cast)
        .filter(b -> b.getMetadata().getName().equals("codestore-marketplace")).findFirst().orElseThrow();
    assertThat(binding.getSubjects()).singleElement().satisfies(x -> assertThat(x.getName()).isEqualTo("system:authenticated"));
    assertThat(clusterRole(opened, "codestore-edit").getMetadata().getLabels())
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-edit");
  }

  @Test
  void providerValuesBecomeOperatorSettings() {
    Container c = operator(render(Map.of("database.provider", "external", "database.external.secret", "codestore-system/pg",
        "storage.provider", "external", "storage.external.secret", "codestore-system/s3", "replicas", 2,
        "ingress.domain", "apis.example.com", "network.allowedNamespaces[0]", "ingress-nginx",
        "network.ingressControllerNamespace", "ingress-nginx",
        "runtime.image", "registry.example/codestore/runtime:0.1.0", "usage.collectionInterval", "5m")));
    assertThat(env(c)).containsEntry("CODESTORE_DATABASE_EXTERNAL_SECRET", "codestore-system/pg")
        .containsEntry("CODESTORE_STORAGE_EXTERNAL_SECRET", "codestore-system/s3")
        .containsEntry("CODESTORE_STORAGE_GATEWAY_ENDPOINT", "http://codestore-storage-gateway.codestore-system.svc:8080")
        .containsEntry("CODESTORE_INGRESS_DOMAIN", "apis.example.com")
        .containsEntry("CODESTORE_NETWORK_ALLOWED_NAMESPACES", "codestore-system,ingress-nginx")
        .containsEntry("CODESTORE_NETWORK_INGRESS_CONTROLLER_NAMESPACE", "ingress-nginx")
        .containsEntry("CODESTORE_RUNTIME_IMAGE", "registry.example/codestore/runtime:0.1.0")
        .containsEntry("CODESTORE_USAGE_INTERVAL", "5m")
        .doesNotContainKey("CODESTORE_DATABASE_CNPG_INSTANCES");
  }

  @Test
  void theProviderSecretsTheValuesNameAreReadableByNameInTheirNamespaceOnly() {
    List<HasMetadata> objects = render(Map.of("database.provider", "external", "database.external.secret", "infra/pg-admin",
        "storage.provider", "external", "storage.external.secret", "infra/s3", "ingress.domain", "apis.example.com",
        "ingress.tlsSecret", "certs/wildcard", "storage.external.gateway.enabled", false,
        "storage.external.gateway.endpoint", "https://s3-gateway.example.com"));
    assertThat(env(operator(objects))).containsEntry("CODESTORE_STORAGE_GATEWAY_ENDPOINT", "https://s3-gateway.example.com");
    assertThat(objects).noneMatch(o -> o.getMetadata().getName().equals("codestore-storage-gateway"));
    var roles = objects.stream().filter(io.fabric8.kubernetes.api.model.rbac.Role.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.rbac.Role.class::cast)
        .filter(r -> r.getMetadata().getName().equals("codestore-operator-providers")).toList();
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("infra", "certs");
    assertThat(roles).allSatisfy(r -> assertThat(r.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getVerbs()).containsExactly("get");
      assertThat(rule.getResources()).containsExactly("secrets");
    }));
    assertThat(roles.stream().filter(r -> r.getMetadata().getNamespace().equals("infra")).findFirst().orElseThrow()
        .getRules().get(0).getResourceNames()).containsExactlyInAnyOrder("pg-admin", "s3");
    assertThat(objects.stream().filter(io.fabric8.kubernetes.api.model.rbac.RoleBinding.class::isInstance)
        .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()))
        .contains("infra/codestore-operator-providers", "certs/codestore-operator-providers");
  }

  @Test
  void externalStorageRunsALockedDownGatewayWithThePlatformKeysAndNoApiToken() {
    List<HasMetadata> objects = render(Map.of("storage.provider", "external",
        "storage.external.secret", "codestore-system/s3", "storage.external.gateway.upstreamApi", "aws-s3"));
    Deployment gateway = deployment(objects, "codestore-storage-gateway");
    var pod = gateway.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(operator(objects).getImage());
    assertThat(c.getCommand()).contains("/deployments/storage-gateway/codestore-storage-gateway.jar");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getEnv()).filteredOn(e -> e.getValueFrom() != null)
        .extracting(e -> e.getName() + "=" + e.getValueFrom().getSecretKeyRef().getName() + "/"
            + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactlyInAnyOrder("CODESTORE_GATEWAY_UPSTREAM=s3/endpoint", "CODESTORE_GATEWAY_REGION=s3/region",
            "CODESTORE_GATEWAY_ACCESS_KEY_ID=s3/accessKeyId", "CODESTORE_GATEWAY_SECRET_ACCESS_KEY=s3/secretAccessKey");
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("CODESTORE_GATEWAY_UPSTREAM_API"))
        .extracting(EnvVar::getValue).containsExactly("aws-s3");
    var service = objects.stream().filter(io.fabric8.kubernetes.api.model.Service.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.Service.class::cast)
        .filter(s -> s.getMetadata().getName().equals("codestore-storage-gateway")).findFirst().orElseThrow();
    assertThat(service.getSpec().getSelector()).isEqualTo(gateway.getSpec().getSelector().getMatchLabels())
        .isNotEqualTo(deployment(objects, "codestore-operator").getSpec().getSelector().getMatchLabels());
    assertThat(env(operator(objects))).containsEntry("CODESTORE_STORAGE_GATEWAY_ENDPOINT",
        "http://codestore-storage-gateway.codestore-system.svc:8080");
  }

  @Test
  void theChartsGatewayNeedsThePlatformKeysInItsNamespaceAndAnotherGatewayAnEndpoint() {
    assertThatThrownBy(() -> render(Map.of("storage.provider", "external", "storage.external.secret", "infra/s3")))
        .hasMessageContaining("storage.external.secret is in namespace infra, but the storage gateway this chart runs "
            + "reads it from the release namespace codestore-system");
    assertThatThrownBy(() -> render(Map.of("storage.provider", "external", "storage.external.secret", "infra/s3",
        "storage.external.gateway.enabled", false)))
        .hasMessageContaining("set storage.external.gateway.endpoint to the URL of the storage gateway you run");
    assertThatThrownBy(() -> render(Map.of("storage.provider", "external", "storage.external.secret", "codestore-system/s3",
        "storage.external.gateway.endpoint", "s3-gateway:8080"))).hasMessageContaining("endpoint");
    assertThatThrownBy(() -> render(Map.of("storage.provider", "external", "storage.external.secret", "codestore-system/s3",
        "storage.external.gateway.upstreamApi", "gcs"))).hasMessageContaining("upstreamApi");
  }

  @Test
  void theConsoleIsOffByDefaultAndOnItRunsWithNoIdentityOfItsOwn() {
    assertThat(render(Map.of())).noneMatch(o -> o.getMetadata().getName().startsWith("codestore-console"));
    List<HasMetadata> objects = render(Map.of("console.enabled", true));
    Deployment console = deployment(objects, "codestore-console");
    var pod = console.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).as("no token of its own in the pod").isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo("codestore-console");
    assertThat(objects).filteredOn(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.RoleBinding
        || o instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding)
        .as("no role bound to the console's ServiceAccount").allSatisfy(o -> assertThat(Serialization.asJson(o))
            .doesNotContain("\"name\":\"codestore-console\""));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo("kube-root-ca.crt"));
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("codestore/console:0.1.0");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(env(c)).containsEntry("CODESTORE_CONSOLE_CA_FILE", "/etc/codestore-console/cluster/ca.crt")
        .containsEntry("CODESTORE_CONSOLE_SECURE_COOKIE", "false");
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath())
        .contains("/etc/codestore-console/cluster");
    assertThat(objects).noneMatch(o -> o.getKind().equals("Ingress"));

    List<HasMetadata> exposed = render(Map.of("console.enabled", true, "console.ingress.enabled", true,
        "console.ingress.host", "console.example.com", "console.ingress.tlsSecret", "console-tls",
        "console.ingress.className", "nginx"));
    var ingress = exposed.stream().filter(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class::cast).findFirst().orElseThrow();
    assertThat(ingress.getSpec().getTls()).singleElement().satisfies(t -> {
      assertThat(t.getHosts()).containsExactly("console.example.com");
      assertThat(t.getSecretName()).isEqualTo("console-tls");
    });
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
        .isEqualTo("codestore-console");
    assertThat(env(deployment(exposed, "codestore-console").getSpec().getTemplate().getSpec().getContainers().get(0)))
        .as("behind TLS the sign-in cookie goes back over HTTPS only")
        .containsEntry("CODESTORE_CONSOLE_SECURE_COOKIE", "true");
    assertThatThrownBy(() -> render(Map.of("console.enabled", true, "console.ingress.enabled", true)))
        .as("an Ingress needs a host").hasMessageContaining("host");
  }

  @Test
  void monitoringObjectsAndTheDisruptionBudgetAreRenderedOnlyWhenAskedFor() {
    assertThat(render(Map.of())).extracting(HasMetadata::getKind)
        .doesNotContain("ServiceMonitor", "PodMonitor", "PrometheusRule", "PodDisruptionBudget");
    List<HasMetadata> objects = render(Map.of("metrics.serviceMonitor.enabled", true, "metrics.podMonitor.enabled", true,
        "metrics.prometheusRule.enabled", true, "metrics.labels.release", "kube-prometheus",
        "podDisruptionBudget.enabled", true, "replicas", 2));
    Map<String, Object> monitor = spec(objects, "ServiceMonitor");
    assertThat(monitor).extractingByKey("selector").isEqualTo(Map.of("matchLabels",
        deployment(objects, "codestore-operator").getSpec().getSelector().getMatchLabels()));
    assertThat(String.valueOf(monitor.get("endpoints"))).contains("port=http").contains("path=/q/metrics");
    Map<String, Object> pods = spec(objects, "PodMonitor");
    // the labels the operator puts on every runtime pod, and the port its Deployment names
    assertThat(String.valueOf(pods.get("selector"))).contains("app.kubernetes.io/name=" + store.code.api.Labels.RUNTIME_APP);
    assertThat(String.valueOf(pods.get("podMetricsEndpoints"))).contains("port=management");
    assertThat(objects).filteredOn(o -> o.getKind().endsWith("Monitor") || o.getKind().equals("PrometheusRule"))
        .allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsEntry("release", "kube-prometheus"));
    assertThat(alertExpressions(objects)).containsOnlyKeys("CodestoreInstanceFailed", "CodestoreBillingCollectionStale",
        "CodestoreReconcileErrors").containsEntry("CodestoreBillingCollectionStale",
            "max(codestore_usage_collection_lag_seconds) > 600");
    assertThat(spec(objects, "PodDisruptionBudget")).containsEntry("maxUnavailable", 1);
  }

  @Test
  void imagePullSecretsReachEveryPodTheChartRuns() {
    List<HasMetadata> objects = render(Map.of("imagePullSecrets[0].name", "registry", "console.enabled", true,
        "storage.provider", "external", "storage.external.secret", "codestore-system/s3"));
    assertThat(objects).filteredOn(Deployment.class::isInstance).hasSize(3).allSatisfy(d -> assertThat(((Deployment) d)
        .getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry"));
  }

  /** The spec of the one rendered object of {@code kind} (a kind Fabric8 has no class for: a map). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(List<HasMetadata> objects, String kind) {
    HasMetadata o = objects.stream().filter(x -> x.getKind().equals(kind)).findFirst().orElseThrow();
    return (Map<String, Object>) Serialization.jsonMapper().convertValue(o, Map.class).get("spec");
  }

  /** The chart's alert rules, by name: their PromQL expressions. */
  @SuppressWarnings("unchecked")
  static Map<String, String> alertExpressions(List<HasMetadata> objects) {
    Map<String, String> exprs = new java.util.TreeMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) spec(objects, "PrometheusRule").get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        exprs.put((String) rule.get("alert"), (String) rule.get("expr"));
      }
    }
    return exprs;
  }

  @Test
  void theNotesGiveCommandsNotRepositoryPaths() {
    String notes = new Helm(CHART).install().withName("codestore").withNamespace("codestore-system").clientOnly()
        .dryRun().set("console.enabled", true).call().getOutput();
    assertThat(notes).contains("kubectl get codestore -A")
        .contains("kubectl -n codestore-system port-forward svc/codestore-console 8090")
        .doesNotContain("examples/").doesNotContain("docs/");
    assertThat(new Helm(CHART).install().withName("codestore").withNamespace("codestore-system").clientOnly().dryRun()
        .call().getOutput()).as("no console, no console notes").doesNotContain("codestore-console");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown provider          | database.provider           | mysql         | database.provider
      external without secret   | database.provider           | external      | database.provider is external, so set database.external.secret
      a typo in a key           | databse.provider            | cnpg          | Additional property databse is not allowed
      storage without secret    | storage.provider            | external      | set storage.external.secret
      bucket class missing      | storage.provider            | objectbucketclaim | set storage.objectbucketclaim.storageClass to the StorageClass
      zero replicas             | replicas                    | 0             | replicas
      bad secret reference      | database.external.secret    | Not/A Secret  | database.external.secret
      bad pull policy           | image.pullPolicy            | Sometimes     | pullPolicy
      interval without a unit   | usage.collectionInterval    | 60            | usage.collectionInterval
      interval in words         | usage.collectionInterval    | one minute    | usage.collectionInterval
      ingress namespace invalid | network.ingressControllerNamespace | Ingress_NGINX | ingressControllerNamespace
      a user-role flag in words | userRoles.marketplaceForAllAuthenticated | yes please | marketplaceForAllAuthenticated
      a typo in user roles      | userRoles.agregate          | true          | Additional property agregate is not allowed
      console service type      | console.service.type        | Ingress       | console.service.type
      console replicas zero     | console.replicas            | 0             | console.replicas
      a typo in the console     | console.enable              | true          | Additional property enable is not allowed
      a typo in metrics         | metrics.serviceMonitor.enable | true        | Additional property enable is not allowed
      scrape interval in words  | metrics.interval            | often         | metrics.interval
      a lag under a minute      | metrics.prometheusRule.collectionLagSeconds | 5 | collectionLagSeconds
      a pull secret as a string | imagePullSecrets            | my-registry   | imagePullSecrets
      a PDB flag in words       | podDisruptionBudget.enabled | always        | podDisruptionBudget.enabled
      """)
  void refusesBadValuesNamingTheKey(String what, String key, String value, String named) {
    Object v = value.matches("\\d+") ? Integer.valueOf(value) : value;
    assertThatThrownBy(() -> render(Map.of(key, v))).as(what).hasMessageContaining(named);
  }
}
