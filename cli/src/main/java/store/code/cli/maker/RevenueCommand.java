package store.code.cli.maker;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceUsage;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;
import store.code.cli.UserError;

/**
 * {@code codestore revenue <service> [--month]}: what the maker sees of a service's use, summed by the operator over
 * every project's UsageReport (projects, requests, revenue), a row per month, newest first; no client's data beyond
 * those sums. The Service's status keeps this month and the twelve before it whose reports are still in the cluster.
 */
@Command(name = "revenue", description = "A Service's use by month: projects, requests, revenue (summed over its clients' bills).")
public class RevenueCommand extends ClusterCommand {
  @Parameters(paramLabel = "SERVICE")
  String service;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "Only this month (default: every month kept).")
  String month;

  @Override
  protected void run() {
    if (month != null) {
      try {
        YearMonth.parse(month);
      } catch (DateTimeParseException e) {
        throw new UserError("--month \"" + month + "\" is not a month like 2026-11");
      }
    }
    CodeService s = Services.get(client, namespace, service);
    List<ServiceUsage> months = new ArrayList<>();
    if (s.getStatus() != null && s.getStatus().getUsage() != null) {
      months.add(s.getStatus().getUsage());
    }
    if (s.getStatus() != null && s.getStatus().getUsageHistory() != null) {
      months.addAll(s.getStatus().getUsageHistory());
    }
    if (months.isEmpty()) {
      throw new UserError("Service " + service + " has no use recorded yet: no client's UsageReport bills it");
    }
    List<ServiceUsage> shown = month == null ? months : months.stream().filter(u -> month.equals(u.getMonth())).toList();
    if (shown.isEmpty()) {
      throw new UserError("Service " + service + " has no use recorded in " + month + "; months kept: "
          + String.join(", ", months.stream().map(ServiceUsage::getMonth).toList()));
    }
    List<Map<String, Object>> rows = shown.stream().map(u -> Output.row("service", service, "month", u.getMonth(),
        "projects", u.getProjects(), "requests", u.getRequests(),
        "revenue", u.getRevenue() + (u.getCurrency() == null ? "" : " " + u.getCurrency()))).toList();
    output().print(out, rows, "");
  }
}
