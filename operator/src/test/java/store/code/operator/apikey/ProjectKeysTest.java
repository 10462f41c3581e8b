package store.code.operator.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.ApiKeyStatus;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.Fixtures;

/** Which instances a key reaches, and the file they get: pure functions of the keys, the instance and now. */
class ProjectKeysTest {

  static final Instant NOW = Instant.parse("2027-03-01T10:00:00Z");

  static ApiKey key(String name, String project, List<String> envs, List<String> services, String expiresAt) {
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName(name).build());
    ApiKeySpec spec = new ApiKeySpec();
    spec.setProject(project);
    spec.setEnvironments(envs);
    spec.setServices(services);
    spec.setExpiresAt(expiresAt);
    k.setSpec(spec);
    ApiKeyStatus status = new ApiKeyStatus();
    status.setKeyId("key-" + name);
    status.setKeyHash(ProjectKeys.sha256("csk_" + name));
    k.setStatus(status);
    return k;
  }

  final ServiceInstance cartProd = Fixtures.instance("acme", "webshop", "cart", "prod");

  @Test
  void aKeyReachesItsProjectsInstancesInItsEnvironmentsAndServicesUntilItExpires() {
    assertThat(ProjectKeys.reaches(key("all", "webshop", List.of(), List.of(), null), cartProd, NOW)).isTrue();
    assertThat(ProjectKeys.reaches(key("prod", "webshop", List.of("prod"), List.of("cart"), null), cartProd, NOW)).isTrue();
    assertThat(ProjectKeys.reaches(key("dev", "webshop", List.of("dev"), List.of(), null), cartProd, NOW)).isFalse();
    assertThat(ProjectKeys.reaches(key("rooms", "webshop", List.of(), List.of("rooms"), null), cartProd, NOW)).isFalse();
    assertThat(ProjectKeys.reaches(key("other", "blog", List.of(), List.of(), null), cartProd, NOW)).isFalse();
    assertThat(ProjectKeys.reaches(key("soon", "webshop", List.of(), List.of(), "2027-03-01T10:00:01Z"), cartProd, NOW)).isTrue();
    assertThat(ProjectKeys.reaches(key("gone", "webshop", List.of(), List.of(), "2027-03-01T10:00:00Z"), cartProd, NOW))
        .as("expired at its expiry instant").isFalse();
    ApiKey elsewhere = key("all", "webshop", List.of(), List.of(), null);
    elsewhere.getMetadata().setNamespace("other");
    assertThat(ProjectKeys.reaches(elsewhere, cartProd, NOW)).as("keys are per namespace too").isFalse();
  }

  @Test
  void theFileHasOneLinePerKeyThatReachesTheInstanceAndNeverAPlainKey() {
    ApiKey unmade = key("unmade", "webshop", List.of(), List.of(), null);
    unmade.setStatus(null);
    String file = ProjectKeys.keysFile(List.of(key("b", "webshop", List.of(), List.of(), null),
        key("a", "webshop", List.of("prod"), List.of(), null), key("dev", "webshop", List.of("dev"), List.of(), null), unmade),
        cartProd, NOW);
    assertThat(file).isEqualTo("key-a " + ProjectKeys.sha256("csk_a") + "\nkey-b " + ProjectKeys.sha256("csk_b") + "\n");
    assertThat(file).doesNotContain("csk_");
  }

  @Test
  void newKeysAreLongRandomAndPrefixed() {
    SecureRandom random = new SecureRandom();
    String k1 = ProjectKeys.newKey(random);
    assertThat(k1).startsWith("csk_").hasSize(4 + 43);
    assertThat(ProjectKeys.newKey(random)).isNotEqualTo(k1);
  }
}
