package store.code.console;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The pages' "now" in tests: 20 November 2026, whatever day they run. */
public class FixedClock {
  static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

  @Produces
  @Alternative
  @Priority(1)
  @Singleton
  Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }
}
