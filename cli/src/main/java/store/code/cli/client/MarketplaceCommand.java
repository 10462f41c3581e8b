package store.code.cli.client;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import store.code.api.Marketplace;
import store.code.api.v1alpha1.CodeService;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;

/** {@code codestore marketplace}: the Services a project in this namespace may reuse (Public, and Shared with it). */
@Command(name = "marketplace", description = "Services a project in this namespace may reuse: Public ones, and "
    + "those shared with it.")
public class MarketplaceCommand extends ClusterCommand {
  @Override
  protected void run() {
    List<Map<String, Object>> rows = client.resources(CodeService.class).inAnyNamespace().list().getItems().stream()
        .filter(s -> Marketplace.admits(s, namespace))
        .filter(s -> s.getStatus() != null && s.getStatus().getVersion() != null) // published something
        .sorted(Comparator.comparing((CodeService s) -> s.getMetadata().getName())
            .thenComparing(s -> s.getMetadata().getNamespace()))
        .map(s -> Output.row("name", s.getMetadata().getName(), "maker", s.getMetadata().getNamespace(),
            "version", s.getStatus().getVersion(), "price", Marketplace.price(s.getSpec().getPricing()),
            "description", s.getSpec().getDescription(), "service", s.getMetadata().getNamespace() + "/"
                + s.getMetadata().getName()))
        .toList();
    output().print(out, rows, "No published service may be reused from namespace " + namespace + ".");
  }
}
