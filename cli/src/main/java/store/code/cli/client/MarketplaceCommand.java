package store.code.cli.client;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import store.code.api.Marketplace;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Pricing;
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
            "version", s.getStatus().getVersion(), "price", price(s.getSpec().getPricing()),
            "description", s.getSpec().getDescription(), "service", s.getMetadata().getNamespace() + "/"
                + s.getMetadata().getName()))
        .toList();
    output().print(out, rows, "No published service may be reused from namespace " + namespace + ".");
  }

  /** As the maker wrote it (the same decimals the UsageReport bills): "2.00 EUR/month + 1.00 EUR/1M requests". */
  static String price(Pricing p) {
    if (p == null) {
      return "free";
    }
    String c = p.getCurrency() == null ? "" : " " + p.getCurrency();
    StringBuilder s = new StringBuilder();
    if (p.getMonthlyFee() != null) {
      s.append(p.getMonthlyFee()).append(c).append("/month");
    }
    if (p.getPerMillionRequests() != null) {
      s.append(s.length() > 0 ? " + " : "").append(p.getPerMillionRequests()).append(c).append("/1M requests");
    }
    if (p.getPerGiBMonth() != null) {
      s.append(s.length() > 0 ? " + " : "").append(p.getPerGiBMonth()).append(c).append("/GiB-month");
    }
    return s.length() == 0 ? "free" : s.toString();
  }
}
