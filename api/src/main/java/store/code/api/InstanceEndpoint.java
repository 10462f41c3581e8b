package store.code.api;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * An instance's GraphQL API reached through the Kubernetes API server's service proxy: no port-forward, no Ingress,
 * and the caller's own Kubernetes identity decides whether they may (services/proxy in the instance's namespace,
 * which the operator grants to the project namespace's editors). The API server takes the {@code Authorization}
 * header for itself, so the project's API key travels in {@link #KEY_HEADER}.
 */
public final class InstanceEndpoint {
  /** The header the runtime reads a project's API key from when Authorization is not its own. */
  public static final String KEY_HEADER = "X-Codestore-Key";

  private InstanceEndpoint() {}

  /** The proxy URL of the runtime's /graphql in {@code targetNamespace}. */
  public static String graphqlUrl(KubernetesClient client, String targetNamespace) {
    return client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + targetNamespace
        + "/services/http:runtime:8080/proxy/graphql";
  }

  /** The request that posts {@code jsonBody} (a GraphQL request) with the project's key {@code apiKey}. */
  public static HttpRequest graphql(KubernetesClient client, String targetNamespace, String apiKey, String jsonBody) {
    return client.getHttpClient().newHttpRequestBuilder().uri(graphqlUrl(client, targetNamespace))
        .header(KEY_HEADER, apiKey).post("application/json", jsonBody).build();
  }

  /** Sends it and waits for the answer, whatever its status. */
  public static HttpResponse<String> send(KubernetesClient client, HttpRequest request, Duration timeout)
      throws NoAnswer {
    try {
      return client.getHttpClient().sendAsync(request, String.class).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new NoAnswer(String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new NoAnswer("no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoAnswer("interrupted");
    }
  }

  /** The runtime answered (GraphQL JSON, whatever the status), not the API server in its place. */
  public static boolean fromRuntime(HttpResponse<String> answer) {
    String text = answer.body() == null ? "" : answer.body().stripLeading();
    return text.startsWith("{\"data\"") || text.startsWith("{\"errors\"");
  }

  /**
   * The API server answered 403 for itself (the caller may not proxy there), not the runtime: the runtime's own
   * answers are GraphQL JSON.
   */
  public static boolean proxyRefused(HttpResponse<String> answer) {
    return answer.code() == 403 && !fromRuntime(answer);
  }

  /**
   * What the API server said when it answered in the runtime's place (a Status's message, else its text): no
   * endpoints, no such service, a refusal. Null when the runtime answered.
   */
  public static String apiServerSaid(HttpResponse<String> answer) {
    if (fromRuntime(answer)) {
      return null;
    }
    String text = answer.body() == null ? "" : answer.body().strip();
    try {
      Status status = Serialization.unmarshal(text, Status.class);
      if (status != null && "Status".equals(status.getKind()) && status.getMessage() != null) {
        return status.getMessage();
      }
    } catch (RuntimeException e) {
      // not a Status: its text as it is
    }
    return text;
  }

  /** No answer came through the API server (connection, timeout). */
  public static final class NoAnswer extends Exception {
    public NoAnswer(String message) {
      super(message);
    }
  }
}
