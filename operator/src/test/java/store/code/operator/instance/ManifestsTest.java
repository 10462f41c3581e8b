package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.Visibility;
import store.code.operator.Fixtures;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.database.CnpgDatabase;

/** The desired-state builders are pure functions: same inputs, same objects. */
class ManifestsTest {
  final ServiceInstance instance = Fixtures.instance("acme", "webshop", "cart", "prod");
  final Target target = Target.of(instance);
  final CodeService service = Fixtures.service("makers", "shopping-cart", Visibility.Public, 1, 3);
  final OperatorSettings settings = OperatorSettings.defaults();

  @Test
  void theProjectsSecretsAreMountedIntoTheRuntimeOnlyAndOnlyWhenThereAreSome() {
    var without = RuntimeManifests.deployment(target, service, instance, settings, "h", "1.0.0", "c");
    assertThat(without.toString()).doesNotContain(SecretsStep.SECRET).doesNotContain("CODESTORE_SECRETS_PATH");

    ServiceInstance with = Fixtures.instance("acme", "webshop", "cart", "prod");
    with.getSpec().setSecretRefs(List.of(new store.code.api.v1alpha1.SecretRef("cart-keys", null)));
    CodeService coded = Fixtures.withCode(service, "acme/cart-code:1");
    var pod = RuntimeManifests.deployment(target, coded, with, settings, "h", "1.0.0", "c").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null
        && SecretsStep.SECRET.equals(v.getSecret().getSecretName())).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getOptional()).as("a missing copy keeps the pod from starting").isNotEqualTo(true));
    var runtime = pod.getContainers().stream().filter(c -> c.getName().equals(RuntimeManifests.NAME)).findFirst().orElseThrow();
    assertThat(runtime.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo(RuntimeManifests.SECRETS_DIR);
      assertThat(m.getReadOnly()).isTrue();
    });
    assertThat(runtime.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
        .isEqualTo("CODESTORE_SECRETS_PATH=" + RuntimeManifests.SECRETS_DIR));
    var code = pod.getContainers().stream().filter(c -> c.getName().equals(RuntimeManifests.CODE_CONTAINER)).findFirst()
        .orElseThrow();
    assertThat(code.getVolumeMounts()).as("maker code gets values per call, never the files")
        .noneSatisfy(m -> assertThat(m.getName()).isEqualTo("secrets"));
  }

  @Test
  void everyObjectCarriesTheInstanceIdentity() {
    var quota = NamespaceManifests.quota(target, settings.quota());
    assertThat(quota.getMetadata().getNamespace()).isEqualTo(target.namespace());
    assertThat(quota.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "codestore-operator")
        .containsEntry(Labels.INSTANCE, "acme.webshop-cart-prod").containsEntry(Labels.ENVIRONMENT, "prod");
    assertThat(quota.getMetadata().getAnnotations()).containsEntry(Labels.INSTANCE_NAMESPACE_ANNOTATION, "acme")
        .containsEntry(Labels.INSTANCE_NAME_ANNOTATION, "webshop-cart-prod");
  }

  @Test
  void namespaceEnforcesRestrictedPodSecurity() {
    var ns = NamespaceManifests.namespace(target);
    assertThat(ns.getMetadata().getName()).isEqualTo(target.namespace());
    assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void networkPolicyAdmitsOnlyTheNamespaceAndThePlatform() {
    var policy = NamespaceManifests.networkPolicy(target, new OperatorSettings.Network(List.of("codestore-system"),
        java.util.Optional.of("ingress-nginx")));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    var from = policy.getSpec().getIngress().get(0).getFrom();
    assertThat(from).hasSize(3);
    assertThat(from.get(0).getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(from.get(1).getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "codestore-system");
    assertThat(from.toString()).as("the ingress controller reaches no database").doesNotContain("ingress-nginx");
  }

  @Test
  void theRuntimesApiPortAdmitsItsProjectsNamespaceAndTheIngressControllerOnlyWithAnIngress() {
    var network = new OperatorSettings.Network(List.of("codestore-system"), java.util.Optional.of("ingress-nginx"));
    var without = NamespaceManifests.runtimeCallers(target, network, false);
    assertThat(without.getSpec().getPodSelector().getMatchLabels()).isEqualTo(target.runtimeSelector());
    var rule = without.getSpec().getIngress().get(0);
    assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
    assertThat(rule.getFrom()).singleElement().satisfies(f -> assertThat(f.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "acme")));
    var with = NamespaceManifests.runtimeCallers(target, network, true);
    assertThat(with.getSpec().getIngress().get(0).getFrom()).extracting(f -> f.getNamespaceSelector().getMatchLabels()
        .get("kubernetes.io/metadata.name")).containsExactly("acme", "ingress-nginx");
  }

  @Test
  void theRuntimeReachesItsNamespaceDnsAndTheEndpointsItWasGivenOnly() {
    var policy = NamespaceManifests.runtimeEgress(target, List.of(
        new store.code.operator.support.StepResult.Endpoint("10.1.2.3", 5432),
        new store.code.operator.support.StepResult.Endpoint("rook-ceph-rgw.rook-ceph.svc", 80),
        new store.code.operator.support.StepResult.Endpoint("minio", 9000),
        new store.code.operator.support.StepResult.Endpoint("login.example.com", 443),
        new store.code.operator.support.StepResult.Endpoint("[fd00::1]", 5432)));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(target.runtimeSelector());
    var rules = policy.getSpec().getEgress();
    assertThat(rules).hasSize(7);
    assertThat(rules.get(0).getTo()).singleElement().satisfies(t -> assertThat(t.getPodSelector().getMatchLabels()).isNullOrEmpty());
    assertThat(rules.get(1).getTo()).as("DNS, anywhere").isNullOrEmpty();
    assertThat(rules.get(1).getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
    assertThat(rules.get(2).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.1.2.3/32");
    assertThat(rules.get(2).getPorts().get(0).getPort().getIntVal()).isEqualTo(5432);
    assertThat(rules.get(3).getTo().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "rook-ceph");
    assertThat(rules.get(4).getTo().get(0).getPodSelector()).as("a bare name: a Service of this namespace").isNotNull();
    assertThat(rules.get(5).getTo()).as("a name outside the cluster: only the port is known").isNullOrEmpty();
    assertThat(rules.get(5).getPorts().get(0).getPort().getIntVal()).isEqualTo(443);
    assertThat(rules.get(6).getTo().get(0).getIpBlock().getCidr()).isEqualTo("fd00::1/128");
  }

  @Test
  void makerEgressAddsItsDestinationsToThePodsEgressAndNothingWithoutMakerCode() {
    CodeService service = Fixtures.service("makers", "payments", Visibility.Public, 1, 1);
    var code = new store.code.api.v1alpha1.CodeSpec();
    code.setEgress(List.of(new store.code.api.v1alpha1.CodeEgress("203.0.113.10/32", 443)));
    service.getSpec().setCode(code);
    assertThat(RuntimeManifests.codeEgress(service)).as("egress without code.image opens nothing").isEmpty();
    code.setImage("example/code:1");
    var policy = NamespaceManifests.runtimeEgress(target, List.of(), RuntimeManifests.codeEgress(service));
    assertThat(policy.getSpec().getEgress()).hasSize(3);
    assertThat(policy.getSpec().getEgress().get(2).getTo()).singleElement()
        .satisfies(to -> assertThat(to.getIpBlock().getCidr()).isEqualTo("203.0.113.10/32"));
    assertThat(policy.getSpec().getEgress().get(2).getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("TCP/443");
    code.setEgress(null);
    assertThat(NamespaceManifests.runtimeEgress(target, List.of(), RuntimeManifests.codeEgress(service)).getSpec()
        .getEgress()).hasSize(2);
  }

  @Test
  void theIdentityProvidersKeySetIsAnEndpointOfTheRuntime() {
    ServiceInstance withJwt = Fixtures.instance("acme", "webshop", "cart", "prod");
    var auth = new store.code.api.v1alpha1.ProjectAuth();
    var jwt = new store.code.api.v1alpha1.JwtAuth();
    jwt.setJwksUri("https://login.example.com/.well-known/jwks.json");
    auth.setJwt(jwt);
    withJwt.getSpec().setAuth(auth);
    assertThat(NamespaceManifests.identityProviderEndpoint(withJwt))
        .contains(new store.code.operator.support.StepResult.Endpoint("login.example.com", 443));
    assertThat(NamespaceManifests.identityProviderEndpoint(instance)).isEmpty();
  }

  @Test
  void runtimeServiceAccountHasNoToken() {
    assertThat(NamespaceManifests.runtimeServiceAccount(target).getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void deploymentFollowsTheRuntimeContract() {
    Deployment d = RuntimeManifests.deployment(target, service, instance, settings, "abc", "1.0.0", "cfg");
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    var pod = d.getSpec().getTemplate();
    assertThat(pod.getMetadata().getAnnotations()).containsEntry(Labels.SCHEMA_HASH_ANNOTATION, "abc");
    assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("schema")).singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("service-schema-1-0-0-abc"));
    assertThat(RuntimeManifests.schemaConfigMapName("2.0.0-RC.1+b7", "0123456789abcdef"))
        .isEqualTo("service-schema-2-0-0-rc-1-b7-0123456789ab");
    var versioned = RuntimeManifests.versionSchemaConfigMap(target, "type A @model { x: Int }", "1.0.0", "abc");
    assertThat(versioned.getMetadata().getName()).isEqualTo("service-schema-1-0-0-abc");
    assertThat(versioned.getMetadata().getLabels()).containsEntry(RuntimeManifests.VERSION_SCHEMA_LABEL, "true");
    assertThat(RuntimeManifests.schemaConfigMap(target, "s", "1.0.0", "abc").getMetadata().getLabels())
        .as("the current one is not deleted with the unmounted ones").doesNotContainKey(RuntimeManifests.VERSION_SCHEMA_LABEL);
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getInitContainers()).isEmpty();
    var c = pod.getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("codestore/runtime:0.1.0");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    Map<String, EnvVar> env = c.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("CODESTORE_SCHEMA_PATH").getValue()).isEqualTo("/etc/codestore/schema.graphql");
    assertThat(env.get("CODESTORE_DB_NAME").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("dbname");
    assertThat(env).doesNotContainKey("CODESTORE_S3_BUCKET");
    assertThat(c.getEnvFrom().get(0).getPrefix()).isEqualTo("CODESTORE_CONFIG_");
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(target.runtimeSelector());
    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(target.runtimeSelector());
  }

  @Test
  void storageEnvAndMakerCodeOnlyWhenThereIsSome() {
    OperatorSettings withStorage = settings.withStorage(OperatorSettings.StorageProvider.external, "ns/s3");
    Deployment d = RuntimeManifests.deployment(target, Fixtures.withCode(service, "acme/cart-code:1"), instance, withStorage, "h", "1.0.0", "c");
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getEnv()).extracting(EnvVar::getName).contains("CODESTORE_S3_ENDPOINT", "CODESTORE_S3_BUCKET", "AWS_ACCESS_KEY_ID");
    var init = d.getSpec().getTemplate().getSpec().getInitContainers();
    assertThat(init).singleElement().satisfies(i -> {
      assertThat(i.getImage()).isEqualTo("acme/cart-code:1");
      assertThat(i.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    });
  }

  @Test
  void makerCodeRunsInItsOwnContainerAsAnotherUserWithNoCredentialAndTheRuntimeNoLongerSeesItsJars() {
    OperatorSettings withStorage = settings.withStorage(OperatorSettings.StorageProvider.external, "ns/s3");
    CodeService withCode = Fixtures.withCode(Fixtures.service("makers", "cart", Visibility.Public, 1, 3), "acme/cart-code:1");
    var limits = new store.code.api.v1alpha1.ServiceLimits();
    limits.setCodeTimeout("3s");
    withCode.getSpec().setLimits(limits);
    var pod = RuntimeManifests.deployment(target, withCode, instance, withStorage, "h", "1.0.0", "c").getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).extracting(c -> c.getName()).containsExactly("runtime", "code");
    var runtime = pod.getContainers().get(0);
    var code = pod.getContainers().get(1);

    assertThat(code.getImage()).as("the host jar ships in the runtime image").isEqualTo("codestore/runtime:0.1.0");
    assertThat(code.getCommand()).contains("/deployments/code-host/codestore-code-host.jar");
    assertThat(code.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(code.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(code.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(code.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(code.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(code.getEnvFrom()).as("not even the project's config: it comes with each call").isEmpty();
    assertThat(code.getEnv()).extracting(EnvVar::getName).containsExactlyInAnyOrder("CODESTORE_CODE_DIR", "CODESTORE_CODE_PORT",
        "CODESTORE_CODE_SUPERVISE", "CODESTORE_CODE_JAVA_OPTIONS");
    assertThat(code.getEnv()).filteredOn(e -> e.getName().equals("CODESTORE_CODE_JAVA_OPTIONS")).singleElement()
        .satisfies(e -> assertThat(e.getValue()).contains("-XX:+ExitOnOutOfMemoryError"));
    assertThat(code.getEnv()).allSatisfy(e -> assertThat(e.getValueFrom()).as("no secret reaches it").isNull());
    assertThat(code.getVolumeMounts()).extracting(m -> m.getName()).containsExactlyInAnyOrder("code", "code-tmp");
    assertThat(pod.getShareProcessNamespace()).as("the runtime's /proc/<pid>/environ stays out of sight").isNotEqualTo(true);
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    Map<String, EnvVar> env = runtime.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("CODESTORE_CODE_URL").getValue()).isEqualTo("http://127.0.0.1:8090");
    assertThat(env.get("CODESTORE_CODE_TIMEOUT").getValue()).isEqualTo("3s");
    assertThat(env).doesNotContainKey("CODESTORE_CODE_DIR");
    assertThat(runtime.getVolumeMounts()).extracting(m -> m.getName()).doesNotContain("code", "code-tmp");

    var none = RuntimeManifests.deployment(target, service, instance, settings, "h", "1.0.0", "c").getSpec().getTemplate().getSpec();
    assertThat(none.getContainers()).extracting(c -> c.getName()).containsExactly("runtime");
    assertThat(none.getVolumes()).extracting(v -> v.getName()).doesNotContain("code", "code-tmp");
  }

  @Test
  void suspendedScalesToZeroAndDropsTheAutoscaler() {
    assertThat(RuntimeManifests.wantsAutoscaler(service, instance)).isTrue();
    assertThat(RuntimeManifests.autoscaler(target, service, instance).getSpec().getMaxReplicas()).isEqualTo(3);
    instance.getSpec().setSuspended(true);
    assertThat(RuntimeManifests.replicas(service, instance)).isZero();
    assertThat(RuntimeManifests.wantsAutoscaler(service, instance)).isFalse();
    assertThat(RuntimeManifests.wantsAutoscaler(Fixtures.service("m", "s", Visibility.Public, 2, 2),
        Fixtures.instance("acme", "p", "s", "dev"))).isFalse();
  }

  @Test
  void theIngressRoutesOnlyTheApiAtTheNamespaceUnderTheDomainWithTlsWhenThePlatformHasIt() {
    var ingress = RuntimeManifests.ingress(target, "apps.example.com", settings);
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo(target.namespace() + ".apps.example.com");
    assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths()).extracting(p -> p.getPath())
        .containsExactly("/graphql", "/graphql-ui");
    assertThat(ingress.getSpec().getTls()).as("no certificate configured").isEmpty();

    var issued = RuntimeManifests.ingress(target, "apps.example.com", settings.withIngress("apps.example.com", null, "letsencrypt"));
    assertThat(issued.getMetadata().getAnnotations()).containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
    assertThat(issued.getSpec().getTls()).singleElement().satisfies(tls -> {
      assertThat(tls.getHosts()).containsExactly(target.namespace() + ".apps.example.com");
      assertThat(tls.getSecretName()).isEqualTo("runtime-tls");
    });
    var copied = RuntimeManifests.ingress(target, "apps.example.com",
        settings.withIngress("apps.example.com", "ingress-system/wildcard", null));
    assertThat(copied.getMetadata().getAnnotations()).doesNotContainKey("cert-manager.io/cluster-issuer");
    assertThat(copied.getSpec().getTls()).singleElement().extracting(t -> t.getSecretName()).isEqualTo("runtime-tls");
    var platform = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("wildcard").endMetadata()
        .withType("kubernetes.io/tls").withData(Map.of("tls.crt", "Y3J0", "tls.key", "a2V5")).build();
    assertThat(RuntimeManifests.tlsSecret(target, platform).getData()).containsEntry("tls.crt", "Y3J0");
    assertThat(RuntimeManifests.tlsSecret(target, platform).getMetadata().getNamespace()).isEqualTo(target.namespace());
  }

  @Test
  void schemaConfigMapHoldsSchemaVersionAndHash() {
    var cm = RuntimeManifests.schemaConfigMap(target, Fixtures.SCHEMA, "1.0.0", "h1");
    assertThat(cm.getData()).containsEntry("schema.graphql", Fixtures.SCHEMA).containsEntry("version", "1.0.0").containsEntry("hash", "h1");
  }

  @Test
  void cnpgClusterBootstrapsDatabaseAppOwnedByApp() {
    var cluster = CnpgDatabase.cluster(target, service, 2);
    assertThat(cluster.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
    assertThat(cluster.getMetadata().getName()).isEqualTo("db");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("instances", 2).containsEntry("storage", Map.of("size", "2Gi"))
        .containsEntry("bootstrap", Map.of("initdb", Map.of("database", "app", "owner", "app")));
  }

  @Test
  void cnpgReadinessNeedsTheReadyConditionAndEveryInstance() {
    var cluster = CnpgDatabase.cluster(target, service, 2);
    assertThat(CnpgDatabase.readiness(cluster, 2).ready()).isFalse();
    cluster.getAdditionalProperties().put("status", Map.of("readyInstances", 1, "phase", "Creating replica",
        "conditions", List.of(Map.of("type", "Ready", "status", "False"))));
    assertThat(CnpgDatabase.readiness(cluster, 2).message()).contains("1/2").contains("Creating replica");
    cluster.getAdditionalProperties().put("status", Map.of("readyInstances", 2,
        "conditions", List.of(Map.of("type", "Ready", "status", "True"))));
    assertThat(CnpgDatabase.readiness(cluster, 2).ready()).isTrue();
  }

  @Test
  void runtimeReadinessWaitsForTheRolloutOfTheCurrentTemplate() {
    Deployment d = RuntimeManifests.deployment(target, service, instance, settings, "h", "1.0.0", "c");
    d.getMetadata().setGeneration(2L);
    assertThat(RuntimeStep.runtimeReadiness(d, 1).reason()).isEqualTo("RolloutInProgress");
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReadyReplicas(1).withUpdatedReplicas(1).build());
    assertThat(RuntimeStep.runtimeReadiness(d, 1).ready()).as("old generation observed").isFalse();
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(1).withReadyReplicas(0)
        .withUpdatedReplicas(1).withAvailableReplicas(0).build());
    assertThat(RuntimeStep.runtimeReadiness(d, 1).ready()).isFalse();
    // the new template's pod is not ready (e.g. a refused schema change) while the old pod still serves
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(2).withReadyReplicas(1)
        .withUpdatedReplicas(1).withAvailableReplicas(1).build());
    assertThat(RuntimeStep.runtimeReadiness(d, 1).ready()).as("an old pod still serves").isFalse();
    assertThat(RuntimeStep.runtimeReadiness(d, 1).message()).contains("1 of an older one");
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(1).withReadyReplicas(1)
        .withUpdatedReplicas(1).withAvailableReplicas(1).build());
    assertThat(RuntimeStep.runtimeReadiness(d, 1).ready()).isTrue();
    assertThat(RuntimeStep.runtimeReadiness(d, 0).reason()).isEqualTo("Suspended");
  }

  @Test
  void buildersArePure() {
    assertThat(RuntimeManifests.deployment(target, service, instance, settings, "h", "1.0.0", "c"))
        .isEqualTo(RuntimeManifests.deployment(target, service, instance, settings, "h", "1.0.0", "c"));
    assertThat(store.code.operator.support.Applier.desiredHash(NamespaceManifests.quota(target, settings.quota())))
        .isEqualTo(store.code.operator.support.Applier.desiredHash(NamespaceManifests.quota(target, settings.quota())));
  }

  @Test
  void theRuntimeServesItsApiOnOnePortAndHealthMetricsAndUsageOnTheManagementPort() {
    var d = RuntimeManifests.deployment(target, service, instance, settings, "h1", "1.0.0", "c1");
    var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "management:9000");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(RuntimeManifests.service(target).getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("http:8080", "management:9000");
    assertThat(RuntimeManifests.ingress(target, "apps.example.org", settings).getSpec().getRules().get(0).getHttp()
        .getPaths()).allSatisfy(p -> assertThat(p.getBackend().getService().getPort().getNumber()).isEqualTo(8080));
  }

  @Test
  void theRuntimeReadsTheKeyHashesFromAFileAndTheProjectsTokenSettingsFromItsEnvironment() {
    var jwt = new store.code.api.v1alpha1.JwtAuth();
    jwt.setIssuer("https://id.example.org");
    jwt.setAudiences(List.of("webshop", "webshop-mobile"));
    jwt.setJwksUri("https://id.example.org/jwks");
    var auth = new store.code.api.v1alpha1.ProjectAuth();
    auth.setJwt(jwt);
    instance.getSpec().setAuth(auth);
    instance.getSpec().setCors(List.of("https://shop.example.org", "https://admin.example.org"));
    var pod = RuntimeManifests.deployment(target, service, instance, settings, "h1", "1.0.0", "c1").getSpec().getTemplate().getSpec();
    var env = pod.getContainers().get(0).getEnv();
    assertThat(env).extracting(e -> e.getName() + "=" + e.getValue()).contains(
        "CODESTORE_API_KEYS_FILE=/etc/codestore-access/keys", "CODESTORE_JWT_ISSUER=https://id.example.org",
        "CODESTORE_JWT_AUDIENCE=webshop,webshop-mobile", "CODESTORE_JWT_JWKS_URL=https://id.example.org/jwks",
        "QUARKUS_MANAGEMENT_PORT=9000", "QUARKUS_HTTP_CORS_ORIGINS=https://shop.example.org,https://admin.example.org");
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("access")).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("api-keys"));
    var limits = new store.code.api.v1alpha1.ServiceLimits();
    limits.setRequestsPerSecond(20);
    service.getSpec().setLimits(limits);
    assertThat(RuntimeManifests.deployment(target, service, instance, settings, "h1", "1.0.0", "c1").getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
        .contains("CODESTORE_RATE_LIMIT_REQUESTS_PER_SECOND=20", "CODESTORE_RATE_LIMIT_BURST=20");
    assertThat(RuntimeManifests.keysSecret(target, "key-1 abc\n", "t0ken").getStringData())
        .containsEntry("keys", "key-1 abc\n").containsEntry("push-token", "t0ken");
  }
}
