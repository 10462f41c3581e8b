package store.code.operator.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceUsage;
import store.code.api.v1alpha1.UsageReport;

/**
 * What a maker sees of a service's use, month by month: summed over the lines of every project's UsageReport that
 * bill this service (projects, requests, revenue), no client's data beyond those sums. A month appears while a
 * report of it is in the cluster; the current month is the Service's {@code status.usage}, the ones before it (at
 * most {@link #HISTORY_MONTHS}, newest first) its {@code status.usageHistory}. Pure: the reconciler passes the reports.
 */
public final class MakerUsage {
  /** Past months a Service's status keeps. */
  public static final int HISTORY_MONTHS = 12;

  private MakerUsage() {}

  /** Each month that has a line of {@code service}, newest first. */
  public static List<ServiceUsage> byMonth(Collection<UsageReport> reports, CodeService service) {
    String name = service.getMetadata().getName();
    String maker = service.getMetadata().getNamespace();
    Map<YearMonth, Sum> months = new TreeMap<>(java.util.Comparator.reverseOrder());
    for (UsageReport r : reports) {
      YearMonth month = month(r);
      if (month == null || r.getStatus() == null) {
        continue;
      }
      for (var line : r.getStatus().getLines()) {
        if (name.equals(line.getService()) && maker.equals(line.getMaker())) {
          Sum sum = months.computeIfAbsent(month, m -> new Sum());
          sum.projects.add(r.getMetadata().getNamespace() + "/" + r.getSpec().getProject());
          sum.requests += line.getRequests() == null ? 0 : line.getRequests();
          sum.revenue = sum.revenue.add(new BigDecimal(line.getAmount() == null ? "0" : line.getAmount()));
          if (r.getStatus().getTotal() != null && r.getStatus().getTotal().getCurrency() != null) {
            sum.currencies.add(r.getStatus().getTotal().getCurrency());
          }
        }
      }
    }
    String priced = service.getSpec().getPricing() == null ? null : service.getSpec().getPricing().getCurrency();
    List<ServiceUsage> out = new ArrayList<>();
    months.forEach((month, sum) -> {
      ServiceUsage u = new ServiceUsage();
      u.setMonth(month.toString());
      u.setProjects(sum.projects.size());
      u.setRequests(sum.requests);
      u.setCurrency(priced != null ? priced : sum.currencies.size() == 1 ? sum.currencies.iterator().next() : null);
      u.setRevenue(sum.revenue.toPlainString());
      out.add(u);
    });
    return out;
  }

  /** {@code month}'s use, or null when no report of it bills the service. */
  public static ServiceUsage of(List<ServiceUsage> byMonth, YearMonth month) {
    return byMonth.stream().filter(u -> u.getMonth().equals(month.toString())).findFirst().orElse(null);
  }

  /** The months before {@code current}, newest first, at most {@link #HISTORY_MONTHS}. */
  public static List<ServiceUsage> before(List<ServiceUsage> byMonth, YearMonth current) {
    return byMonth.stream().filter(u -> YearMonth.parse(u.getMonth()).isBefore(current)).limit(HISTORY_MONTHS).toList();
  }

  /** The calendar month a report bills, from its period's start (UTC), or null when it has none. */
  private static YearMonth month(UsageReport r) {
    String start = r.getSpec() == null || r.getSpec().getPeriod() == null ? null : r.getSpec().getPeriod().getStart();
    if (start == null || start.length() < 7) {
      return null;
    }
    try {
      return YearMonth.parse(start.substring(0, 7));
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  private static final class Sum {
    final Set<String> projects = new HashSet<>();
    final Set<String> currencies = new HashSet<>();
    long requests;
    BigDecimal revenue = BigDecimal.ZERO.setScale(2);
  }
}
