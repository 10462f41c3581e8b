package store.code.codehost;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keeps one maker-code host process running: starts it with exactly the environment given (nothing inherited, so no
 * credential of the starting process), and starts it again whenever it ends, sooner when it ran a while, up to every
 * 5 s when it keeps ending at once. The pod's {@code code} container runs one (so a hung or crashed host is replaced
 * in a second, while the container, and so the pod's readiness, stays up); locally the runtime does.
 */
public final class Supervisor implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("codestore.code-host");

  private final List<String> command;
  private final Map<String, String> env;
  private final Thread thread;
  private volatile Process process;
  private volatile boolean closed;

  private Supervisor(List<String> command, Map<String, String> env, boolean daemon) {
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.thread = new Thread(this::supervise, "code-host-supervisor");
    this.thread.setDaemon(daemon);
  }

  /**
   * @param daemon whether the supervising thread lets the JVM end (true in a runtime; false when supervising is all
   *               this JVM does)
   */
  public static Supervisor start(List<String> command, Map<String, String> env, boolean daemon) throws IOException {
    Supervisor s = new Supervisor(command, env, daemon);
    s.spawn();
    s.thread.start();
    return s;
  }

  private void spawn() throws IOException {
    ProcessBuilder b = new ProcessBuilder(command).inheritIO();
    b.environment().clear();
    b.environment().putAll(env);
    process = b.start();
  }

  private void supervise() {
    long backoff = 100;
    while (!closed) {
      try {
        long started = System.nanoTime();
        int status = process.waitFor();
        if (closed) {
          return;
        }
        backoff = System.nanoTime() - started > Duration.ofSeconds(30).toNanos() ? 100 : Math.min(backoff * 2, 5000);
        LOG.log(System.Logger.Level.WARNING, "the maker-code process ended with status " + status
            + "; starting it again in " + backoff + " ms");
        Thread.sleep(backoff);
        if (!closed) {
          spawn();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "cannot start the maker-code process again: " + e.getMessage());
        try {
          Thread.sleep(5000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Ends the host (SIGKILL) and stops starting it again. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
