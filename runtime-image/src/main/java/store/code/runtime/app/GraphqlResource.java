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

import store.code.runtime.graphql.Engine;

/**
 * GraphQL over HTTP: {@code POST /graphql} with {@code {"query", "operationName", "variables"}}, answers 200 with
 * {@code data} and {@code errors}. Each request is counted for billing, timed for metrics and logged as one line.
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

  @POST
  public Response post(Map<String, Object> body, @HeaderParam("X-Request-Id") String requestId) {
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
    return execute(query, name instanceof String s ? s : null, vars, requestId(requestId), false);
  }

  /** Queries by URL, for curl and links; mutations must be POSTed. */
  @GET
  public Response get(@QueryParam("query") String query, @QueryParam("operationName") String operationName,
      @HeaderParam("X-Request-Id") String requestId) {
    if (query == null) {
      return Response.status(Response.Status.SEE_OTHER).header("Location", "/graphql-ui/").build();
    }
    return execute(query, operationName, null, requestId(requestId), true);
  }

  private Response execute(String query, String operationName, Map<String, Object> variables, String requestId,
      boolean readOnly) {
    Engine engine = instance.engine();
    if (engine == null) {
      return error(Response.Status.SERVICE_UNAVAILABLE, "UNAVAILABLE", "the instance is not ready: " + instance.message(), requestId);
    }
    long start = System.nanoTime();
    MDC.put("requestId", requestId); // maker code logging during the request carries it too
    Engine.Outcome outcome;
    try {
      outcome = engine.run(query, operationName, variables, requestId, readOnly);
    } finally {
      MDC.remove("requestId");
    }
    long nanos = System.nanoTime() - start;
    boolean failed = outcome.failed();
    instance.usage().count(failed);
    String outcomeTag = failed ? "error" : "success";
    Timer.builder("codestore.graphql.requests").description("GraphQL operations served")
        .tag("type", outcome.operationType()).tag("operation", operationTag(outcome.operationName()))
        .tag("outcome", outcomeTag).publishPercentileHistogram().register(meters)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    MDC.put("requestId", requestId);
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
    return Response.ok(ResultJson.write(outcome.result().toSpecification(), json), MediaType.APPLICATION_JSON)
        .header("X-Request-Id", requestId).build();
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

  private static Response error(Response.Status status, String code, String message, String requestId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("extensions", Map.of("code", code));
    return Response.status(status).type(MediaType.APPLICATION_JSON).header("X-Request-Id", requestId)
        .entity(Map.of("errors", List.of(error))).build();
  }
}
