package store.code.operator.billing;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;

import store.code.api.Labels;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportSpec;
import store.code.api.v1alpha1.UsageReportStatus;

/**
 * A project's UsageReports, one per calendar month (UTC), named {@code <project>-<yyyy-MM>}: which one a pass writes,
 * how a month's report is opened, and what counting starts from.
 *
 * <p>Opening a month: the latest earlier report of the project, whatever its month (last month's, or an older one
 * when no pass ran for a whole month or the project was re-created), is closed first ({@link Ledger#close}), and its
 * cursors go into the new report's {@code spec.opening} in the very request that creates it. So a report never exists
 * without the cursors it starts from, however the passes after its creation fail or interleave. Each of these writes
 * carries the resourceVersion it was read at or fails on a concurrent one (409), which ends the pass without writing
 * more.
 */
final class MonthlyReports {

  private final KubernetesClient client;

  MonthlyReports(KubernetesClient client) {
    this.client = client;
  }

  static String name(String project, YearMonth month) {
    return project + "-" + month;
  }

  static Ledger.Period period(YearMonth month) {
    return new Ledger.Period(month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
        month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  static Ledger.Period periodOf(UsageReport report) {
    return new Ledger.Period(Instant.parse(report.getSpec().getPeriod().getStart()),
        Instant.parse(report.getSpec().getPeriod().getEnd()));
  }

  /** The calendar month (UTC) an instant falls in: the last second of a month is in it, midnight in the next. */
  static YearMonth monthOf(Instant instant) {
    return YearMonth.from(instant.atZone(ZoneOffset.UTC));
  }

  UsageReport get(String namespace, String project, YearMonth month) {
    return client.resources(UsageReport.class).inNamespace(namespace).withName(name(project, month)).get();
  }

  /**
   * Creates the month's report, opening from the latest earlier one, which is closed first with {@code readings} (the
   * pass's, taken {@code now}). Throws KubernetesClientException 409 when another writer changed that one or created
   * this one meanwhile.
   */
  UsageReport open(String namespace, String project, YearMonth month, List<Reading> readings, Instant now) {
    UsageReportSpec.Opening opening = new UsageReportSpec.Opening();
    UsageReport earlier = latestBefore(namespace, project, month).orElse(null);
    if (earlier != null) {
      UsageReportStatus carried = startingStatus(namespace, earlier);
      if (earlier.getStatus() == null || !Boolean.TRUE.equals(earlier.getStatus().getFinalized())) {
        carried = Ledger.close(carried, periodOf(earlier), readings, now);
        earlier.setStatus(carried);
        client.resource(earlier).updateStatus(); // carries the resourceVersion it was read at
      }
      opening.setFrom(earlier.getMetadata().getName());
      opening.setCursors(carried.getCursors());
    }
    UsageReport fresh = new UsageReport();
    fresh.getMetadata().setName(name(project, month));
    fresh.getMetadata().setNamespace(namespace);
    fresh.getMetadata().setLabels(Map.of(Labels.PROJECT, project));
    UsageReportSpec spec = new UsageReportSpec();
    spec.setProject(project);
    UsageReportSpec.Period p = new UsageReportSpec.Period();
    p.setStart(period(month).start().toString());
    p.setEnd(period(month).end().toString());
    spec.setPeriod(p);
    spec.setOpening(opening);
    fresh.setSpec(spec);
    return client.resources(UsageReport.class).inNamespace(namespace).resource(fresh).create();
  }

  /**
   * What a pass adds to: the report's status once a pass has written it; before that, its opening cursors. A report
   * with neither (made by an operator older than openings) starts from the latest earlier report, never from zero.
   */
  UsageReportStatus startingStatus(String namespace, UsageReport report) {
    UsageReportStatus status = report.getStatus();
    if (status != null && status.getCollectedAt() != null) {
      return status;
    }
    if (report.getSpec().getOpening() != null) {
      return Ledger.opening(report.getSpec().getOpening().getCursors());
    }
    YearMonth month = monthOf(Instant.parse(report.getSpec().getPeriod().getStart()));
    return latestBefore(namespace, report.getSpec().getProject(), month)
        .map(earlier -> Ledger.opening(startingStatus(namespace, earlier).getCursors()))
        .orElseGet(UsageReportStatus::new);
  }

  /** The project's report with the latest period that starts before {@code month}. */
  Optional<UsageReport> latestBefore(String namespace, String project, YearMonth month) {
    Instant start = period(month).start();
    return client.resources(UsageReport.class).inNamespace(namespace).withLabel(Labels.PROJECT, project).list()
        .getItems().stream()
        .filter(r -> r.getSpec() != null && project.equals(r.getSpec().getProject()) && r.getSpec().getPeriod() != null)
        .filter(r -> Instant.parse(r.getSpec().getPeriod().getStart()).isBefore(start))
        .max(Comparator.comparing(r -> Instant.parse(r.getSpec().getPeriod().getStart())));
  }
}
