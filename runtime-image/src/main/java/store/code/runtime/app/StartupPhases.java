package store.code.runtime.app;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How long each step of an instance's preparation took, for the "ready" log line: a pod that wakes from zero pays
 * for every one of them, so whoever tunes start-up reads here where the time went. Steps in sequence end with
 * {@link #done}; a step run beside them is {@link #timed} on its own thread.
 */
final class StartupPhases {

  private final Map<String, Long> millis = Collections.synchronizedMap(new LinkedHashMap<>());
  private long last = System.nanoTime();

  /** Ends the step called {@code name}, which began when the previous step in sequence ended. */
  void done(String name) {
    long now = System.nanoTime();
    millis.put(name, (now - last) / 1_000_000);
    last = now;
  }

  /** Runs a step, whichever thread it is on, and records how long it took. */
  <T> T timed(String name, Supplier<T> step) {
    long start = System.nanoTime();
    try {
      return step.get();
    } finally {
      millis.put(name, (System.nanoTime() - start) / 1_000_000);
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ready ")
        .append(ManagementFactory.getRuntimeMXBean().getUptime()).append(" ms after the JVM started (");
    synchronized (millis) {
      millis.forEach((name, ms) -> s.append(name).append(' ').append(ms).append(" ms, "));
    }
    s.setLength(s.length() - 2);
    return s.append(')').toString();
  }
}
