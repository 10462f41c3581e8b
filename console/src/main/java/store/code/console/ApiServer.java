package store.code.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Where the API server is, and a client for each signed-in person that carries their token and nothing else: the
 * console never calls with an identity of its own, so Kubernetes RBAC decides what each person sees and changes.
 * The server's address and CA come from the kubeconfig (or the pod's service account files in a cluster); its
 * credentials are dropped. The clients of the last {@link #KEPT} tokens are kept (a client holds a connection pool);
 * a token is kept only as the key of its client, hashed.
 */
@ApplicationScoped
public class ApiServer {
  static final int KEPT = 64;

  private final Config base;
  /** One factory for every person's client, so they share its event loop instead of starting one each. */
  private final io.fabric8.kubernetes.client.http.HttpClient.Factory http =
      io.fabric8.kubernetes.client.utils.HttpClientUtils.getHttpClientFactory();
  private final Map<String, KubernetesClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, KubernetesClient> eldest) {
      if (size() > KEPT) {
        eldest.getValue().close();
        return true;
      }
      return false;
    }
  };

  public ApiServer(@ConfigProperty(name = "codestore.console.api-server") Optional<String> url,
      @ConfigProperty(name = "codestore.console.context") Optional<String> context,
      @ConfigProperty(name = "codestore.console.ca-file") Optional<String> caFile) {
    Config found = url.isPresent() ? new ConfigBuilder(Config.empty()).withMasterUrl(url.get()).build()
        : Config.autoConfigure(context.orElse(null));
    // in a pod without a service account token (the chart mounts none), the cluster's CA comes from kube-root-ca.crt
    String caData = caFile.isPresent() ? null : found.getCaCertData();
    String caPath = caFile.orElse(found.getCaCertFile());
    base = new ConfigBuilder(Config.empty()).withMasterUrl(found.getMasterUrl()).withCaCertData(caData)
        .withCaCertFile(caPath).withTrustCerts(found.isTrustCerts())
        .withDisableHostnameVerification(found.isDisableHostnameVerification())
        .withRequestRetryBackoffLimit(0).withConnectionTimeout(5_000).build();
  }

  /** The API server's address, as people see it on the sign-in page. */
  public String url() {
    return base.getMasterUrl();
  }

  /** A client acting as the person whose bearer token this is. */
  public synchronized KubernetesClient as(String token) {
    return clients.computeIfAbsent(sha256(token), k -> new KubernetesClientBuilder().withHttpClientFactory(http)
        .withConfig(new ConfigBuilder(base).withOauthToken(token).build()).build());
  }

  /** A client acting as whoever sent this request: its bearer token, else the sign-in cookie's; none is a 401 page. */
  public KubernetesClient person(String authorization, String cookie) {
    return as(Person.token(authorization, cookie).orElseThrow(Person.NotSignedIn::new));
  }

  /** Forgets a token's client (signed out, or refused by the API server). */
  public synchronized void forget(String token) {
    KubernetesClient c = clients.remove(sha256(token));
    if (c != null) {
      c.close();
    }
  }

  @PreDestroy
  synchronized void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
