package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.client.KubernetesClientException;

import store.code.api.Conditions;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.api.SecretData;

/**
 * Project API keys against a real API server: an ApiKey becomes a key written once into its Secret, its hash goes to
 * the instances it reaches (and only those), and expiry or deletion takes it away from them; a project's token
 * settings reach each environment's runtime. The operator's clock runs at the real pace from the real instant, so an
 * expiry a few seconds ahead is a few seconds ahead (no date is assumed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class ApiKeyIT {

  KubeCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = KubeCluster.withFakeProviders();
    cluster.startOperator(OperatorSettings.defaults(), b -> b.clock(TestClock.runningFrom(Instant.now())));
    cluster.applyExamplesAndAwaitWebshop();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  ApiKey key(String name) {
    return cluster.admin.resources(ApiKey.class).inNamespace("acme").withName(name).get();
  }

  /** The key hashes an instance's runtime reads. */
  String keysOf(String instance) {
    String ns = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName(instance).get().getStatus()
        .getTargetNamespace();
    var secret = cluster.admin.secrets().inNamespace(ns).withName("api-keys").get();
    return secret == null ? null : SecretData.decode(secret).get("keys");
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aKeyIsMadeOnceAndOnlyItsHashReachesTheInstancesItNames() throws Exception {
    cluster.applyYaml("""
        apiVersion: code.store/v1alpha1
        kind: ApiKey
        metadata: {name: shop-backend, namespace: acme}
        spec: {project: webshop, environments: [prod], services: [cart], description: the shop's server}
        """);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      ApiKey k = key("shop-backend");
      assertThat(Conditions.isTrue(k.getStatus().getConditions(), "Ready")).isTrue();
      assertThat(k.getStatus().getInstances()).containsExactly("webshop-cart-prod");
    });
    Map<String, String> secret = SecretData.decode(cluster.admin.secrets().inNamespace("acme").withName("shop-backend").get());
    String plain = secret.get("key");
    assertThat(plain).startsWith("csk_").hasSize(47);
    ApiKey made = key("shop-backend");
    assertThat(made.getStatus().getKeyId()).isEqualTo(secret.get("keyId"));
    assertThat(made.getStatus().getKeyHash()).isEqualTo(sha256(plain));
    String line = made.getStatus().getKeyId() + " " + sha256(plain) + "\n";
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(keysOf("webshop-cart-prod")).contains(line));
    assertThat(keysOf("webshop-cart-dev")).as("another environment").doesNotContain(made.getStatus().getKeyId());
    assertThat(keysOf("webshop-rooms-prod")).as("another service").doesNotContain(made.getStatus().getKeyId());
    for (String instance : new String[] {"webshop-cart-prod", "webshop-cart-dev", "webshop-rooms-prod", "webshop-rooms-dev"}) {
      assertThat(keysOf(instance)).as("no plain key outside its Secret").doesNotContain(plain);
    }

    // the key is written once: a later pass does not make a new one
    cluster.admin.resources(ApiKey.class).inNamespace("acme").withName("shop-backend").edit(k -> {
      k.getSpec().setDescription("the shop's server, v2");
      return k;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> key("shop-backend").getStatus().getObservedGeneration() == 2L);
    assertThat(SecretData.decode(cluster.admin.secrets().inNamespace("acme").withName("shop-backend").get()).get("key"))
        .isEqualTo(plain);

    cluster.admin.resources(ApiKey.class).inNamespace("acme").withName("shop-backend").delete(); // revoke
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(keysOf("webshop-cart-prod")).doesNotContain(made.getStatus().getKeyId()));
  }

  @Test
  void anExpiredKeyLeavesEveryInstance() {
    String soon = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS).toString();
    cluster.applyYaml("""
        apiVersion: code.store/v1alpha1
        kind: ApiKey
        metadata: {name: short-lived, namespace: acme}
        spec: {project: webshop, expiresAt: "%s"}
        """.formatted(soon));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
        assertThat(keysOf("webshop-rooms-dev")).contains(key("short-lived").getStatus().getKeyId()));
    String keyId = key("short-lived").getStatus().getKeyId();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      var ready = Conditions.find(key("short-lived").getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getReason()).isEqualTo("Expired");
      assertThat(keysOf("webshop-rooms-dev")).doesNotContain(keyId);
      assertThat(keysOf("webshop-cart-prod")).doesNotContain(keyId);
    });
  }

  @Test
  void aSecretOfTheSameNameThatIsNotTheKeysIsLeftAloneAndSaidSo() {
    cluster.applyYaml("""
        apiVersion: v1
        kind: Secret
        metadata: {name: taken, namespace: acme}
        stringData: {password: hunter2}
        ---
        apiVersion: code.store/v1alpha1
        kind: ApiKey
        metadata: {name: taken, namespace: acme}
        spec: {project: webshop}
        """);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(Conditions.find(
        key("taken").getStatus().getConditions(), "Ready").orElseThrow().getReason()).isEqualTo("SecretConflict"));
    assertThat(SecretData.decode(cluster.admin.secrets().inNamespace("acme").withName("taken").get()))
        .containsOnlyKeys("password");
  }

  @Test
  void malformedKeysAreRefusedAtTheDoor() {
    for (String[] bad : new String[][] {
        {"spec: {environments: [prod]}", "spec.project: Required value"},
        {"spec: {project: webshop, expiresAt: tomorrow}", "spec.expiresAt"},
        {"spec: {project: webshop, environments: [Prod]}", "spec.environments"}}) {
      assertThatThrownBy(() -> cluster.admin.resource("apiVersion: code.store/v1alpha1\nkind: ApiKey\nmetadata: {name: bad, "
          + "namespace: acme}\n" + bad[0]).create())
          .isInstanceOf(KubernetesClientException.class).hasMessageContaining(bad[1]);
    }
  }

  @Test
  void aProjectsTokenSettingsReachEachEnvironmentsRuntimeWithPerEnvironmentOverrides() {
    cluster.applyYaml("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: signed, namespace: acme}
        spec:
          environments: [dev, prod]
          auth: {jwt: {issuer: "https://dev-id.example.org", audiences: [signed], jwksUri: "https://dev-id.example.org/jwks"}}
          environmentSettings:
            prod: {auth: {jwt: {issuer: "https://id.example.org", audiences: [signed], jwksUri: "https://id.example.org/jwks",
                                groupsClaim: roles}}}
          services:
          - name: rooms
            serviceRef: {name: meeting-rooms, namespace: acme-makers}
        """);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      assertThat(runtimeEnv("signed-rooms-dev")).containsEntry("CODESTORE_JWT_ISSUER", "https://dev-id.example.org")
          .doesNotContainKey("CODESTORE_JWT_GROUPS_CLAIM");
      assertThat(runtimeEnv("signed-rooms-prod")).containsEntry("CODESTORE_JWT_ISSUER", "https://id.example.org")
          .containsEntry("CODESTORE_JWT_GROUPS_CLAIM", "roles").containsEntry("CODESTORE_JWT_AUDIENCE", "signed");
    });
    assertThatThrownBy(() -> cluster.admin.resource("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: unsigned, namespace: acme}
        spec:
          environments: [dev]
          auth: {jwt: {issuer: "id.example.org", audiences: []}}
          services: [{name: rooms, serviceRef: {name: meeting-rooms, namespace: acme-makers}}]
        """).create()).isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.auth.jwt.issuer")
        .hasMessageContaining("spec.auth.jwt.jwksUri");
  }

  Map<String, String> runtimeEnv(String instance) {
    String ns = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName(instance).get().getStatus()
        .getTargetNamespace();
    Map<String, String> env = new java.util.HashMap<>();
    cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }
}
