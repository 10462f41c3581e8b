package store.code.cli.maker;

import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import store.code.api.ConditionTypes;
import store.code.api.Conditions;
import store.code.api.v1alpha1.CodeService;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;

/** {@code codestore services [-A]}: the Services of a namespace (or all), with what each publishes and whether it is ready. */
@Command(name = "services", description = "List Services: version asked, version published, visibility, readiness.")
public class ServicesCommand extends ClusterCommand {
  @Option(names = {"-A", "--all-namespaces"}, description = "In every namespace you may list.")
  boolean all;

  @Override
  protected void run() {
    var services = all ? client.resources(CodeService.class).inAnyNamespace().list().getItems()
        : client.resources(CodeService.class).inNamespace(namespace).list().getItems();
    List<Map<String, Object>> rows = services.stream().map(s -> {
      var status = s.getStatus();
      var ready = status == null ? null : Conditions.find(status.getConditions(), ConditionTypes.READY).orElse(null);
      Map<String, Object> row = Output.row("namespace", s.getMetadata().getNamespace(), "name", s.getMetadata().getName(),
          "version", s.getSpec().getVersion(), "published", status == null ? null : status.getVersion(),
          "visibility", s.getSpec().getVisibility(), "instances", status == null ? null : status.getInstances(),
          "ready", ready == null ? null : ready.getStatus(), "reason", ready == null ? null : ready.getReason());
      if (!all) {
        row.remove("namespace");
      }
      return row;
    }).toList();
    output().print(out, rows, "No Services in " + (all ? "any namespace you may list" : "namespace " + namespace) + ".");
  }
}
