package store.code.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.InstanceLogs;
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
    List<Pod> pods = target == null ? List.of() : InstanceLogs.pods(client, target);
    if (pods.isEmpty()) {
      throw new UserError("instance " + name + " has no runtime pods"
          + (target == null ? " yet" : " in namespace " + target) + " (codestore status " + pa[0] + ")");
    }
    if (follow) {
      follow(target, pods, sinceSeconds);
      return;
    }
    InstanceLogs.read(client, target, pods, sinceSeconds).stream().filter(this::wanted)
        .forEach(e -> out.println(e.text()));
    out.flush();
  }

  private void follow(String target, List<Pod> pods, int sinceSeconds) {
    List<Thread> readers = new ArrayList<>();
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      LogWatch watch = client.pods().inNamespace(target).withName(podName).inContainer(InstanceLogs.CONTAINER).usingTimestamps()
          .sinceSeconds(sinceSeconds).watchLog();
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            InstanceLogs.Line e = InstanceLogs.parse(podName, line);
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

  private boolean wanted(InstanceLogs.Line e) {
    return (!errorsOnly || e.isError()) && (requestId == null || requestId.equals(e.requestId()));
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
