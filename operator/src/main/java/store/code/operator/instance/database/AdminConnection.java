package store.code.operator.instance.database;

import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.operator.support.ProviderSecret;

/**
 * The admin connection of the external Postgres, read from the Secret the administrator named in
 * the operator settings. {@code runtimeHost}/{@code runtimePort} (optional) are how runtime pods
 * reach the server when that differs from how the operator does; {@code runtimeSslmode} is the runtimes'
 * libpq/pgjdbc {@code sslmode} (default: {@code sslmode}, else {@code prefer}).
 */
public record AdminConnection(String host, int port, String username, String password, String sslmode,
    String runtimeHost, int runtimePort, String runtimeSslmode) {

  static final String KEYS = "host, port, username, password (optional: sslmode, runtimeHost, runtimePort, runtimeSslmode)";

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslmode;
  }

  /** Reads {@code namespace/name}; a missing Secret or key is a message for the administrator. */
  public static AdminConnection read(KubernetesClient client, String ref) {
    Map<String, String> d = ProviderSecret.read(client, ref, "the external Postgres admin connection", KEYS,
        "host", "username", "password");
    String host = d.get("host");
    int port = Integer.parseInt(d.getOrDefault("port", "5432"));
    return new AdminConnection(host, port, d.get("username"), d.get("password"), d.getOrDefault("sslmode", "prefer"),
        d.getOrDefault("runtimeHost", host), Integer.parseInt(d.getOrDefault("runtimePort", String.valueOf(port))),
        d.getOrDefault("runtimeSslmode", d.getOrDefault("sslmode", "prefer")));
  }
}
