package store.code.operator.billing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.api.v1alpha1.UsageReportStatus.Cursor;
import store.code.api.v1alpha1.UsageReportStatus.Line;
import store.code.api.v1alpha1.UsageReportStatus.Money;

/**
 * Billing arithmetic, pure: folds readings of instances' cumulative counters into a month's report. Exactly once by
 * construction: each line grows by the difference between a reading and the cursor the report already holds for that
 * instance and counter, and the new cursor is written in the same status as the new totals, so applying a reading
 * twice, or an old one after a newer, adds nothing. Time-based quantities (runtime hours, GiB-hours) accrue from the
 * previous observation to this one, clipped to the period and the instance's life.
 *
 * <p>Money is decimal throughout. Quantities keep 6 decimals; each line's amount is rounded half-even to 2 decimals;
 * the total is the sum of the rounded lines, so the lines always add up to it.
 */
public final class Ledger {

  public static final String REQUESTS = "requests";
  public static final String ERRORS = "errors";
  /** Epoch seconds of the last observation folded in; time-based quantities accrue from it. */
  public static final String OBSERVED_AT = "observedAt";

  static final int QUANTITY_SCALE = 6;
  static final int MONEY_SCALE = 2;
  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

  private Ledger() {}

  /** The calendar month (UTC) a report covers: [start, end). */
  public record Period(Instant start, Instant end) {
    public BigDecimal hours() {
      return BigDecimal.valueOf(Duration.between(start, end).toSeconds()).divide(SECONDS_PER_HOUR, MathContext.DECIMAL64);
    }
  }

  /** Returns the report status after {@code readings}; {@code current} is not changed. A finalized report never is. */
  public static UsageReportStatus apply(UsageReportStatus current, Period period, List<Reading> readings, Instant now) {
    if (current != null && Boolean.TRUE.equals(current.getFinalized())) {
      return current;
    }
    UsageReportStatus next = copy(current);
    Map<String, Line> lines = new LinkedHashMap<>();
    next.getLines().forEach(l -> lines.put(l.getInstance(), l));
    Map<String, Pricing> pricing = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Reading r : readings) {
      pricing.put(r.instance(), r.pricing());
      Line line = lines.computeIfAbsent(r.instance(), k -> newLine(r));
      long previousRequests = cursor(next, r.instance(), REQUESTS).orElse(0L);
      long previousErrors = cursor(next, r.instance(), ERRORS).orElse(0L);
      Optional<Long> previousSeen = cursor(next, r.instance(), OBSERVED_AT);
      Instant seenBefore = previousSeen.map(Instant::ofEpochSecond).orElse(null);
      if (seenBefore != null && !r.observedAt().isAfter(seenBefore)) {
        continue; // an older or repeated reading: already counted
      }
      line.setRequests(nz(line.getRequests()) + delta(r.requests(), previousRequests, r, REQUESTS, notes));
      line.setErrors(nz(line.getErrors()) + delta(r.errors(), previousErrors, r, ERRORS, notes));

      Instant from = latest(period.start(), r.createdAt(), seenBefore);
      Instant to = earliest(period.end(), r.deletedAt(), r.observedAt());
      BigDecimal hours = to.isAfter(from)
          ? BigDecimal.valueOf(Duration.between(from, to).toSeconds()).divide(SECONDS_PER_HOUR, MathContext.DECIMAL64)
          : BigDecimal.ZERO;
      line.setStorageGiBHours(add(line.getStorageGiBHours(), gib(r.bucketBytes()).multiply(hours)));
      line.setDatabaseGiBHours(add(line.getDatabaseGiBHours(), gib(r.databaseBytes()).multiply(hours)));
      line.setRuntimeHours(add(line.getRuntimeHours(), r.running() ? hours : BigDecimal.ZERO));
      line.setAmount(amount(line, r, period).toPlainString());

      setCursor(next, r.instance(), REQUESTS, r.requests());
      setCursor(next, r.instance(), ERRORS, r.errors());
      setCursor(next, r.instance(), OBSERVED_AT, r.observedAt().getEpochSecond());
    }
    next.setLines(new ArrayList<>(lines.values()));
    total(next, pricing, notes);
    next.setCollectedAt(now.toString());
    next.setMessage(notes.isEmpty() ? null : String.join("; ", notes));
    return next;
  }

  /** The report of the month after {@code finished}: no lines yet, the cursors carried over so nothing is counted twice. */
  public static UsageReportStatus nextMonth(UsageReportStatus finished) {
    UsageReportStatus next = new UsageReportStatus();
    for (Cursor c : finished.getCursors()) {
      next.getCursors().add(cursorOf(c.getInstance(), c.getCounter(), c.getValue()));
    }
    return next;
  }

  /** The month's report, closed: never changes again. */
  public static UsageReportStatus finalize(UsageReportStatus status) {
    UsageReportStatus done = copy(status);
    done.setFinalized(true);
    return done;
  }

  /**
   * Monthly fee prorated by the instance's life in the period (until now, its deletion, or the period's end),
   * per-million requests, per-GiB-month storage (bucket and database).
   */
  static BigDecimal amount(Line line, Reading r, Period period) {
    Pricing p = r.pricing();
    Instant lifeFrom = latest(period.start(), r.createdAt(), null);
    Instant lifeTo = earliest(period.end(), r.deletedAt(), r.observedAt());
    BigDecimal lifeHours = lifeTo.isAfter(lifeFrom)
        ? BigDecimal.valueOf(Duration.between(lifeFrom, lifeTo).toSeconds()).divide(SECONDS_PER_HOUR, MathContext.DECIMAL64)
        : BigDecimal.ZERO;
    BigDecimal fee = money(p == null ? null : p.getMonthlyFee()).multiply(lifeHours).divide(period.hours(), MathContext.DECIMAL64);
    BigDecimal requests = money(p == null ? null : p.getPerMillionRequests())
        .multiply(BigDecimal.valueOf(nz(line.getRequests()))).divide(MILLION, MathContext.DECIMAL64);
    BigDecimal gibHours = new BigDecimal(line.getStorageGiBHours()).add(new BigDecimal(line.getDatabaseGiBHours()));
    BigDecimal storage = money(p == null ? null : p.getPerGiBMonth()).multiply(gibHours).divide(period.hours(), MathContext.DECIMAL64);
    return fee.add(requests).add(storage).setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
  }

  private static void total(UsageReportStatus next, Map<String, Pricing> pricingOfThisPass, List<String> notes) {
    Set<String> currencies = new LinkedHashSet<>();
    pricingOfThisPass.values().forEach(p -> currencies.add(p == null || p.getCurrency() == null ? "EUR" : p.getCurrency()));
    if (next.getTotal() != null && next.getTotal().getCurrency() != null) {
      currencies.add(next.getTotal().getCurrency());
    }
    if (currencies.size() > 1) {
      notes.add("the services of this project are priced in different currencies " + currencies
          + ": lines are priced each in its own, and there is no total");
      next.setTotal(null);
      return;
    }
    BigDecimal sum = BigDecimal.ZERO.setScale(MONEY_SCALE);
    for (Line l : next.getLines()) {
      if (l.getAmount() != null) {
        sum = sum.add(new BigDecimal(l.getAmount()));
      }
    }
    Money total = new Money();
    total.setCurrency(currencies.isEmpty() ? "EUR" : currencies.iterator().next());
    total.setAmount(sum.toPlainString());
    next.setTotal(total);
  }

  /** What a counter grew by. A runtime never resets its counters; if one did (its database was recreated), count from 0. */
  private static long delta(long value, long cursor, Reading r, String counter, List<String> notes) {
    if (value >= cursor) {
      return value - cursor;
    }
    notes.add(r.instance() + ": counter " + counter + " went back from " + cursor + " to " + value
        + " (its database was replaced?); counted from 0");
    return value;
  }

  private static Line newLine(Reading r) {
    Line l = new Line();
    l.setInstance(r.instance());
    l.setService(r.service());
    l.setMaker(r.maker());
    l.setEnvironment(r.environment());
    l.setRequests(0L);
    l.setErrors(0L);
    l.setStorageGiBHours(zero());
    l.setDatabaseGiBHours(zero());
    l.setRuntimeHours(zero());
    l.setAmount(BigDecimal.ZERO.setScale(MONEY_SCALE).toPlainString());
    return l;
  }

  private static String zero() {
    return BigDecimal.ZERO.setScale(QUANTITY_SCALE).toPlainString();
  }

  private static String add(String a, BigDecimal b) {
    return new BigDecimal(a == null ? "0" : a).add(b).setScale(QUANTITY_SCALE, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static BigDecimal gib(long bytes) {
    return BigDecimal.valueOf(bytes).divide(GIB, MathContext.DECIMAL64);
  }

  private static BigDecimal money(String s) {
    return s == null || s.isBlank() ? BigDecimal.ZERO : new BigDecimal(s);
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }

  private static Instant latest(Instant a, Instant b, Instant c) {
    Instant m = a;
    if (b != null && b.isAfter(m)) {
      m = b;
    }
    if (c != null && c.isAfter(m)) {
      m = c;
    }
    return m;
  }

  private static Instant earliest(Instant a, Instant b, Instant c) {
    Instant m = a;
    if (b != null && b.isBefore(m)) {
      m = b;
    }
    if (c != null && c.isBefore(m)) {
      m = c;
    }
    return m;
  }

  static Optional<Long> cursor(UsageReportStatus s, String instance, String counter) {
    return s.getCursors().stream().filter(c -> c.getInstance().equals(instance) && c.getCounter().equals(counter))
        .map(Cursor::getValue).findFirst();
  }

  private static void setCursor(UsageReportStatus s, String instance, String counter, long value) {
    s.getCursors().removeIf(c -> c.getInstance().equals(instance) && c.getCounter().equals(counter));
    s.getCursors().add(cursorOf(instance, counter, value));
  }

  private static Cursor cursorOf(String instance, String counter, Long value) {
    Cursor c = new Cursor();
    c.setInstance(instance);
    c.setCounter(counter);
    c.setValue(value);
    return c;
  }

  private static UsageReportStatus copy(UsageReportStatus s) {
    UsageReportStatus c = new UsageReportStatus();
    if (s == null) {
      return c;
    }
    for (Line l : s.getLines()) {
      Line n = new Line();
      n.setInstance(l.getInstance());
      n.setService(l.getService());
      n.setMaker(l.getMaker());
      n.setEnvironment(l.getEnvironment());
      n.setRequests(l.getRequests());
      n.setErrors(l.getErrors());
      n.setStorageGiBHours(l.getStorageGiBHours());
      n.setDatabaseGiBHours(l.getDatabaseGiBHours());
      n.setRuntimeHours(l.getRuntimeHours());
      n.setAmount(l.getAmount());
      c.getLines().add(n);
    }
    s.getCursors().forEach(x -> c.getCursors().add(cursorOf(x.getInstance(), x.getCounter(), x.getValue())));
    if (s.getTotal() != null) {
      Money m = new Money();
      m.setCurrency(s.getTotal().getCurrency());
      m.setAmount(s.getTotal().getAmount());
      c.setTotal(m);
    }
    c.setCollectedAt(s.getCollectedAt());
    c.setFinalized(s.getFinalized());
    c.setMessage(s.getMessage());
    return c;
  }
}
