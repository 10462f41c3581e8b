package store.code.runtime.app;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one place the runtime learns what time it is: beans take a {@link Clock}, so tests can give their own. */
@ApplicationScoped
public class SystemClock {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
