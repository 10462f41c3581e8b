package store.code.cli.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;

/**
 * {@code codestore query <project>/<alias> --env <env> '<graphql>'}: one GraphQL request to an instance through the
 * Kubernetes API server's service proxy (no port-forward, no Ingress), with an API key of the project in
 * {@code X-Codestore-Key} (the API server takes {@code Authorization} for you). Prints the GraphQL response.
 */
@Command(name = "query", description = "Send a GraphQL request to an instance (through the API server) and print the answer.")
public class QueryCommand extends ClusterCommand {
  @Parameters(index = "0", paramLabel = "PROJECT/ALIAS")
  String ref;

  @Parameters(index = "1", paramLabel = "GRAPHQL")
  String query;

  @Option(names = "--env", required = true, description = "The environment, e.g. dev.")
  String environment;

  @Option(names = "--variables", paramLabel = "JSON", description = "Variables, a JSON object.")
  String variables;

  @Option(names = "--key", description = "The project API key to call with (default: $CODESTORE_KEY, else a key of "
      + "the project whose Secret you may read and that this instance accepts).")
  String key;

  @Override
  protected void run() {
    String[] pa = Projects.projectAndAlias(ref);
    String name = pa[0] + "-" + pa[1] + "-" + environment;
    ServiceInstance instance = client.resources(ServiceInstance.class).inNamespace(namespace).withName(name).get();
    if (instance == null) {
      Projects.use(Projects.get(client, namespace, pa[0]), pa[1]);
      throw new UserError("no instance " + name + " in namespace " + namespace + " (codestore status " + pa[0] + ")");
    }
    String target = instance.getStatus() == null ? null : instance.getStatus().getTargetNamespace();
    if (target == null || instance.getStatus().getEndpoint() == null) {
      throw new UserError("instance " + name + " does not serve yet (codestore status " + pa[0] + ")");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    if (variables != null) {
      try {
        body.put("variables", Serialization.unmarshal(variables, Map.class));
      } catch (RuntimeException e) {
        throw new UserError("--variables is not a JSON object: " + e.getMessage());
      }
    }
    String apiKey = key != null ? key : System.getenv("CODESTORE_KEY") != null ? System.getenv("CODESTORE_KEY")
        : projectKey(name);
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + target
        + "/services/http:runtime:8080/proxy/graphql";
    HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url)
        .header("X-Codestore-Key", apiKey).post("application/json", Serialization.asJson(body)).build();
    HttpResponse<String> answer;
    try {
      answer = client.getHttpClient().sendAsync(request, String.class).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError("no answer from " + name + " through the API server: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
    String text = answer.body() == null ? "" : answer.body();
    if (answer.code() == 403 && !text.startsWith("{\"data\"") && !text.startsWith("{\"errors\"")) {
      throw new UserError("forbidden: your Kubernetes identity may not proxy to services in namespace " + target
          + " (RBAC: services/proxy): " + text.strip());
    }
    out.println(text.strip());
    out.flush();
    if (answer.code() >= 400) {
      throw new UserError("the instance answered HTTP " + answer.code());
    }
  }

  /** A key of the project that this instance accepts, from a Secret the user may read. */
  private String projectKey(String instanceName) {
    for (ApiKey k : client.resources(ApiKey.class).inNamespace(namespace).list().getItems()) {
      if (k.getStatus() == null || !k.getStatus().getInstances().contains(instanceName)) {
        continue;
      }
      Secret s = client.secrets().inNamespace(namespace).withName(k.getMetadata().getName()).get();
      String plain = s == null ? null : SecretData.decode(s).get(ApiKey.SECRET_KEY);
      if (plain != null) {
        return plain;
      }
    }
    throw new UserError("no API key of this project accepted by " + instanceName + " could be read: give --key (or "
        + "CODESTORE_KEY), or make one: codestore keys create <project>");
  }
}
