package store.code.runtime.app;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import store.code.runtime.usage.UsageCounters;

/**
 * {@code GET /usage} on the management port (beside {@code /q/health} and {@code /q/metrics}, never on the API port
 * that an Ingress exposes): the durable cumulative counters the operator bills from, with their epoch. Counters only
 * grow within an epoch, also across restarts; sizes are measured (the bucket is listed at most once a minute).
 */
@ApplicationScoped
public class UsageEndpoint {

  private static final Duration BUCKET_CACHE = Duration.ofMinutes(1);
  private static final Logger LOG = Logger.getLogger(UsageEndpoint.class);

  @Inject
  Instance instance;

  @Inject
  Clock clock;

  @Inject
  ObjectMapper json;

  private volatile long bucketBytes;
  private volatile Instant bucketMeasured = Instant.EPOCH;

  void register(@Observes ManagementInterface management) {
    management.router().get("/usage").blockingHandler(this::usage);
  }

  void usage(RoutingContext ctx) {
    try {
      if (instance.usage() == null) {
        answer(ctx, 503, Map.of("message", "the instance is not ready: " + instance.message()));
        return;
      }
      UsageCounters.Totals totals = instance.usage().read();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("epoch", totals.epoch());
      out.put(UsageCounters.REQUESTS, totals.requests());
      out.put(UsageCounters.ERRORS, totals.errors());
      out.put("databaseBytes", totals.databaseBytes());
      out.put("bucketBytes", bucketBytes());
      out.put("schemaHash", instance.schemaHash());
      out.put("collectedAt", clock.instant().toString());
      answer(ctx, 200, out);
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("usage not read: %s", e.getMessage());
      answer(ctx, 503, Map.of("message", "usage cannot be read now: " + e.getMessage()));
    }
  }

  private void answer(RoutingContext ctx, int status, Map<String, Object> body) {
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.fail(e);
    }
  }

  private synchronized long bucketBytes() {
    Instant now = clock.instant();
    if (now.isAfter(bucketMeasured.plus(BUCKET_CACHE)) || now.isBefore(bucketMeasured)) {
      bucketBytes = instance.files().bucketBytes();
      bucketMeasured = now;
    }
    return bucketBytes;
  }
}
