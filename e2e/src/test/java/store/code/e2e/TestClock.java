package store.code.e2e;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test sets: standing still at an instant it chooses, or running at the real pace from one, so that no test
 * depends on the day it runs (a month's last second, the 29th of February and midnight are chosen, not waited for).
 */
final class TestClock extends Clock {

  private volatile Instant base;
  /** System nanoTime when {@link #base} was set, or null while the clock stands still. */
  private volatile Long runningSince;

  private TestClock(Instant base, boolean running) {
    set(base, running);
  }

  /** Stands still at {@code instant} until set or advanced. */
  static TestClock at(String instant) {
    return new TestClock(Instant.parse(instant), false);
  }

  /** Runs at the real pace from {@code instant}. */
  static TestClock runningFrom(String instant) {
    return runningFrom(Instant.parse(instant));
  }

  static TestClock runningFrom(Instant instant) {
    return new TestClock(instant, true);
  }

  void set(String instant) {
    set(Instant.parse(instant), runningSince != null);
  }

  void advance(Duration d) {
    set(instant().plus(d), runningSince != null);
  }

  private synchronized void set(Instant instant, boolean running) {
    base = instant;
    runningSince = running ? System.nanoTime() : null;
  }

  @Override
  public synchronized Instant instant() {
    Long since = runningSince;
    return since == null ? base : base.plusNanos(System.nanoTime() - since);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
