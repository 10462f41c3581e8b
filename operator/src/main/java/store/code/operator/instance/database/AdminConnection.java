package store.code.operator.instance.database;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.operator.support.SecretData;

/**
 * The admin connection of the external Postgres, read from the Secret the administrator named in
 * the operator settings. {@code runtimeHost}/{@code runtimePort} (optional) are how runtime pods
 * reach the server when that differs from how the operator does.
 */
public record AdminConnection(String host, int port, String username, String password, String sslmode,
    String runtimeHost, int runtimePort) {

  static final String KEYS = "host, port, username, password (optional: sslmode, runtimeHost, runtimePort)";

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslmode;
  }

  /** Reads {@code namespace/name}; a missing Secret or key is a message for the administrator. */
  public static AdminConnection read(KubernetesClient client, String ref) {
    String[] parts = ref.split("/", 2);
    if (parts.length != 2) {
      throw new ProviderConfigException("the external database secret must be given as namespace/name, not '" + ref + "'");
    }
    Secret s = client.secrets().inNamespace(parts[0]).withName(parts[1]).get();
    if (s == null) {
      throw new ProviderConfigException("Secret " + ref + " with the external Postgres admin connection does not exist: "
          + "create it with keys " + KEYS);
    }
    Map<String, String> d = SecretData.decode(s);
    String host = required(d, "host", ref);
    int port = Integer.parseInt(d.getOrDefault("port", "5432"));
    return new AdminConnection(host, port, required(d, "username", ref), required(d, "password", ref),
        d.getOrDefault("sslmode", "prefer"), d.getOrDefault("runtimeHost", host),
        Integer.parseInt(d.getOrDefault("runtimePort", String.valueOf(port))));
  }

  private static String required(Map<String, String> d, String key, String ref) {
    String v = d.get(key);
    if (v == null || v.isBlank()) {
      throw new ProviderConfigException("Secret " + ref + " has no '" + key + "' key: it needs " + KEYS);
    }
    return v;
  }
}
