package store.code.operator.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.UsageReportStatus;

/** Billing arithmetic: exactly once, proration, storage, rounding, currencies, periods. */
class LedgerTest {

  static final Ledger.Period NOVEMBER = new Ledger.Period(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
  static final long GIB = 1L << 30;

  static Pricing pricing(String currency, String fee, String perMillion, String perGiBMonth) {
    Pricing p = new Pricing();
    p.setCurrency(currency);
    p.setMonthlyFee(fee);
    p.setPerMillionRequests(perMillion);
    p.setPerGiBMonth(perGiBMonth);
    return p;
  }

  static Reading reading(String instance, Pricing p, long requests, long errors, long dbBytes, long bucketBytes,
      String observedAt, String createdAt, String deletedAt) {
    return new Reading(instance, "shopping-cart", "acme-makers", "dev", p, requests, errors, dbBytes, bucketBytes,
        Instant.parse(observedAt), Instant.parse(createdAt), deletedAt == null ? null : Instant.parse(deletedAt), true);
  }

  static UsageReportStatus apply(UsageReportStatus s, Reading... readings) {
    return Ledger.apply(s, NOVEMBER, List.of(readings), Instant.parse("2026-11-30T00:00:00Z"));
  }

  static final Pricing REQUESTS_ONLY = pricing("EUR", "0", "2.00", "0");

  @Test
  void eachRequestIsBilledOnceWhateverIsAppliedTwiceOrLate() {
    UsageReportStatus s = apply(null, reading("cart-dev", REQUESTS_ONLY, 100, 3, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null));
    s = apply(s, reading("cart-dev", REQUESTS_ONLY, 250, 5, 0, 0, "2026-11-03T00:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(s.getLines().get(0).getRequests()).isEqualTo(250);
    assertThat(s.getLines().get(0).getErrors()).isEqualTo(5);
    UsageReportStatus again = apply(s, reading("cart-dev", REQUESTS_ONLY, 250, 5, 0, 0, "2026-11-03T00:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(again.getLines().get(0).getRequests()).as("the same reading twice (a retried write)").isEqualTo(250);
    UsageReportStatus late = apply(again, reading("cart-dev", REQUESTS_ONLY, 180, 4, 0, 0, "2026-11-02T12:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(late.getLines().get(0).getRequests()).as("an older reading (a stale replica)").isEqualTo(250);
    assertThat(Ledger.cursor(late, "cart-dev", Ledger.REQUESTS)).contains(250L);
  }

  @Test
  void theCursorsOfLastMonthStartThisOneSoNothingIsCountedTwiceAcrossMonths() {
    UsageReportStatus october = new UsageReportStatus();
    october.getCursors().addAll(apply(null, reading("cart-dev", REQUESTS_ONLY, 1_000, 0, 0, 0, "2026-10-31T23:59:00Z",
        "2026-10-01T00:00:00Z", null)).getCursors());
    UsageReportStatus november = Ledger.nextMonth(Ledger.finalize(october));
    assertThat(november.getLines()).isEmpty();
    november = apply(november, reading("cart-dev", REQUESTS_ONLY, 1_400, 0, 0, 0, "2026-11-01T01:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(november.getLines().get(0).getRequests()).isEqualTo(400);
    assertThat(november.getLines().get(0).getRuntimeHours()).as("from the period's start, not last month's reading")
        .isEqualTo("1.000000");
  }

  @Test
  void aFinalizedReportNeverChanges() {
    UsageReportStatus done = Ledger.finalize(apply(null, reading("cart-dev", REQUESTS_ONLY, 10, 0, 0, 0,
        "2026-11-30T23:00:00Z", "2026-10-01T00:00:00Z", null)));
    UsageReportStatus after = apply(done, reading("cart-dev", REQUESTS_ONLY, 99, 0, 0, 0, "2026-11-30T23:30:00Z",
        "2026-10-01T00:00:00Z", null));
    assertThat(after).isSameAs(done);
    assertThat(after.getLines().get(0).getRequests()).isEqualTo(10);
  }

  @Test
  void aCounterThatWentBackIsCountedFromZeroAndSaidSo() {
    UsageReportStatus s = apply(null, reading("cart-dev", REQUESTS_ONLY, 500, 0, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null));
    s = apply(s, reading("cart-dev", REQUESTS_ONLY, 20, 0, 0, 0, "2026-11-03T00:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(s.getLines().get(0).getRequests()).isEqualTo(520);
    assertThat(s.getMessage()).contains("cart-dev: counter requests went back from 500 to 20");
  }

  @Test
  void theMonthlyFeeIsProratedByTheInstancesLifeInThePeriod() {
    Pricing fee = pricing("EUR", "30.00", "0", "0");
    // created on the 16th, observed at the end of the month: 15 of 30 days
    UsageReportStatus s = apply(null, reading("cart-dev", fee, 0, 0, 0, 0, "2026-12-01T00:00:00Z", "2026-11-16T00:00:00Z", null));
    assertThat(s.getLines().get(0).getAmount()).isEqualTo("15.00");
    // deleted on the 11th, observed later: billed up to its deletion, 10 days
    UsageReportStatus d = apply(null, reading("rooms-dev", fee, 0, 0, 0, 0, "2026-11-20T00:00:00Z", "2026-10-01T00:00:00Z",
        "2026-11-11T00:00:00Z"));
    assertThat(d.getLines().get(0).getAmount()).isEqualTo("10.00");
    assertThat(d.getLines().get(0).getRuntimeHours()).isEqualTo("240.000000");
  }

  @Test
  void requestsAndStorageArePricedPerMillionAndPerGiBMonth() {
    Pricing p = pricing("EUR", "0", "2.00", "0.30");
    // 1.5 million requests; a 2 GiB bucket and a 1 GiB database for the whole month
    UsageReportStatus s = apply(null, reading("cart-dev", p, 0, 0, GIB, 2 * GIB, "2026-11-01T00:00:00Z", "2026-10-01T00:00:00Z", null));
    s = apply(s, reading("cart-dev", p, 1_500_000, 0, GIB, 2 * GIB, "2026-12-01T00:00:00Z", "2026-10-01T00:00:00Z", null));
    var line = s.getLines().get(0);
    assertThat(line.getStorageGiBHours()).isEqualTo("1440.000000");
    assertThat(line.getDatabaseGiBHours()).isEqualTo("720.000000");
    assertThat(line.getAmount()).as("3.00 for requests + 0.30 x 3 GiB-months").isEqualTo("3.90");
    assertThat(s.getTotal().getAmount()).isEqualTo("3.90");
    assertThat(s.getTotal().getCurrency()).isEqualTo("EUR");
  }

  @Test
  void lineAmountsAreRoundedHalfEvenAndTheTotalIsTheirSum() {
    Pricing p = pricing("EUR", "0", "1.00", "0");
    UsageReportStatus s = apply(null,
        reading("a", p, 125_000, 0, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null),
        reading("b", p, 135_000, 0, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null),
        reading("c", p, 5_000, 0, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(s.getLines()).extracting(UsageReportStatus.Line::getAmount).containsExactly("0.12", "0.14", "0.00");
    assertThat(s.getTotal().getAmount()).isEqualTo("0.26");
  }

  @Test
  void mixedCurrenciesAreNamedAndLeaveNoTotal() {
    UsageReportStatus s = apply(null,
        reading("cart-dev", pricing("EUR", "5.00", "0", "0"), 0, 0, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null),
        reading("rooms-dev", pricing("USD", "5.00", "0", "0"), 0, 0, 0, 0, "2026-11-02T00:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(s.getTotal()).isNull();
    assertThat(s.getMessage()).contains("different currencies [EUR, USD]");
  }
}
