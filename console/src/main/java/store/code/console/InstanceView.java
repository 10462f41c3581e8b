package store.code.console;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.TemplateData;
import store.code.api.InstanceLogs;
import store.code.api.ProjectChanges;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ServiceInstance;

/**
 * The instance page: what the operator says of one instance (conditions, version, endpoint, the last upgrade
 * check), its runtime's recent log read with the person's own right to pods/log (errors first), and the project's
 * keys this instance accepts, for its query panel. A log the person may not read is said on the page; the rest of
 * the page still shows.
 */
public final class InstanceView {
  private InstanceView() {}

  /** How far back the log goes: the choices the page offers. */
  public static final List<String> SINCE = List.of("5m", "15m", "1h", "6h", "24h");
  /** At most this many lines are shown (the newest), so a chatty instance does not make a page of megabytes. */
  static final int MAX_LINES = 500;

  @TemplateData
  public record LogLine(String time, String pod, String level, String text, String requestId, boolean error) {}

  @TemplateData
  public record Upgrade(String from, String to, String result, List<String> breakingChanges, List<String> refused) {}

  @TemplateData
  public record InstancePage(String namespace, String project, String name, String alias, String environment,
      String service, String phase, String version, String endpoint, String targetNamespace,
      List<Views.ConditionRow> conditions, Upgrade upgrade, String since, String requestId, List<LogLine> errors,
      List<LogLine> lines, int omitted, String logProblem, List<String> keys, List<String> sinceChoices) {}

  /**
   * The page of instance {@code name} of project {@code project}: an instance of another project under this
   * project's address is not found (404), as if it were not there.
   */
  public static InstancePage read(KubernetesClient client, String namespace, String project, String name,
      String since, String requestId) {
    ServiceInstance i = of(client, namespace, project, name);
    var s = i.getStatus();
    String target = s == null ? null : s.getTargetNamespace();
    List<InstanceLogs.Line> all = List.of();
    String logProblem = null;
    if (target == null) {
      logProblem = "The instance has no namespace yet: no runtime runs.";
    } else {
      try {
        List<Pod> pods = InstanceLogs.pods(client, target);
        if (pods.isEmpty()) {
          logProblem = "No runtime pod runs in " + target + " (yet, or asleep).";
        } else {
          all = InstanceLogs.read(client, target, pods, seconds(since));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403) {
          throw e;
        }
        logProblem = "Kubernetes RBAC does not let you read this instance's pods or their log (pods, pods/log in "
            + target + "): ask for edit in " + namespace + ", which the operator extends to the instance's namespace.";
      }
    }
    List<LogLine> wanted = all.stream().filter(l -> requestId == null || requestId.equals(l.requestId()))
        .map(l -> new LogLine(l.time(), l.pod(), l.level(), l.text(), l.requestId(), l.isError())).toList();
    int omitted = Math.max(0, wanted.size() - MAX_LINES);
    List<LogLine> lines = wanted.subList(omitted, wanted.size());
    List<LogLine> errors = lines.stream().filter(LogLine::error).sorted(Comparator.comparing(LogLine::time).reversed())
        .toList();
    var u = s == null ? null : s.getUpgrade();
    String env = i.getSpec().getEnvironment();
    return new InstancePage(namespace, project, name, alias(project, name, env), env,
        i.getSpec().getServiceRef() == null ? null : Objects.toString(i.getSpec().getServiceRef().getNamespace(),
            namespace) + "/" + i.getSpec().getServiceRef().getName(),
        s == null || s.getPhase() == null ? "Pending" : s.getPhase().name(), s == null ? null : s.getServiceVersion(),
        s == null ? null : s.getEndpoint(), target, Views.conditions(s == null ? null : s.getConditions()),
        u == null ? null : new Upgrade(u.getFromVersion(), u.getToVersion(), u.getResult(), u.getBreakingChanges(),
            u.getRefused()),
        since, requestId, errors, lines, omitted, logProblem, keys(client, namespace, name), SINCE);
  }

  /** The alias the project reuses the service under: the project names its instances {@code <project>-<alias>-<env>}. */
  static String alias(String project, String instance, String env) {
    return env != null && instance.startsWith(project + "-") && instance.endsWith("-" + env)
        && instance.length() > project.length() + env.length() + 2
        ? instance.substring(project.length() + 1, instance.length() - env.length() - 1) : null;
  }

  /** The instance, if it is one of the project's. */
  static ServiceInstance of(KubernetesClient client, String namespace, String project, String name) {
    ServiceInstance i = client.resources(ServiceInstance.class).inNamespace(namespace).withName(name).require();
    if (i.getSpec() == null || !project.equals(i.getSpec().getProject())) {
      throw new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(404)
          .withMessage("serviceinstances \"" + name + "\" is not an instance of project " + project).build());
    }
    return i;
  }

  /** The project's keys that this instance accepts (by name: the key itself is read only when a query uses it). */
  static List<String> keys(KubernetesClient client, String namespace, String instance) {
    return client.resources(ApiKey.class).inNamespace(namespace).list().getItems().stream()
        .filter(k -> k.getStatus() != null && k.getStatus().getInstances().contains(instance))
        .map(k -> k.getMetadata().getName()).sorted().toList();
  }

  /** {@code since} as seconds: one of {@link #SINCE}, anything else refused. */
  static int seconds(String since) {
    if (!SINCE.contains(since)) {
      throw new ProjectChanges.Refused("since \"" + since + "\" is not one of " + String.join(", ", SINCE));
    }
    return (int) java.time.Duration.parse("PT" + since.toUpperCase(java.util.Locale.ROOT)).toSeconds();
  }
}
