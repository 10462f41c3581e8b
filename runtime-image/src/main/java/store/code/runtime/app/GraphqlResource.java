package store.code.runtime.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import store.code.runtime.auth.Identity;
import store.code.runtime.auth.Unauthenticated;
import store.code.runtime.graphql.Engine;

/**
 * GraphQL over HTTP: {@code POST /graphql} with {@code {"query", "operationName", "variables"}}, answers 200 with
 * {@code data} and {@code errors}. The caller is who its {@code Authorization: Bearer} credential says; a credential
 * that does not hold, or none where the operation needs one, is answered 401 UNAUTHENTICATED and not billed. Each
 * other request is timed for metrics and logged as one line naming the caller (never its credential), and counted
 * for billing when {@link Engine.Outcome#billable()}.
 */
@Path("/graphql")
public class GraphqlResource {

  private static final Logger OPERATIONS = Logger.getLogger("codestore.operation");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** Operation names come from clients: past this many distinct ones, metrics group the rest as "other". */
  private static final int MAX_OPERATION_TAGS = 200;

  @Inject
  Instance instance;

  @Inject
  MeterRegistry meters;

  @Inject
  com.fasterxml.jackson.databind.ObjectMapper json;

  private final Set<String> operationTags = ConcurrentHashMap.newKeySet();

  @jakarta.ws.rs.core.Context
  io.vertx.core.http.HttpServerRequest http;

  /**
   * An API key in a header of its own, for requests that come through the Kubernetes API server's service proxy
   * ({@code codestore query}): the API server authenticates the person with {@code Authorization} and removes it.
   */
  static final String KEY_HEADER = "X-Codestore-Key";

  /** {@code Authorization} when given; else the key of {@link #KEY_HEADER} as a bearer credential. */
  static String credential(String authorization, String key) {
    return authorization != null || key == null || key.isBlank() ? authorization : "Bearer " + key.strip();
  }

  @POST
  public Response post(Map<String, Object> body, @HeaderParam("X-Request-Id") String requestId,
      @HeaderParam("Authorization") String authorization, @HeaderParam(KEY_HEADER) String key) {
    if (body == null || !(body.get("query") instanceof String query)) {
      return error(Response.Status.BAD_REQUEST, "BAD_REQUEST",
          "the body must be JSON with a \"query\" string, e.g. {\"query\": \"{ __typename }\"}", requestId(requestId));
    }
    Object variables = body.get("variables");
    if (variables != null && !(variables instanceof Map)) {
      return error(Response.Status.BAD_REQUEST, "BAD_REQUEST", "\"variables\" must be a JSON object", requestId(requestId));
    }
    Object name = body.get("operationName");
    @SuppressWarnings("unchecked")
    Map<String, Object> vars = (Map<String, Object>) variables;
    return execute(query, name instanceof String s ? s : null, vars, requestId(requestId), false,
        credential(authorization, key));
  }

  /** Queries by URL, for curl and links; mutations must be POSTed. */
  @GET
  public Response get(@QueryParam("query") String query, @QueryParam("operationName") String operationName,
      @HeaderParam("X-Request-Id") String requestId, @HeaderParam("Authorization") String authorization,
      @HeaderParam(KEY_HEADER) String key) {
    if (query == null) {
      return Response.status(Response.Status.SEE_OTHER).header("Location", "/graphql-ui/").build();
    }
    return execute(query, operationName, null, requestId(requestId), true, credential(authorization, key));
  }

  /**
   * The instance's API in SDL, with its descriptions and deprecations, for code generators and people: to whoever may
   * run introspection (the same credential as the API, rate limits included; not billed: no operation runs).
   */
  @GET
  @Path("schema.graphql")
  public Response sdl(@HeaderParam("X-Request-Id") String givenRequestId, @HeaderParam("Authorization") String authorization,
      @HeaderParam(KEY_HEADER) String key) {
    String requestId = requestId(givenRequestId);
    Admission admitted = admit(credential(authorization, key), requestId);
    if (admitted.refusal() != null) {
      return admitted.refusal();
    }
    return admitted.engine().sdlFor(admitted.caller())
        .map(sdl -> Response.ok(sdl, "text/plain; charset=utf-8").header("X-Request-Id", requestId).build())
        .orElseGet(() -> unauthenticated("this API needs a credential: send `Authorization: Bearer <API key or token>`",
            false, requestId));
  }

  /** Who a request comes from and the engine to answer it, or the answer that refuses it ({@code refusal}). */
  private record Admission(Engine engine, Identity caller, Response refusal) {}

  /**
   * A request is answered once the instance is ready, its credential holds (none is an anonymous caller) and the
   * caller is within the rate limits; a refusal is not billed: nothing was served.
   */
  private Admission admit(String authorization, String requestId) {
    Engine engine = instance.engine();
    if (engine == null) {
      return new Admission(null, null, error(Response.Status.SERVICE_UNAVAILABLE, "UNAVAILABLE",
          "the instance is not ready: " + instance.message(), requestId));
    }
    Identity caller;
    try {
      caller = instance.authenticator().authenticate(authorization);
    } catch (Unauthenticated e) {
      return new Admission(null, null, unauthenticated(e.getMessage(), true, requestId));
    }
    String address = http == null || http.remoteAddress() == null ? "?" : http.remoteAddress().host();
    var wait = instance.rateLimits().flatMap(l -> l.take(caller, address));
    if (wait.isPresent()) {
      long seconds = Math.max(1, (long) Math.ceil(wait.get().toNanos() / 1e9));
      return new Admission(null, null, Response.fromResponse(error(Response.Status.TOO_MANY_REQUESTS, "RATE_LIMITED",
          caller.logName() + " sent more requests than this service allows a second; retry after " + seconds + " s",
          requestId)).header("Retry-After", String.valueOf(seconds)).build());
    }
    return new Admission(engine, caller, null);
  }

  private Response execute(String query, String operationName, Map<String, Object> variables, String requestId,
      boolean readOnly, String authorization) {
    Admission admitted = admit(authorization, requestId);
    if (admitted.refusal() != null) {
      return admitted.refusal();
    }
    Engine engine = admitted.engine();
    Identity caller = admitted.caller();
    long start = System.nanoTime();
    MDC.put("requestId", requestId); // maker code logging during the request carries it too
    Engine.Outcome outcome;
    try {
      outcome = engine.run(query, operationName, variables, requestId, readOnly, caller);
    } finally {
      MDC.remove("requestId");
    }
    if (outcome.unauthenticated()) {
      return unauthenticated(outcome.result().getErrors().get(0).getMessage(), false, requestId);
    }
    long nanos = System.nanoTime() - start;
    boolean failed = outcome.failed();
    if (outcome.billable()) {
      instance.usage().count(failed);
    }
    String outcomeTag = failed ? "error" : "success";
    Timer.builder("codestore.graphql.requests").description("GraphQL operations served")
        .tag("type", outcome.operationType()).tag("operation", operationTag(outcome.operationName()))
        .tag("outcome", outcomeTag).publishPercentileHistogram().register(meters)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    MDC.put("requestId", requestId);
    MDC.put("caller", caller.logName());
    MDC.put("operation", outcome.operationName());
    MDC.put("type", outcome.operationType());
    MDC.put("outcome", outcomeTag);
    String millis = millis(nanos);
    MDC.put("durationMs", millis);
    try {
      OPERATIONS.info(outcome.operationType() + " " + outcome.operationName() + " " + outcomeTag + " in " + millis + " ms");
    } finally {
      MDC.clear();
    }
    byte[] body;
    try {
      body = ResultJson.write(outcome.result().toSpecification(), json, engine.limits().maxResponseBytes());
    } catch (ResultJson.TooLarge e) {
      return error(Response.Status.OK, store.code.runtime.sql.Db.RESPONSE_TOO_LARGE, "the response would be longer "
          + "than the limit of " + engine.limits().maxResponseBytes() + " bytes, so none of it is sent"
          + ("mutation".equals(outcome.operationType()) ? " (the mutation did run)" : "")
          + ": ask for fewer rows (first) or fewer fields", requestId);
    }
    return Response.ok(body, MediaType.APPLICATION_JSON).header("X-Request-Id", requestId).build();
  }

  /** Nanoseconds as milliseconds with two decimals ("12.05"), without String.format's cost on every request. */
  static String millis(long nanos) {
    long hundredths = Math.round(nanos / 10_000.0);
    long rest = hundredths % 100;
    return hundredths / 100 + (rest < 10 ? ".0" : ".") + rest;
  }

  private String operationTag(String name) {
    if (operationTags.contains(name)) {
      return name;
    }
    if (operationTags.size() < MAX_OPERATION_TAGS) {
      operationTags.add(name);
      return name;
    }
    return "other";
  }

  /**
   * The client's X-Request-Id when it is sane, else a fresh random one. Not {@code UUID.randomUUID()}: its
   * SecureRandom is one synchronized source, which profiling showed as a point of contention under load, and a
   * request id needs to be unique, not unguessable.
   */
  private static String requestId(String given) {
    if (given != null && REQUEST_ID.matcher(given).matches()) {
      return given;
    }
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
  }

  /**
   * 401 with {@code WWW-Authenticate: Bearer} (RFC 6750; {@code error="invalid_token"} when a credential was given
   * and did not hold). Not counted for billing, and the credential is never logged.
   */
  private static Response unauthenticated(String message, boolean credentialGiven, String requestId) {
    Response r = error(Response.Status.UNAUTHORIZED, Engine.UNAUTHENTICATED, message, requestId);
    return Response.fromResponse(r).header("WWW-Authenticate", "Bearer realm=\"codestore\""
        + (credentialGiven ? ", error=\"invalid_token\"" : "")).build();
  }

  private static Response error(Response.Status status, String code, String message, String requestId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("extensions", Map.of("code", code));
    return Response.status(status).type(MediaType.APPLICATION_JSON).header("X-Request-Id", requestId)
        .entity(Map.of("errors", List.of(error))).build();
  }
}
