package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.github.bucket4j.TimeMeter;

import store.code.runtime.auth.Identity;
import store.code.runtime.auth.RateLimits;

/** A bucket per caller, on a time the test moves: bursts, refill, and one caller never slowing another. */
class RateLimitsTest {

  final AtomicLong nanos = new AtomicLong();
  final TimeMeter time = new TimeMeter() {
    public long currentTimeNanos() {
      return nanos.get();
    }

    public boolean isWallClockBased() {
      return false;
    }
  };

  @Test
  void aCallerMaySendItsBurstThenItsRateAndIsToldHowLongToWait() {
    RateLimits limits = new RateLimits(new RateLimits.Limit(2, 3), time);
    Identity ann = Identity.token("ann", List.of(), Map.of());
    for (int i = 0; i < 3; i++) {
      assertThat(limits.take(ann, "10.0.0.1")).as("request %d of the burst", i + 1).isEmpty();
    }
    assertThat(limits.take(ann, "10.0.0.1")).hasValueSatisfying(wait ->
        assertThat(wait).isEqualTo(Duration.ofMillis(500)));
    assertThat(limits.take(Identity.key("k1"), "10.0.0.1")).as("another caller has its own bucket").isEmpty();
    nanos.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(limits.take(ann, "10.0.0.1")).as("refilled at 2 a second").isEmpty();
    assertThat(limits.take(ann, "10.0.0.1")).isPresent();
  }

  @Test
  void callersWithoutACredentialShareABucketPerAddress() {
    RateLimits limits = new RateLimits(new RateLimits.Limit(1, 1), time);
    assertThat(limits.take(Identity.ANONYMOUS, "10.0.0.1")).isEmpty();
    assertThat(limits.take(Identity.ANONYMOUS, "10.0.0.1")).isPresent();
    assertThat(limits.take(Identity.ANONYMOUS, "10.0.0.2")).isEmpty();
  }
}
