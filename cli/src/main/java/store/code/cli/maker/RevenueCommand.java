package store.code.cli.maker;

import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.v1alpha1.CodeService;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;
import store.code.cli.UserError;

/**
 * {@code codestore revenue <service>}: what the maker sees of a service's use this month, summed by the operator over
 * every project's UsageReport (projects, requests, revenue); no client's data beyond those sums.
 */
@Command(name = "revenue", description = "A Service's use this month: projects, requests, revenue (summed over its clients' bills).")
public class RevenueCommand extends ClusterCommand {
  @Parameters(paramLabel = "SERVICE")
  String service;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "Only the current month is kept (default: it).")
  String month;

  @Override
  protected void run() {
    CodeService s = Services.get(client, namespace, service);
    var usage = s.getStatus() == null ? null : s.getStatus().getUsage();
    if (usage == null) {
      throw new UserError("Service " + service + " has no use recorded yet this month");
    }
    if (month != null && !month.equals(usage.getMonth())) {
      throw new UserError("only the current month (" + usage.getMonth() + ") is kept in the Service's status; the "
          + "clients' UsageReports hold past months, which a maker may not read");
    }
    output().print(out, List.of(Output.row("service", service, "month", usage.getMonth(), "projects", usage.getProjects(),
        "requests", usage.getRequests(), "revenue", usage.getRevenue() + (usage.getCurrency() == null ? ""
            : " " + usage.getCurrency()))), "");
  }
}
