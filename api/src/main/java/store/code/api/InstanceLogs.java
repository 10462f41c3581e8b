package store.code.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * An instance's runtime log as people read it (the CLI's {@code logs}, the console's instance page): every runtime
 * pod's lines merged by time, each JSON line of the runtime shown as {@code time pod LEVEL [logger] message
 * key=value...}. Read with the caller's own client, so it needs their right to pods/log in the instance's namespace.
 */
public final class InstanceLogs {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The levels a reader looks at first. */
  public static final Set<String> ERROR_LEVELS = Set.of("WARN", "WARNING", "ERROR", "FATAL", "SEVERE");
  /** The runtime's container in an instance pod. */
  public static final String CONTAINER = "runtime";

  private InstanceLogs() {}

  /** One line of one pod: its time, the pod's short name, the level (empty when not JSON), the text to show. */
  public record Line(String time, String pod, String level, String text, String requestId) {
    public boolean isError() {
      return ERROR_LEVELS.contains(level);
    }
  }

  /** The runtime pods of an instance whose runtime runs in {@code targetNamespace}. */
  public static List<Pod> pods(KubernetesClient client, String targetNamespace) {
    return client.pods().inNamespace(targetNamespace).withLabel(Labels.APP_NAME, Labels.RUNTIME_APP).list().getItems();
  }

  /**
   * The last {@code sinceSeconds} of every pod's runtime log, merged by time. A pod whose runtime has not started
   * (the kubelet answers 400) is a line that says so rather than no log at all; a refusal (403) is the caller's.
   */
  public static List<Line> read(KubernetesClient client, String targetNamespace, List<Pod> pods, int sinceSeconds) {
    List<Line> all = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String log;
      try {
        log = client.pods().inNamespace(targetNamespace).withName(name).inContainer(CONTAINER).usingTimestamps()
            .sinceSeconds(sinceSeconds).getLog();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 400) {
          throw e;
        }
        String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage();
        all.add(new Line("", name, "WARN", "(" + name + ": no log yet: " + said + ")", null));
        continue;
      }
      if (log != null) {
        log.lines().map(l -> parse(name, l)).forEach(all::add);
      }
    }
    all.sort(Comparator.comparing(Line::time));
    return all;
  }

  /**
   * A line as the kubelet gives it with timestamps ({@code <RFC3339 time> <line>}); the runtime's lines are JSON
   * (message, level, logger, mdc with requestId, caller, operation), anything else is shown as it is.
   */
  public static Line parse(String pod, String raw) {
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
        return new Line(time, shortPod, level.toUpperCase(Locale.ROOT), text.toString(),
            mdc.path("requestId").asText(null));
      }
    } catch (IOException e) {
      // not JSON after all: shown as it is
    }
    return new Line(time, shortPod, "", time + " " + shortPod + " " + line, null);
  }

  private static String shortLogger(String logger) {
    return logger.contains(".") && !logger.startsWith("codestore.") ? logger.substring(logger.lastIndexOf('.') + 1) : logger;
  }
}
