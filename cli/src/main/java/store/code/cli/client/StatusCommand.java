package store.code.cli.client;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import store.code.api.ConditionTypes;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;

/** {@code codestore status <project>}: each instance of a project, what it serves and why it is not ready. */
@Command(name = "status", description = "A project's instances: environment, service, version, phase, reason, endpoint.")
public class StatusCommand extends ClusterCommand {
  @Parameters(paramLabel = "PROJECT")
  String project;

  @Override
  protected void run() {
    Project p = Projects.get(client, namespace, project);
    List<String> envOrder = p.getSpec().getEnvironments();
    List<Map<String, Object>> rows = client.resources(ServiceInstance.class).inNamespace(namespace)
        .withLabel(Labels.PROJECT, project).list().getItems().stream()
        .sorted(Comparator.comparing((ServiceInstance i) -> envOrder.indexOf(i.getSpec().getEnvironment()))
            .thenComparing(i -> i.getMetadata().getName()))
        .map(i -> {
          var s = i.getStatus();
          var ready = s == null ? null : Conditions.find(s.getConditions(), ConditionTypes.READY).orElse(null);
          boolean isReady = ready != null && Conditions.TRUE.equals(ready.getStatus());
          return Output.row("environment", i.getSpec().getEnvironment(),
              "service", i.getMetadata().getLabels() == null ? null : i.getMetadata().getLabels().get(Labels.SERVICE),
              "version", s == null ? null : s.getServiceVersion(), "phase", s == null ? null : s.getPhase(),
              "reason", ready == null || isReady ? null : ready.getReason(), "endpoint", s == null ? null : s.getEndpoint(),
              "message", ready == null || isReady ? null : ready.getMessage());
        }).toList();
    if (output() == Output.table) {
      rows.forEach(r -> r.remove("message")); // too long for a table; -o yaml shows it
    }
    output().print(out, rows, "Project " + project + " has no instances yet (codestore project add " + project + " ...).");
  }
}
