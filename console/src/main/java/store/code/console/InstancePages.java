package store.code.console;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import store.code.api.InstanceEndpoint;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ServiceInstance;

/**
 * One instance, under its project's address: what the operator says of it, its recent log, and a query panel whose
 * requests the console forwards to the instance through the API server's service proxy, with the person's token
 * (their services/proxy right) and a project key they choose (by name, read from its Secret with their token, or
 * pasted). Nothing of it is kept.
 */
@Path("/")
public class InstancePages {
  /** How long a query may take through the API server. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);

  @Inject
  ApiServer api;
  @Inject
  Template instance;

  @GET
  @Path("projects/{namespace}/{project}/instances/{instance}")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance page(@PathParam("namespace") String namespace, @PathParam("project") String project,
      @PathParam("instance") String name, @QueryParam("since") @DefaultValue("15m") String since,
      @QueryParam("requestId") String requestId, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, project);
    Names.object("instance", name);
    String request = requestId == null || requestId.isBlank() ? null : requestId.strip();
    return instance.data("page", InstanceView.read(api.person(authorization, cookie), namespace, project, name,
        since.strip(), request));
  }

  /** What the query panel posts: the GraphQL request, and the key to send it with (a key's name, or the key). */
  public record Query(String query, Map<String, Object> variables, String operationName, String keyName, String key) {}

  /**
   * Forwards a GraphQL request to the instance. The answer is the runtime's own (status and JSON) when it answers;
   * otherwise a GraphQL-shaped error that says who refused: the console (bad request, no key), the API server
   * (RBAC, no endpoint) or nobody (no answer).
   */
  @POST
  @Path("projects/{namespace}/{project}/instances/{instance}/graphql")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response query(@PathParam("namespace") String namespace, @PathParam("project") String project,
      @PathParam("instance") String name, String body, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, project);
    Names.object("instance", name);
    Query q;
    try {
      q = Serialization.unmarshal(body == null ? "" : body, Query.class);
    } catch (RuntimeException e) {
      return error(400, "the request is not JSON of the shape {query, variables, keyName | key}: " + e.getMessage());
    }
    if (q == null || q.query() == null || q.query().isBlank()) {
      return error(400, "no query: write a GraphQL query or mutation");
    }
    KubernetesClient client = api.person(authorization, cookie);
    ServiceInstance i = InstanceView.of(client, namespace, project, name);
    String target = i.getStatus() == null ? null : i.getStatus().getTargetNamespace();
    if (target == null || i.getStatus().getEndpoint() == null) {
      return error(409, "instance " + name + " does not serve yet (phase "
          + (i.getStatus() == null ? "Pending" : i.getStatus().getPhase()) + ")");
    }
    String key;
    if (q.key() != null && !q.key().isBlank()) {
      key = q.key().strip();
    } else if (q.keyName() != null && !q.keyName().isBlank()) {
      Names.check("key", q.keyName().strip());
      try {
        key = keyOf(client, namespace, project, q.keyName().strip());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403) {
          throw e;
        }
        return error(403, "Kubernetes RBAC does not let you read the Secret of key " + q.keyName().strip()
            + " in " + namespace + ": paste the key instead");
      }
      if (key == null) {
        return error(400, "project " + project + " has no key " + q.keyName().strip() + " with a value yet");
      }
    } else {
      return error(400, "choose a key of the project (or paste one): every request to an instance carries one");
    }
    Map<String, Object> forward = new LinkedHashMap<>();
    forward.put("query", q.query());
    if (q.variables() != null) {
      forward.put("variables", q.variables());
    }
    if (q.operationName() != null && !q.operationName().isBlank()) {
      forward.put("operationName", q.operationName());
    }
    HttpResponse<String> answer;
    try {
      answer = InstanceEndpoint.send(client, InstanceEndpoint.graphql(client, target, key,
          Serialization.asJson(forward)), QUERY_TIMEOUT);
    } catch (InstanceEndpoint.NoAnswer e) {
      return error(502, "no answer from " + name + " through the API server: " + e.getMessage());
    }
    if (InstanceEndpoint.proxyRefused(answer)) {
      return error(403, "Kubernetes RBAC does not let you call services in " + target + " (services/proxy): "
          + InstanceEndpoint.apiServerSaid(answer));
    }
    String said = InstanceEndpoint.apiServerSaid(answer);
    if (said != null) {
      return error(502, "the API server answered " + answer.code() + " in place of " + name + ": " + said);
    }
    String text = answer.body();
    // the runtime's request id, so the person can find the request's lines in the log below the panel
    return Response.status(answer.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(text)
        .header("X-Request-Id", answer.header("X-Request-Id")).header("Cache-Control", "no-store").build();
  }

  /** The key of ApiKey {@code keyName}, if it is the project's; read from its Secret with the person's token. */
  private static String keyOf(KubernetesClient client, String namespace, String project, String keyName) {
    if (Views.projectKey(client, namespace, project, keyName).isEmpty()) {
      return null;
    }
    Secret s = client.secrets().inNamespace(namespace).withName(keyName).get();
    return s == null ? null : SecretData.decode(s).get(ApiKey.SECRET_KEY);
  }

  private static Response error(int status, String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Serialization.asJson(Map.of("errors", List.of(Map.of("message", message,
            "extensions", Map.of("code", "CONSOLE", "status", status))))))
        .header("Cache-Control", "no-store").build();
  }
}
