package store.code.codehost;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import store.code.codehost.wire.Call;

/**
 * Notices a handler still running {@code grace} after its call's deadline. Java cannot stop a thread safely, and a
 * handler in an endless loop holds a core for good: the only cure is a new process. The runtime has answered
 * {@code TIMEOUT} at the deadline already and has revoked the call's token, so the stuck handler can no longer touch
 * the request's data.
 */
final class Watchdog implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("codestore.code-host");

  private final Duration grace;
  private final Runnable restart;
  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "code-watchdog");
    t.setDaemon(true);
    return t;
  });

  Watchdog(Duration grace, Runnable restart) {
    this.grace = grace;
    this.restart = restart;
    ticks.scheduleWithFixedDelay(this::check, 200, 200, TimeUnit.MILLISECONDS);
  }

  final class Running {
    private final Call call;
    private final long giveUpAt;

    private Running(Call call, long started) {
      this.call = call;
      this.giveUpAt = started + Duration.ofMillis(call.timeoutMillis()).plus(grace).toNanos();
    }

    void end() {
      running.remove(this);
    }
  }

  Running begin(Call call, long started) {
    Running r = new Running(call, started);
    running.add(r);
    return r;
  }

  private void check() {
    long now = System.nanoTime();
    for (Running r : running) {
      if (now - r.giveUpAt > 0) {
        LOG.log(System.Logger.Level.ERROR, "handler " + r.call.handler() + " (request " + r.call.requestId()
            + ") is still running " + grace.toMillis() + " ms after its deadline of " + r.call.timeoutMillis()
            + " ms: this process ends so that a new one starts without the stuck thread");
        running.clear();
        restart.run();
        return;
      }
    }
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
