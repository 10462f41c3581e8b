package store.code.cli.client;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.InstanceEndpoint;
import store.code.api.Labels;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;

/**
 * {@code codestore query <project>/<alias> --env <env> '<graphql>'}: one GraphQL request to an instance through the
 * Kubernetes API server's service proxy (no port-forward, no Ingress), with an API key of the project in
 * {@link InstanceEndpoint#KEY_HEADER} (the API server takes {@code Authorization} for you). Prints the GraphQL response.
 */
@Command(name = "query", description = "Send a GraphQL request to an instance (through the API server) and print the answer.")
public class QueryCommand extends ClusterCommand {
  /** What a key made by this command is labelled as (app.kubernetes.io/managed-by). */
  static final String MADE_BY = "codestore-cli";
  /** How long a key made by this command works. */
  static final Duration SHORT_LIVED = Duration.ofHours(1);
  /** How long a key just made may take to reach the instance's pods after the operator lists it. */
  static final Duration NEW_KEY_ARRIVES = Duration.ofSeconds(20);

  @Parameters(index = "0", paramLabel = "PROJECT/ALIAS")
  String ref;

  @Parameters(index = "1", paramLabel = "GRAPHQL")
  String query;

  @Option(names = "--env", required = true, description = "The environment, e.g. dev.")
  String environment;

  @Option(names = "--variables", paramLabel = "JSON", description = "Variables, a JSON object.")
  String variables;

  @Option(names = "--key", description = "The project API key to call with (default: $CODESTORE_KEY, else a key of "
      + "the project whose Secret you may read and that this instance accepts, else a new one for this environment "
      + "and service that expires in an hour, if you may create ApiKeys).")
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
    String given = key != null ? key : System.getenv("CODESTORE_KEY");
    String apiKey = given != null ? given : readableKey(name);
    boolean madeNow = false;
    if (apiKey == null) {
      apiKey = shortLivedKey(pa[0], pa[1], name);
      madeNow = true;
    }
    HttpRequest request = InstanceEndpoint.graphql(client, target, apiKey, Serialization.asJson(body));
    HttpResponse<String> answer = send(request, name);
    // a key made a moment ago reaches the instance's pods within seconds of the operator's push: ask again meanwhile
    long deadline = System.nanoTime() + NEW_KEY_ARRIVES.toNanos();
    while (madeNow && answer.code() == 401 && System.nanoTime() < deadline) {
      KeyMaking.pause();
      answer = send(request, name);
    }
    String text = answer.body() == null ? "" : answer.body();
    if (InstanceEndpoint.proxyRefused(answer)) {
      throw new UserError("forbidden: your Kubernetes identity may not proxy to services in namespace " + target
          + " (RBAC: services/proxy): " + text.strip());
    }
    out.println(text.strip());
    out.flush();
    if (answer.code() >= 400) {
      throw new UserError("the instance answered HTTP " + answer.code());
    }
  }

  private HttpResponse<String> send(HttpRequest request, String instanceName) {
    try {
      return InstanceEndpoint.send(client, request, Duration.ofSeconds(60));
    } catch (InstanceEndpoint.NoAnswer e) {
      throw new UserError("no answer from " + instanceName + " through the API server: " + e.getMessage());
    }
  }

  /** A key of the project that this instance accepts, from a Secret the user may read; null when there is none. */
  private String readableKey(String instanceName) {
    for (ApiKey k : client.resources(ApiKey.class).inNamespace(namespace).list().getItems()) {
      if (k.getStatus() == null || !k.getStatus().getInstances().contains(instanceName)) {
        continue;
      }
      Secret s = readable(k.getMetadata().getName());
      String plain = s == null ? null : SecretData.decode(s).get(ApiKey.SECRET_KEY);
      if (plain != null) {
        return plain;
      }
    }
    return null;
  }

  /** The Secret, or null when it is not there or the user may not read it (another key may still be readable). */
  private Secret readable(String name) {
    try {
      return client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return null;
      }
      throw e;
    }
  }

  /**
   * A key of this environment and service only, expiring in {@link #SHORT_LIVED}, made for the user who may create
   * ApiKeys (the project's owner, typically); later queries within the hour find it again. The CLI's own expired
   * ones are deleted on the way, so they do not pile up.
   */
  private String shortLivedKey(String project, String alias, String instanceName) {
    Instant now = clock().instant();
    var keys = client.resources(ApiKey.class).inNamespace(namespace);
    for (ApiKey old : keys.withLabel(Labels.MANAGED_BY, MADE_BY).list().getItems()) {
      String expires = old.getSpec() == null ? null : old.getSpec().getExpiresAt();
      if (expires != null && !Instant.parse(expires).isAfter(now)) {
        keys.resource(old).delete();
      }
    }
    String keyName = KeyMaking.randomName(project + "-query");
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMetaBuilder().withName(keyName).withNamespace(namespace)
        .withLabels(Map.of(Labels.MANAGED_BY, MADE_BY, Labels.PROJECT, project)).build());
    k.setSpec(new ApiKeySpec());
    k.getSpec().setProject(project);
    k.getSpec().setEnvironments(new ArrayList<>(List.of(environment)));
    k.getSpec().setServices(new ArrayList<>(List.of(alias)));
    k.getSpec().setExpiresAt(now.plus(SHORT_LIVED).truncatedTo(ChronoUnit.SECONDS).toString());
    k.getSpec().setDescription("made by codestore query for " + instanceName + "; expires within the hour");
    Secret secret;
    try {
      secret = KeyMaking.create(client, k);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new UserError("no API key of this project accepted by " + instanceName + " could be read, and your "
            + "Kubernetes identity may not create one (RBAC: apikeys): give --key (or CODESTORE_KEY), or ask the "
            + "project's owner for a key");
      }
      throw e;
    }
    long deadline = System.nanoTime() + KeyMaking.WAIT.toNanos();
    while (!accepts(keyName, instanceName)) {
      if (System.nanoTime() > deadline) {
        throw new UserError("ApiKey " + keyName + " was made, but the operator did not hand it to " + instanceName
            + " within " + KeyMaking.WAIT.toSeconds() + " s (kubectl describe cskey " + keyName + " -n " + namespace + ")");
      }
      KeyMaking.pause();
    }
    spec.commandLine().getErr().println("(made ApiKey " + keyName + " for this query, valid until "
        + k.getSpec().getExpiresAt() + "; codestore keys revoke " + keyName + " ends it sooner)");
    spec.commandLine().getErr().flush();
    return SecretData.decode(secret).get(ApiKey.SECRET_KEY);
  }

  private boolean accepts(String keyName, String instanceName) {
    ApiKey now = client.resources(ApiKey.class).inNamespace(namespace).withName(keyName).get();
    return now != null && now.getStatus() != null && now.getStatus().getInstances().contains(instanceName);
  }
}
