package store.code.runtime.code;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import store.code.codehost.Supervisor;

/**
 * Maker code as a child process, for running an instance on a workstation ({@code make serve}) and for tests: the same
 * host the pod runs in its {@code code} container, started with an empty environment (none of the runtime's
 * settings, so no credentials) and started again whenever it ends ({@link Supervisor}). In a pod the code container
 * also runs as another user with a read-only root and no view of the runtime's processes; a child process on a
 * workstation shares the user, its files and {@code /proc}, so it isolates credentials and crashes, not a hostile
 * maker.
 */
public final class CodeHostProcess {

  private CodeHostProcess() {}

  /**
   * @param hostJar the executable host jar (codestore-code-host.jar)
   * @param codeDir the maker's jars
   * @param memory  the child's heap ({@code -Xmx}), as a pod would limit the container
   */
  public static Supervisor start(Path hostJar, Path codeDir, int port, Duration grace, String memory) throws IOException {
    if (!Files.isRegularFile(hostJar)) {
      throw new IOException("the maker-code host " + hostJar + " is missing (CODESTORE_CODE_HOST_JAR): build the project "
          + "(make build) or use the runtime image, which carries it");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return Supervisor.start(
        List.of(java, "-Xmx" + memory, "-XX:+ExitOnOutOfMemoryError", "-Xss512k", "-jar", hostJar.toString()),
        Map.of("CODESTORE_CODE_DIR", codeDir.toString(), "CODESTORE_CODE_PORT", String.valueOf(port),
            "CODESTORE_CODE_GRACE", grace.toMillis() + "ms", "CODESTORE_CODE_EXIT_WITH_PARENT", "true"),
        true);
  }

  /** A port free on the loopback interface now, for the child to listen on. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
