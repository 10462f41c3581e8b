package store.code.operator.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.api.v1alpha1.ServiceUsage;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportSpec;
import store.code.api.v1alpha1.UsageReportStatus;

class MakerUsageTest {
  static final CodeService CART = service("acme-makers", "shopping-cart");

  static CodeService service(String namespace, String name) {
    CodeService s = new CodeService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    s.setSpec(new ServiceSpec());
    return s;
  }

  static UsageReportStatus.Line line(String maker, String service, long requests, String amount) {
    UsageReportStatus.Line l = new UsageReportStatus.Line();
    l.setMaker(maker);
    l.setService(service);
    l.setRequests(requests);
    l.setAmount(amount);
    return l;
  }

  static UsageReport report(String namespace, String project, String start, String currency, UsageReportStatus.Line... lines) {
    UsageReport r = new UsageReport();
    r.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(project + "-" + start.substring(0, 7)).build());
    r.setSpec(new UsageReportSpec());
    r.getSpec().setProject(project);
    if (start != null) {
      r.getSpec().setPeriod(new UsageReportSpec.Period());
      r.getSpec().getPeriod().setStart(start);
    }
    r.setStatus(new UsageReportStatus());
    r.getStatus().setLines(new ArrayList<>(List.of(lines)));
    r.getStatus().setTotal(new UsageReportStatus.Money());
    r.getStatus().getTotal().setCurrency(currency);
    return r;
  }

  @Test
  void eachMonthSumsTheLinesOfThisServiceOverEveryProjectNewestFirst() {
    List<UsageReport> reports = List.of(
        report("acme", "webshop", "2026-11-01T00:00:00Z", "EUR", line("acme-makers", "shopping-cart", 100, "2.000100"),
            line("acme-makers", "shopping-cart", 50, "0.000050"), line("acme-makers", "meeting-rooms", 999, "9.99")),
        report("globex", "intranet", "2026-11-01T00:00:00Z", "EUR", line("acme-makers", "shopping-cart", 7, "1.5")),
        report("acme", "webshop", "2026-10-01T00:00:00Z", "EUR", line("acme-makers", "shopping-cart", 10, "2.00001")),
        // another maker's service of the same name is not this one
        report("acme", "other", "2026-10-01T00:00:00Z", "EUR", line("other-makers", "shopping-cart", 5, "5.00")));
    List<ServiceUsage> months = MakerUsage.byMonth(reports, CART);
    assertThat(months).extracting(ServiceUsage::getMonth).containsExactly("2026-11", "2026-10");
    ServiceUsage november = MakerUsage.of(months, YearMonth.of(2026, 11));
    assertThat(november.getProjects()).isEqualTo(2);
    assertThat(november.getRequests()).isEqualTo(157);
    assertThat(november.getRevenue()).as("the lines' decimals, added exactly").isEqualTo("3.500150");
    assertThat(november.getCurrency()).isEqualTo("EUR");
    assertThat(MakerUsage.before(months, YearMonth.of(2026, 11))).extracting(ServiceUsage::getRevenue).containsExactly("2.00001");
    assertThat(MakerUsage.of(months, YearMonth.of(2026, 12))).isNull();
    assertThat(MakerUsage.before(months, YearMonth.of(2026, 12))).hasSize(2);
  }

  @Test
  void theHistoryKeepsTwelveMonthsAndReportsWithoutAPeriodOrStatusCountNowhere() {
    List<UsageReport> reports = new ArrayList<>();
    for (int m = 0; m < 15; m++) {
      YearMonth month = YearMonth.of(2025, 1).plusMonths(m);
      reports.add(report("acme", "webshop", month + "-01T00:00:00Z", "EUR", line("acme-makers", "shopping-cart", m, "1")));
    }
    UsageReport noStatus = report("acme", "b", "2026-01-01T00:00:00Z", "EUR");
    noStatus.setStatus(null);
    reports.add(noStatus);
    UsageReport badPeriod = report("acme", "c", "2026-01-01T00:00:00Z", "EUR", line("acme-makers", "shopping-cart", 1, "1"));
    badPeriod.getSpec().getPeriod().setStart("soon");
    reports.add(badPeriod);
    List<ServiceUsage> months = MakerUsage.byMonth(reports, CART);
    assertThat(months).hasSize(15);
    List<ServiceUsage> history = MakerUsage.before(months, YearMonth.of(2026, 3));
    assertThat(history).hasSize(MakerUsage.HISTORY_MONTHS);
    assertThat(history.get(0).getMonth()).isEqualTo("2026-02");
    assertThat(history.get(11).getMonth()).isEqualTo("2025-03");
    assertThat(MakerUsage.of(months, YearMonth.of(2026, 1)).getProjects()).as("only webshop's line").isEqualTo(1);
  }

  @Test
  void theCurrencyIsThePricingsElseTheReportsWhenTheyAgree() {
    CodeService priced = service("acme-makers", "shopping-cart");
    priced.getSpec().setPricing(new Pricing());
    priced.getSpec().getPricing().setCurrency("USD");
    List<UsageReport> reports = List.of(
        report("acme", "webshop", "2026-11-01T00:00:00Z", "EUR", line("acme-makers", "shopping-cart", 1, "1")),
        report("globex", "intranet", "2026-11-01T00:00:00Z", "CHF", line("acme-makers", "shopping-cart", 1, "1")));
    assertThat(MakerUsage.byMonth(reports, priced).get(0).getCurrency()).isEqualTo("USD");
    assertThat(MakerUsage.byMonth(reports, CART).get(0).getCurrency()).as("two currencies, none priced").isNull();
  }
}
