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
    return inEpoch("e1", instance, p, requests, errors, dbBytes, bucketBytes, observedAt, createdAt, deletedAt);
  }

  static Reading inEpoch(String epoch, String instance, Pricing p, long requests, long errors, long dbBytes,
      long bucketBytes, String observedAt, String createdAt, String deletedAt) {
    return new Reading(instance, "shopping-cart", "acme-makers", "dev", p, epoch, requests, errors, dbBytes, bucketBytes,
        Instant.parse(observedAt), Instant.parse(createdAt), deletedAt == null ? null : Instant.parse(deletedAt), true);
  }

  static Reading requests(String epoch, long requests, String observedAt) {
    return inEpoch(epoch, "cart-dev", REQUESTS_ONLY, requests, 0, 0, 0, observedAt, "2026-10-01T00:00:00Z", null);
  }

  static UsageReportStatus apply(UsageReportStatus s, Reading... readings) {
    return result(s, readings).status();
  }

  static Ledger.Result result(UsageReportStatus s, Reading... readings) {
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
    UsageReportStatus closed = Ledger.close(october, new Ledger.Period(Instant.parse("2026-10-01T00:00:00Z"),
        NOVEMBER.start()), List.of(), Instant.parse("2026-11-01T00:05:00Z"));
    UsageReportStatus november = Ledger.opening(closed.getCursors());
    assertThat(november.getLines()).isEmpty();
    november = apply(november, reading("cart-dev", REQUESTS_ONLY, 1_400, 0, 0, 0, "2026-11-01T01:00:00Z", "2026-10-01T00:00:00Z", null));
    assertThat(november.getLines().get(0).getRequests()).isEqualTo(400);
    assertThat(november.getLines().get(0).getRuntimeHours()).as("from the period's start, not last month's reading")
        .isEqualTo("1.000000");
  }

  @Test
  void aFinalizedReportNeverChanges() {
    UsageReportStatus done = Ledger.close(apply(null, reading("cart-dev", REQUESTS_ONLY, 10, 0, 0, 0,
        "2026-11-30T23:00:00Z", "2026-10-01T00:00:00Z", null)), NOVEMBER, List.of(), Instant.parse("2026-12-01T00:00:00Z"));
    UsageReportStatus after = apply(done, reading("cart-dev", REQUESTS_ONLY, 99, 0, 0, 0, "2026-11-30T23:30:00Z",
        "2026-10-01T00:00:00Z", null));
    assertThat(after).isSameAs(done);
    assertThat(after.getLines().get(0).getRequests()).isEqualTo(10);
  }

  @Test
  void aCounterThatWentBackInItsEpochBillsNothingThenCountsOnFromThere() {
    // a database restored from a backup: the counter is back at 800 with the epoch it had then
    UsageReportStatus s = apply(null, requests("e1", 1_000, "2026-11-02T00:00:00Z"));
    Ledger.Result restored = result(s, requests("e1", 800, "2026-11-03T00:00:00Z"));
    assertThat(restored.status().getLines().get(0).getRequests()).as("the lower reading bills nothing").isEqualTo(1_000);
    assertThat(restored.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.reason()).isEqualTo(Ledger.WENT_BACK);
      assertThat(a.message()).contains("counter requests went back from 1000 to 800 within epoch e1");
    });
    UsageReportStatus after = apply(restored.status(), requests("e1", 950, "2026-11-04T00:00:00Z"));
    assertThat(after.getLines().get(0).getRequests()).as("the 150 requests served after the restore, once").isEqualTo(1_150);
  }

  @Test
  void aNewEpochIsBilledFromZeroAndAnOldOneBroughtBackIsRecognized() {
    UsageReportStatus s = apply(null, requests("e1", 1_000, "2026-11-02T00:00:00Z"));
    Ledger.Result anew = result(s, requests("e2", 30, "2026-11-03T00:00:00Z")); // database re-created
    assertThat(anew.status().getLines().get(0).getRequests()).isEqualTo(1_030);
    assertThat(anew.anomalies()).singleElement().extracting(Ledger.Anomaly::reason).isEqualTo(Ledger.RESTARTED);
    s = apply(anew.status(), requests("e2", 50, "2026-11-04T00:00:00Z"));
    assertThat(s.getLines().get(0).getRequests()).isEqualTo(1_050);
    // the old database restored from a backup: epoch e1 again, below what was billed of it: nothing twice
    Ledger.Result back = result(s, requests("e1", 900, "2026-11-05T00:00:00Z"));
    assertThat(back.status().getLines().get(0).getRequests()).isEqualTo(1_050);
    assertThat(back.anomalies()).singleElement().extracting(Ledger.Anomaly::reason).isEqualTo(Ledger.WENT_BACK);
    s = apply(back.status(), requests("e1", 910, "2026-11-06T00:00:00Z"));
    assertThat(s.getLines().get(0).getRequests()).isEqualTo(1_060);
  }

  @Test
  void onlyTheLastFewEpochsOfAnInstanceAreKept() {
    UsageReportStatus s = null;
    for (int e = 1; e <= Ledger.EPOCHS_KEPT + 2; e++) {
      s = apply(s, requests("e" + e, 10, "2026-11-0" + e + "T00:00:00Z"));
    }
    assertThat(s.getCursors()).filteredOn(c -> c.getCounter().equals(Ledger.REQUESTS))
        .extracting(UsageReportStatus.Cursor::getEpoch).containsExactly("e3", "e4", "e5");
    assertThat(s.getLines().get(0).getRequests()).isEqualTo(50);
  }

  @Test
  void aCursorFromBeforeEpochsBelongsToTheFirstEpochReported() {
    UsageReportStatus legacy = new UsageReportStatus();
    UsageReportStatus.Cursor c = new UsageReportStatus.Cursor();
    c.setInstance("cart-dev");
    c.setCounter(Ledger.REQUESTS);
    c.setValue(500L);
    legacy.getCursors().add(c);
    Ledger.Result r = result(Ledger.opening(legacy.getCursors()), requests("e1", 620, "2026-11-02T00:00:00Z"));
    assertThat(r.status().getLines().get(0).getRequests()).as("an upgraded runtime: its counters continue").isEqualTo(120);
    assertThat(r.anomalies()).isEmpty();
    assertThat(r.status().getCursors()).filteredOn(x -> x.getCounter().equals(Ledger.REQUESTS))
        .extracting(UsageReportStatus.Cursor::getEpoch).containsExactly("e1");
    UsageReportStatus old = apply(r.status(), requests(null, 700, "2026-11-03T00:00:00Z"));
    assertThat(old.getLines().get(0).getRequests()).as("a runtime older than epochs continues the latest cursor")
        .isEqualTo(200);
  }

  @Test
  void aReadingWithANegativeValueIsRefusedWhole() {
    UsageReportStatus s = apply(null, requests("e1", 100, "2026-11-02T00:00:00Z"));
    Ledger.Result r = result(s, requests("e1", -5, "2026-11-03T00:00:00Z"));
    assertThat(r.anomalies()).singleElement().extracting(Ledger.Anomaly::reason).isEqualTo(Ledger.REFUSED);
    assertThat(r.status().getLines().get(0).getRequests()).isEqualTo(100);
    assertThat(Ledger.cursor(r.status(), "cart-dev", Ledger.REQUESTS)).contains(100L);
    assertThat(apply(r.status(), requests("e1", 130, "2026-11-04T00:00:00Z")).getLines().get(0).getRequests()).isEqualTo(130);
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

  static final Ledger.Period FEBRUARY_2028 = new Ledger.Period(Instant.parse("2028-02-01T00:00:00Z"),
      Instant.parse("2028-03-01T00:00:00Z"));

  @Test
  void theTwentyNinthOfFebruaryIsADayOfTheMonth() {
    assertThat(FEBRUARY_2028.hours()).isEqualByComparingTo("696");
    Pricing fee = pricing("EUR", "29.00", "0", "0");
    // created at the start of the 29th, observed at the end of it: one of 29 days
    Reading r = new Reading("cart-dev", "shopping-cart", "acme-makers", "dev", fee, "e1", 0, 0, 0, 0,
        Instant.parse("2028-03-01T00:00:00Z"), Instant.parse("2028-02-29T00:00:00Z"), null, true);
    UsageReportStatus s = Ledger.apply(null, FEBRUARY_2028, List.of(r), Instant.parse("2028-03-01T00:00:00Z")).status();
    assertThat(s.getLines().get(0).getAmount()).isEqualTo("1.00");
    assertThat(s.getLines().get(0).getRuntimeHours()).isEqualTo("24.000000");
  }

  @Test
  void closingAMonthAccruesUpToItsEndAndTheNextStartsThere() {
    Pricing p = pricing("EUR", "30.00", "1.00", "0.30");
    // last read a minute before midnight; the next reading, two minutes after it, is the first of December
    UsageReportStatus november = Ledger.apply(null, NOVEMBER, List.of(inEpoch("e1", "cart-dev", p, 1_000_000, 0, GIB, 0,
        "2026-11-30T23:59:00Z", "2026-10-01T00:00:00Z", null)), Instant.parse("2026-11-30T23:59:00Z")).status();
    Reading december = inEpoch("e1", "cart-dev", p, 3_000_000, 0, GIB, 0, "2026-12-01T00:01:00Z", "2026-10-01T00:00:00Z", null);
    UsageReportStatus closed = Ledger.close(november, NOVEMBER, List.of(december), Instant.parse("2026-12-01T00:01:00Z"));
    var line = closed.getLines().get(0);
    assertThat(closed.getFinalized()).isTrue();
    assertThat(line.getRequests()).as("requests count in the month they were observed in").isEqualTo(1_000_000);
    assertThat(line.getRuntimeHours()).as("the whole month, to its last second").isEqualTo("720.000000");
    assertThat(line.getDatabaseGiBHours()).isEqualTo("720.000000");
    assertThat(line.getAmount()).as("the full fee + 1.00 for requests + 0.30 for a GiB-month").isEqualTo("31.30");

    Ledger.Period decemberPeriod = new Ledger.Period(NOVEMBER.end(), Instant.parse("2027-01-01T00:00:00Z"));
    UsageReportStatus next = Ledger.apply(Ledger.opening(closed.getCursors()), decemberPeriod, List.of(december),
        Instant.parse("2026-12-01T00:01:00Z")).status();
    assertThat(next.getLines().get(0).getRequests()).isEqualTo(2_000_000);
    assertThat(next.getLines().get(0).getRuntimeHours()).as("from midnight, not from the last November reading")
        .isEqualTo("0.016667");

    Reading atMidnight = inEpoch("e1", "cart-dev", p, 3_000_000, 0, GIB, 0, "2026-12-01T00:00:00Z", "2026-10-01T00:00:00Z", null);
    UsageReportStatus first = Ledger.apply(Ledger.opening(Ledger.close(november, NOVEMBER, List.of(atMidnight),
        NOVEMBER.end()).getCursors()), decemberPeriod, List.of(atMidnight), NOVEMBER.end()).status();
    assertThat(first.getLines().get(0).getRequests()).as("a reading at midnight is December's first").isEqualTo(2_000_000);
  }

  @Test
  void theLastSecondOfAMonthBelongsToItAndMidnightToTheNext() {
    assertThat(MonthlyReports.monthOf(Instant.parse("2026-11-30T23:59:59Z"))).hasToString("2026-11");
    assertThat(MonthlyReports.monthOf(Instant.parse("2026-12-01T00:00:00Z"))).hasToString("2026-12");
    assertThat(MonthlyReports.monthOf(Instant.parse("2028-02-29T23:59:59.999Z"))).hasToString("2028-02");
    assertThat(MonthlyReports.period(java.time.YearMonth.of(2028, 2))).isEqualTo(FEBRUARY_2028);
    assertThat(MonthlyReports.period(java.time.YearMonth.of(2026, 12)).end()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }
}
