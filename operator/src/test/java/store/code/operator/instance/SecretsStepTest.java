package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import store.code.api.Reasons;
import store.code.api.v1alpha1.SecretRef;

class SecretsStepTest {
  static Secret secret(String name, Map<String, String> values) {
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withData(values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
            e -> Base64.getEncoder().encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)))))
        .build();
  }

  static final Map<String, Secret> NAMESPACE = Map.of(
      "shared", secret("shared", Map.of("SMTP_PASSWORD", "project-wide", "SENTRY_DSN", "dsn")),
      "prod-smtp", secret("prod-smtp", Map.of("SMTP_PASSWORD", "prod-only", "UNUSED", "u")),
      "cart-keys", secret("cart-keys", Map.of("stripe-key", "sk_live_1")));

  static SecretsStep.Resolution resolve(SecretRef... refs) {
    return SecretsStep.resolve(List.of(refs), "acme", NAMESPACE::get);
  }

  static String value(SecretsStep.Resolution r, String key) {
    return new String(Base64.getDecoder().decode(r.data().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void laterRefsWinKeyByKeyAndOnlyTheNamedKeysAreTaken() {
    var r = resolve(new SecretRef("shared", null), new SecretRef("prod-smtp", List.of("SMTP_PASSWORD")),
        new SecretRef("cart-keys", List.of()));
    assertThat(r.problem()).isEmpty();
    assertThat(r.data()).containsOnlyKeys("SMTP_PASSWORD", "SENTRY_DSN", "stripe-key");
    assertThat(value(r, "SMTP_PASSWORD")).isEqualTo("prod-only");
    assertThat(value(r, "SENTRY_DSN")).isEqualTo("dsn");
  }

  @Test
  void aMissingSecretOrKeyIsNamedAndNoValueIsInTheMessage() {
    var missing = resolve(new SecretRef("shared", null), new SecretRef("cart-keyz", null));
    assertThat(missing.reason()).isEqualTo(Reasons.SECRET_NOT_FOUND);
    assertThat(missing.problem()).get().asString().contains("Secret cart-keyz does not exist in namespace acme");
    assertThat(missing.data()).isEmpty();

    var noKey = resolve(new SecretRef("prod-smtp", List.of("SMTP_PASSWORD", "SMTP_USER")));
    assertThat(noKey.reason()).isEqualTo(Reasons.SECRET_KEY_NOT_FOUND);
    assertThat(noKey.problem()).get().asString().contains("Secret prod-smtp").contains("no key SMTP_USER")
        .contains("[SMTP_PASSWORD, UNUSED]").doesNotContain("prod-only").doesNotContain("u]");
    assertThat(noKey.data()).as("nothing half-resolved").isEmpty();
  }
}
