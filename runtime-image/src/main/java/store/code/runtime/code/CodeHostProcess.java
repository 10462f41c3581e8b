package store.code.runtime.code;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Maker code as a child process, for running an instance on a workstation ({@code make serve}) and for tests: the same
 * host the pod runs in its {@code code} container, started with an empty environment (none of the runtime's
 * settings, so no credentials) and started again whenever it ends, as the kubelet restarts a container. In a pod the
 * code container also runs as another user with a read-only root and no view of the runtime's processes; a child
 * process on a workstation shares the user, its files and {@code /proc}, so it isolates credentials and crashes, not
 * a hostile maker.
 */
public final class CodeHostProcess implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("codestore.code");

  private final List<String> command;
  private final Map<String, String> env;
  private final Thread supervisor;
  private volatile Process process;
  private volatile boolean closed;
  private volatile int starts;

  private CodeHostProcess(List<String> command, Map<String, String> env) {
    this.command = command;
    this.env = env;
    this.supervisor = new Thread(this::supervise, "code-host-supervisor");
    this.supervisor.setDaemon(true);
  }

  /**
   * @param hostJar the executable host jar (codestore-code-host-*-host.jar)
   * @param codeDir the maker's jars
   * @param memory  the child's heap ({@code -Xmx}), as a pod would limit the container
   */
  public static CodeHostProcess start(Path hostJar, Path codeDir, int port, Duration grace, String memory)
      throws IOException {
    if (!Files.isRegularFile(hostJar)) {
      throw new IOException("the maker-code host " + hostJar + " is missing (CODESTORE_CODE_HOST_JAR): build the project "
          + "(make build) or use the runtime image, which carries it");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    CodeHostProcess p = new CodeHostProcess(
        List.of(java, "-Xmx" + memory, "-XX:+ExitOnOutOfMemoryError", "-Xss512k", "-jar", hostJar.toString()),
        Map.of("CODESTORE_CODE_DIR", codeDir.toString(), "CODESTORE_CODE_PORT", String.valueOf(port),
            "CODESTORE_CODE_GRACE", grace.toMillis() + "ms", "CODESTORE_CODE_EXIT_WITH_PARENT", "true"));
    p.spawn();
    p.supervisor.start();
    return p;
  }

  /** A port free on the loopback interface now, for the child to listen on. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** How many times the host was started (1 until it first ends). */
  public int starts() {
    return starts;
  }

  public long pid() {
    return process.pid();
  }

  private void spawn() throws IOException {
    ProcessBuilder b = new ProcessBuilder(command).inheritIO();
    b.environment().clear();
    b.environment().putAll(env);
    process = b.start();
    starts++;
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
        // a host that keeps ending at once is started again less and less often, up to every 5 s (like the kubelet)
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

  @Override
  public void close() {
    closed = true;
    supervisor.interrupt();
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
