package store.code.runtime.auth;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * A token bucket per caller (Bucket4j): {@code requestsPerSecond} refilled continuously, up to {@code burst} at once,
 * per key id or token subject, and per address for callers without a credential; per replica. Buckets of callers not
 * seen for a while are dropped (a bounded cache), so many callers cost bounded memory.
 */
public final class RateLimits {

  /** The Service's {@code limits}: at most this many requests a second per caller, this many at once. */
  public record Limit(int requestsPerSecond, int burst) {}

  private final Limit limit;
  private final TimeMeter time;
  private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterAccess(Duration.ofMinutes(10)).build();

  public RateLimits(Limit limit, TimeMeter time) {
    this.limit = limit;
    this.time = time;
  }

  /** Empty when the request may go on; else how long the caller should wait before the next one. */
  public Optional<Duration> take(Identity caller, String address) {
    String who = caller.authenticated() ? caller.logName() : "address:" + address;
    Bucket bucket = buckets.get(who, k -> Bucket.builder().withCustomTimePrecision(time)
        .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1))).build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }
}
