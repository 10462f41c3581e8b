package store.code.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.Labels;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;

/**
 * {@code codestore logs <project>/<alias> --env <env>}: the log of every runtime pod of one instance, merged by time,
 * each JSON line shown as {@code time pod LEVEL [logger] message key=value...}. Needs the right to read pods/log in
 * the instance's namespace (your RBAC).
 */
@Command(name = "logs", description = "An instance's runtime log, all its pods merged by time, readable.")
public class LogsCommand extends ClusterCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ERROR_LEVELS = Set.of("WARN", "WARNING", "ERROR", "FATAL", "SEVERE");

  @Parameters(paramLabel = "PROJECT/ALIAS")
  String ref;

  @Option(names = "--env", required = true, description = "The environment, e.g. dev.")
  String environment;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines (Ctrl-C ends).")
  boolean follow;

  @Option(names = "--since", defaultValue = "10m", description = "How far back: 30s, 10m, 2h (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = "--request-id", description = "Only the lines of this request (X-Request-Id of its answer).")
  String requestId;

  @Option(names = "--errors", description = "Only warnings and errors.")
  boolean errorsOnly;

  /** One line of one pod. */
  public record Entry(String time, String pod, String level, String text, String requestId) {}

  @Override
  protected void run() {
    String[] pa = Projects.projectAndAlias(ref);
    int sinceSeconds = seconds(since);
    String name = pa[0] + "-" + pa[1] + "-" + environment;
    ServiceInstance instance = client.resources(ServiceInstance.class).inNamespace(namespace).withName(name).get();
    if (instance == null) {
      Projects.use(Projects.get(client, namespace, pa[0]), pa[1]);
      throw new UserError("no instance " + name + " in namespace " + namespace + " (is " + environment
          + " one of the project's environments? codestore status " + pa[0] + ")");
    }
    String target = instance.getStatus() == null ? null : instance.getStatus().getTargetNamespace();
    List<Pod> pods = target == null ? List.of() : client.pods().inNamespace(target)
        .withLabel(Labels.APP_NAME, Labels.RUNTIME_APP).list().getItems();
    if (pods.isEmpty()) {
      throw new UserError("instance " + name + " has no runtime pods"
          + (target == null ? " yet" : " in namespace " + target) + " (codestore status " + pa[0] + ")");
    }
    if (follow) {
      follow(target, pods, sinceSeconds);
      return;
    }
    List<Entry> all = new ArrayList<>();
    for (Pod pod : pods) {
      String log = client.pods().inNamespace(target).withName(pod.getMetadata().getName()).inContainer("runtime")
          .usingTimestamps().sinceSeconds(sinceSeconds).getLog();
      log.lines().map(l -> entry(pod.getMetadata().getName(), l)).filter(this::wanted).forEach(all::add);
    }
    all.sort(Comparator.comparing(Entry::time));
    all.forEach(e -> out.println(e.text()));
    out.flush();
  }

  private void follow(String target, List<Pod> pods, int sinceSeconds) {
    List<Thread> readers = new ArrayList<>();
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      LogWatch watch = client.pods().inNamespace(target).withName(podName).inContainer("runtime").usingTimestamps()
          .sinceSeconds(sinceSeconds).watchLog();
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            Entry e = entry(podName, line);
            if (wanted(e)) {
              synchronized (out) {
                out.println(e.text());
                out.flush();
              }
            }
          }
        } catch (IOException e) {
          synchronized (out) {
            out.println("(" + podName + ": " + e.getMessage() + ")");
          }
        } finally {
          watch.close();
        }
      }, "logs-" + podName);
      t.start();
      readers.add(t);
    }
    for (Thread t : readers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean wanted(Entry e) {
    return (!errorsOnly || ERROR_LEVELS.contains(e.level())) && (requestId == null || requestId.equals(e.requestId()));
  }

  /**
   * A line as the kubelet gives it with timestamps ({@code <RFC3339 time> <line>}); the runtime's lines are JSON
   * (message, level, logger, mdc with requestId, caller, operation), anything else is shown as it is.
   */
  public static Entry entry(String pod, String raw) {
    int space = raw.indexOf(' ');
    String time = space > 0 ? raw.substring(0, space) : "";
    String line = space > 0 ? raw.substring(space + 1) : raw;
    String shortPod = pod.contains("-") ? pod.substring(pod.lastIndexOf('-') + 1) : pod;
    try {
      JsonNode j = line.startsWith("{") ? JSON.readTree(line) : null;
      if (j != null && j.has("message")) {
        String level = j.path("level").asText("");
        StringBuilder text = new StringBuilder(time).append(' ').append(shortPod).append(' ')
            .append(String.format("%-5s", level)).append(" [").append(shortLogger(j.path("loggerName").asText("")))
            .append("] ").append(j.path("message").asText());
        JsonNode mdc = j.path("mdc");
        mdc.fields().forEachRemaining(f -> text.append(' ').append(f.getKey()).append('=').append(f.getValue().asText()));
        if (j.has("exception")) {
          text.append("\n  ").append(j.path("exception").path("exceptionType").asText()).append(": ")
              .append(j.path("exception").path("message").asText());
        }
        return new Entry(time, shortPod, level, text.toString(), mdc.path("requestId").asText(null));
      }
    } catch (IOException e) {
      // not JSON after all: shown as it is
    }
    return new Entry(time, shortPod, "", time + " " + shortPod + " " + line, null);
  }

  private static String shortLogger(String logger) {
    return logger.contains(".") && !logger.startsWith("codestore.") ? logger.substring(logger.lastIndexOf('.') + 1) : logger;
  }

  public static int seconds(String since) {
    try {
      Duration d = Duration.parse("PT" + since.toUpperCase(java.util.Locale.ROOT));
      if (d.isNegative() || d.isZero()) {
        throw new UserError("--since \"" + since + "\" must be positive");
      }
      return (int) Math.min(Integer.MAX_VALUE, d.toSeconds());
    } catch (DateTimeParseException e) {
      throw new UserError("--since \"" + since + "\" is not a duration like 30s, 10m or 2h");
    }
  }
}
