package store.code.runtime.app;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import store.code.runtime.usage.UsageCounters;

/**
 * {@code GET /usage}: the durable cumulative counters the operator bills from, with their epoch. Counters only grow
 * within an epoch, also across restarts; sizes are measured (the bucket is listed at most once a minute).
 */
@Path("/usage")
public class UsageResource {

  private static final Duration BUCKET_CACHE = Duration.ofMinutes(1);

  @Inject
  Instance instance;

  @Inject
  Clock clock;

  private volatile long bucketBytes;
  private volatile Instant bucketMeasured = Instant.EPOCH;

  @GET
  public Response usage() throws SQLException {
    if (instance.usage() == null) {
      return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
          .entity(Map.of("message", "the instance is not ready: " + instance.message())).build();
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
    return Response.ok(out, MediaType.APPLICATION_JSON).build();
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
