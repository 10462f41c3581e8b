package store.code.cli.maker;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.semver4j.Semver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;

/** {@code codestore revisions <service>}: every version a Service published and still keeps, newest first. */
@Command(name = "revisions", description = "List the published versions (ServiceRevisions) of a Service, newest first.")
public class RevisionsCommand extends ClusterCommand {
  @Parameters(paramLabel = "SERVICE")
  String service;

  @Override
  protected void run() {
    CodeService s = Services.get(client, namespace, service);
    String published = s.getStatus() == null ? null : s.getStatus().getRevision();
    List<Map<String, Object>> rows = client.resources(ServiceRevision.class).inNamespace(namespace)
        .withLabel(Labels.SERVICE, service).list().getItems().stream()
        .sorted(Comparator.comparing((ServiceRevision r) -> Semver.coerce(r.getSpec().getVersion()),
            Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
        .map(r -> Output.row("version", r.getSpec().getVersion(),
            "published", r.getMetadata().getName().equals(published) ? "*" : "",
            "schemaHash", r.getSpec().getSchemaHash(), "codeImage", r.getSpec().getCodeImage(),
            "created", r.getMetadata().getCreationTimestamp(), "name", r.getMetadata().getName()))
        .toList();
    output().print(out, rows, "Service " + service + " has published no version yet.");
  }
}
