package store.code.codehost;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import store.code.codehost.wire.Wire;

/**
 * The packaged host jar as the pod's {@code code} container runs it (CODESTORE_CODE_SUPERVISE): a supervising JVM with
 * the host as its child. A child killed with SIGKILL is replaced while the supervisor stays up; a SIGTERM to the
 * supervisor (the kubelet stopping the pod) ends both.
 */
class SupervisedHostIT {

  @Test
  void aKilledHostIsReplacedWhileTheContainersProcessStaysAndStoppingItStopsBoth() throws Exception {
    Path jar = Path.of(System.getProperty("codestore.code-host.jar"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
        "-jar", jar.toString()).inheritIO();
    b.environment().clear();
    b.environment().put("CODESTORE_CODE_SUPERVISE", "true");
    b.environment().put("CODESTORE_CODE_JAVA_OPTIONS", "-Xmx64m -XX:+ExitOnOutOfMemoryError");
    b.environment().put("CODESTORE_CODE_DIR", Files.createTempDirectory("no-code").toString());
    b.environment().put("CODESTORE_CODE_PORT", String.valueOf(port));
    Process supervisor = b.start();
    try {
      ProcessHandle first = awaitAnsweringChild(supervisor, port, null);
      first.destroyForcibly(); // SIGKILL
      ProcessHandle second = awaitAnsweringChild(supervisor, port, first.pid());
      assertThat(second.pid()).isNotEqualTo(first.pid());
      assertThat(supervisor.isAlive()).as("the container's process never ended").isTrue();

      supervisor.destroy(); // SIGTERM
      assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(second.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the host ends with its supervisor").isFalse();
    } finally {
      supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
      supervisor.destroyForcibly();
    }
  }

  /** The supervisor's one child, once it answers on the port; a different one than {@code not} when given. */
  static ProcessHandle awaitAnsweringChild(Process supervisor, int port, Long not) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < until) {
      List<ProcessHandle> children = supervisor.children().filter(ProcessHandle::isAlive).toList();
      if (children.size() == 1 && (not == null || children.get(0).pid() != not)) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Wire.INVENTORY))
              .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return children.get(0);
          }
        } catch (java.io.IOException starting) {
          // not listening yet
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no host answered on port " + port + " (children: " + supervisor.children().toList() + ")");
  }
}
