package store.code.operator.support;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.SecretData;

/**
 * A Secret the administrator names in the operator settings as {@code namespace/name} (the external
 * Postgres admin connection, the external S3 endpoint). Anything missing is a
 * {@link ProviderConfigException} whose message says which Secret and which keys it needs.
 */
public final class ProviderSecret {
  private ProviderSecret() {}

  /**
   * @param what what the Secret holds, for messages ("the external S3 endpoint")
   * @param keysHelp the keys it needs, for messages
   * @param required keys that must be present and non-blank
   */
  public static Map<String, String> read(KubernetesClient client, String ref, String what, String keysHelp,
      String... required) {
    String[] parts = ref.split("/", 2);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new ProviderConfigException("the Secret with " + what + " must be given as namespace/name, not '" + ref + "'");
    }
    Secret s = client.secrets().inNamespace(parts[0]).withName(parts[1]).get();
    if (s == null) {
      throw new ProviderConfigException("Secret " + ref + " with " + what + " does not exist: create it with keys " + keysHelp);
    }
    Map<String, String> data = SecretData.decode(s);
    for (String key : required) {
      if (data.get(key) == null || data.get(key).isBlank()) {
        throw new ProviderConfigException("Secret " + ref + " has no '" + key + "' key: it needs " + keysHelp);
      }
    }
    return data;
  }
}
