package store.code.codehost;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The maker-code process: {@code java -jar codestore-code-host.jar}. Settings by environment (it gets no other: no
 * database, storage or platform credentials are ever given to it):
 * <ul>
 *   <li>{@code CODESTORE_CODE_DIR}: the maker's jars (default {@code /code})</li>
 *   <li>{@code CODESTORE_CODE_PORT}: the port on 127.0.0.1 the runtime calls (default 8090)</li>
 *   <li>{@code CODESTORE_CODE_GRACE}: how long past a call's deadline a handler may still run before the process ends
 *   itself to be restarted (ISO-8601 or seconds, default 5 s)</li>
 *   <li>{@code CODESTORE_CODE_EXIT_WITH_PARENT}: {@code true} when this process was started by a supervisor (a runtime,
 *   or this jar in supervising mode), so that it never outlives it (even one killed with SIGKILL)</li>
 *   <li>{@code CODESTORE_CODE_SUPERVISE}: {@code true} in the pod's {@code code} container: this JVM only keeps a host
 *   running as its child ({@link Supervisor}), started with {@code CODESTORE_CODE_JAVA_OPTIONS}, so that a host that
 *   ends is replaced at once while the container, and with it the pod's readiness, stays up</li>
 * </ul>
 * Exit status 70 means a handler hung or the JVM failed under it; the supervisor starts a new process.
 */
public final class CodeHostMain {

  static final int RESTART_STATUS = 70;

  private CodeHostMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s [%3$s] %5$s%6$s%n");
    Map<String, String> env = System.getenv();
    if (Boolean.parseBoolean(env.get("CODESTORE_CODE_SUPERVISE"))) {
      supervise(env);
      return;
    }
    Path dir = Path.of(env.getOrDefault("CODESTORE_CODE_DIR", "/code"));
    int port = Integer.parseInt(env.getOrDefault("CODESTORE_CODE_PORT", "8090"));
    Duration grace = duration("CODESTORE_CODE_GRACE", env.getOrDefault("CODESTORE_CODE_GRACE", "5"));
    Handlers handlers = Handlers.load(dir);
    System.Logger log = System.getLogger("codestore.code-host");
    handlers.inventory().problems().forEach(p -> log.log(System.Logger.Level.ERROR, "maker code: " + p));
    CodeHost host = CodeHost.start(handlers, port, grace, () -> Runtime.getRuntime().halt(RESTART_STATUS));
    log.log(System.Logger.Level.INFO, "serving " + handlers.inventory().handlers().size() + " handlers "
        + handlers.inventory().handlers() + " from " + handlers.inventory().jars() + " on 127.0.0.1:" + host.port());
    if (Boolean.parseBoolean(env.get("CODESTORE_CODE_EXIT_WITH_PARENT"))) {
      ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    }
    Thread.currentThread().join(); // the server's threads are daemons: this one keeps the process alive
  }

  /** Runs this same jar as a child host, with this environment but for the supervising switch, and keeps it running. */
  static void supervise(Map<String, String> env) throws Exception {
    Path jar = Path.of(CodeHostMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String options = env.getOrDefault("CODESTORE_CODE_JAVA_OPTIONS", "").trim();
    if (!options.isEmpty()) {
      command.addAll(List.of(options.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString()));
    Map<String, String> childEnv = new HashMap<>(env);
    childEnv.remove("CODESTORE_CODE_SUPERVISE");
    childEnv.remove("CODESTORE_CODE_JAVA_OPTIONS");
    childEnv.put("CODESTORE_CODE_EXIT_WITH_PARENT", "true");
    Supervisor supervisor = Supervisor.start(command, childEnv, false);
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::close)); // SIGTERM from the kubelet ends the child too
  }

  /** {@code 5}, {@code 5s}, {@code 500ms} or ISO-8601 ({@code PT5S}), as the runtime's settings are written. */
  static Duration duration(String name, String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    Duration d;
    try {
      if (v.startsWith("p")) {
        d = Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v) * 1000));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + "=\"" + value + "\" is not a duration: write 5, 5s, 500ms or PT5S");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + "=\"" + value + "\" is negative");
    }
    return d;
  }
}
