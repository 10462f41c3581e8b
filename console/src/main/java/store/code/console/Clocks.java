package store.code.console;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** What "this month" is for the pages (UTC, as UsageReports are named); tests replace it. */
@ApplicationScoped
public class Clocks {
  @Produces
  @jakarta.inject.Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
