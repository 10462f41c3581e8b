package store.code.cli.client;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.v1alpha1.UsageReport;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;
import store.code.cli.UserError;

/**
 * {@code codestore usage <project> [--month 2026-11]}: the project's UsageReport of a month (UTC), its lines and
 * total, with the decimals the report holds (amounts are printed as stored, never recomputed).
 */
@Command(name = "usage", description = "A project's bill for a month: a line per instance, and the total.")
public class UsageCommand extends ClusterCommand {
  @Parameters(paramLabel = "PROJECT")
  String project;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "Default: this month (UTC).")
  String month;

  @Override
  protected void run() {
    YearMonth m;
    try {
      m = month == null ? YearMonth.now(clock().withZone(ZoneOffset.UTC)) : YearMonth.parse(month);
    } catch (DateTimeParseException e) {
      throw new UserError("--month \"" + month + "\" is not a month like 2026-11");
    }
    Projects.get(client, namespace, project);
    String name = project + "-" + m;
    UsageReport report = client.resources(UsageReport.class).inNamespace(namespace).withName(name).get();
    if (report == null || report.getStatus() == null) {
      throw new UserError("no usage recorded for project " + project + " in " + m + " (UsageReport " + name
          + " in namespace " + namespace + " does not exist yet)");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    String currency = report.getStatus().getTotal() == null ? null : report.getStatus().getTotal().getCurrency();
    for (var line : report.getStatus().getLines()) {
      rows.add(Output.row("instance", line.getInstance(), "environment", line.getEnvironment(), "service",
          line.getService(), "requests", line.getRequests(), "runtimeHours", line.getRuntimeHours(),
          "databaseGiBHours", line.getDatabaseGiBHours(), "amount", line.getAmount()));
    }
    if (report.getStatus().getTotal() != null) {
      rows.add(Output.row("instance", "TOTAL", "environment", null, "service", null, "requests", null,
          "runtimeHours", null, "databaseGiBHours", null, "amount",
          report.getStatus().getTotal().getAmount() + (currency == null ? "" : " " + currency)));
    }
    output().print(out, rows, "UsageReport " + name + " has no lines yet.");
    if (output() == Output.table && Boolean.TRUE.equals(report.getStatus().getFinalized())) {
      out.println("(final: the month is closed)");
      out.flush();
    }
  }
}
