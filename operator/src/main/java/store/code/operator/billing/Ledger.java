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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import store.code.api.Reasons;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.api.v1alpha1.UsageReportStatus.Cursor;
import store.code.api.v1alpha1.UsageReportStatus.Line;
import store.code.api.v1alpha1.UsageReportStatus.Money;

/**
 * Billing arithmetic, pure: folds readings of instances' cumulative counters into a month's report. Exactly once by
 * construction: each line grows by the difference between a reading and the cursor the report already holds for that
 * instance, counter and counter epoch, and the new cursor is written in the same status as the new totals, so applying
 * a reading twice, or an old one after a newer, adds nothing. Time-based quantities (runtime hours, GiB-hours) accrue
 * from the previous observation to this one, clipped to the period and the instance's life; when a month is
 * {@link #close closed} they accrue up to its end, so the turn of a month loses no second and bills none twice.
 *
 * <p>Counters have an identity, their epoch: the runtime draws a new one when it creates its counter table, so a new
 * epoch means counters that start from zero (a re-created database) and are billed from zero. Within an epoch a
 * counter only grows; a value below the cursor means the database went back in time (restored from a backup, a
 * failover that lost its last commits): that reading bills nothing, is reported as an {@link Anomaly}, and counting
 * goes on from the lower value, so the requests served after the restore are billed once. A reading with a negative
 * value is refused whole. Cursors of the last {@link #EPOCHS_KEPT} epochs of an instance are kept, so an old database
 * brought back is recognized rather than billed again from zero.
 *
 * <p>Money is decimal throughout. Quantities keep 6 decimals; each line's amount is rounded half-even to 2 decimals;
 * the total is the sum of the rounded lines, so the lines always add up to it.
 */
public final class Ledger {

  public static final String REQUESTS = "requests";
  public static final String ERRORS = "errors";
  /** Epoch seconds of the last observation folded in; time-based quantities accrue from it. */
  public static final String OBSERVED_AT = "observedAt";

  /** A reading whose counter is below its cursor in the same epoch: not billed, counting goes on from it. */
  public static final String WENT_BACK = Reasons.USAGE_COUNTER_WENT_BACK;
  /** A reading in an epoch never seen for an instance that had others: its counters were created anew. */
  public static final String RESTARTED = Reasons.USAGE_COUNTERS_RESTARTED;
  /** A reading that cannot be true (a negative value): nothing of it is billed, no cursor moves. */
  public static final String REFUSED = Reasons.USAGE_READING_REFUSED;

  static final int EPOCHS_KEPT = 3;
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

  /** Something about a reading a person should know (an Event on the instance); {@code reason} is one of the constants. */
  public record Anomaly(String instance, String reason, String message) {}

  /** The report's status after a pass, and what was not billed as read. */
  public record Result(UsageReportStatus status, List<Anomaly> anomalies) {}

  /** Returns the report status after {@code readings}; {@code current} is not changed. A finalized report never is. */
  public static Result apply(UsageReportStatus current, Period period, List<Reading> readings, Instant now) {
    if (current != null && Boolean.TRUE.equals(current.getFinalized())) {
      return new Result(current, List.of());
    }
    List<Anomaly> anomalies = new ArrayList<>();
    UsageReportStatus next = copy(current);
    Map<String, Line> lines = new LinkedHashMap<>();
    next.getLines().forEach(l -> lines.put(l.getInstance(), l));
    Map<String, Pricing> pricing = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (Reading r : readings) {
      if (r.requests() < 0 || r.errors() < 0 || r.databaseBytes() < 0 || r.bucketBytes() < 0) {
        anomalies.add(new Anomaly(r.instance(), REFUSED, "usage reading refused, nothing of it billed: a negative value "
            + "(requests " + r.requests() + ", errors " + r.errors() + ", databaseBytes " + r.databaseBytes()
            + ", bucketBytes " + r.bucketBytes() + ")"));
        continue;
      }
      Instant seenBefore = find(next, r.instance(), OBSERVED_AT, null).map(c -> Instant.ofEpochSecond(c.getValue())).orElse(null);
      if (seenBefore != null && !r.observedAt().isAfter(seenBefore)) {
        continue; // an older or repeated reading: already counted
      }
      pricing.put(r.instance(), r.pricing());
      Line line = lines.computeIfAbsent(r.instance(), k -> newLine(r));
      line.setRequests(nz(line.getRequests()) + count(next, r, REQUESTS, r.requests(), anomalies));
      line.setErrors(nz(line.getErrors()) + count(next, r, ERRORS, r.errors(), anomalies));
      accrue(next, line, r, period, r.observedAt());
      setCursor(next, r.instance(), OBSERVED_AT, null, r.observedAt().getEpochSecond());
    }
    next.setLines(new ArrayList<>(lines.values()));
    total(next, pricing, notes);
    anomalies.forEach(a -> notes.add(a.instance() + ": " + a.message()));
    next.setCollectedAt(now.toString());
    next.setMessage(notes.isEmpty() ? null : String.join("; ", notes));
    return new Result(next, List.copyOf(anomalies));
  }

  /**
   * The month's report, closed: time-based quantities and the monthly fee of every instance read now accrue up to the
   * period's end (from its last observation, at the sizes and state read now), counters are left to the next month
   * (requests count in the month they are observed in), and the report is final: it never changes again. Its cursors
   * are what the next month opens with, so nothing is billed twice or left out at the turn.
   */
  public static UsageReportStatus close(UsageReportStatus current, Period period, List<Reading> readings, Instant now) {
    if (current != null && Boolean.TRUE.equals(current.getFinalized())) {
      return current;
    }
    UsageReportStatus done = copy(current);
    Map<String, Pricing> pricing = new LinkedHashMap<>();
    for (Reading r : readings) {
      Line line = done.getLines().stream().filter(l -> l.getInstance().equals(r.instance())).findFirst().orElse(null);
      Instant seenBefore = find(done, r.instance(), OBSERVED_AT, null).map(c -> Instant.ofEpochSecond(c.getValue())).orElse(null);
      if (line == null || seenBefore == null || !seenBefore.isBefore(period.end()) || !r.observedAt().isAfter(seenBefore)) {
        continue;
      }
      pricing.put(r.instance(), r.pricing());
      accrue(done, line, r, period, period.end());
    }
    List<String> notes = new ArrayList<>();
    total(done, pricing, notes);
    done.setCollectedAt(now.toString());
    done.setMessage(notes.isEmpty() ? null : String.join("; ", notes));
    done.setFinalized(true);
    return done;
  }

  /**
   * Runtime hours and GiB-hours from the instance's previous observation to {@code until}, clipped to the period and
   * the instance's life, and the line's amount as of then. The next month clips the same interval to its own start,
   * so the part of it before midnight is billed in the closed month and the part after in the next.
   */
  private static void accrue(UsageReportStatus s, Line line, Reading r, Period period, Instant until) {
    Instant seenBefore = find(s, r.instance(), OBSERVED_AT, null).map(c -> Instant.ofEpochSecond(c.getValue())).orElse(null);
    BigDecimal hours = hours(latest(period.start(), r.createdAt(), seenBefore), earliest(period.end(), r.deletedAt(), until));
    line.setStorageGiBHours(add(line.getStorageGiBHours(), gib(r.bucketBytes()).multiply(hours)));
    line.setDatabaseGiBHours(add(line.getDatabaseGiBHours(), gib(r.databaseBytes()).multiply(hours)));
    line.setRuntimeHours(add(line.getRuntimeHours(), r.running() ? hours : BigDecimal.ZERO));
    line.setAmount(amount(line, r, period, until).toPlainString());
  }

  private static BigDecimal hours(Instant from, Instant to) {
    return to.isAfter(from)
        ? BigDecimal.valueOf(Duration.between(from, to).toSeconds()).divide(SECONDS_PER_HOUR, MathContext.DECIMAL64)
        : BigDecimal.ZERO;
  }

  /** A month's report before its first pass: no lines, counting from {@code opening}, so nothing is counted twice. */
  public static UsageReportStatus opening(List<Cursor> opening) {
    UsageReportStatus start = new UsageReportStatus();
    opening.forEach(c -> start.getCursors().add(cursorOf(c.getInstance(), c.getCounter(), c.getEpoch(), c.getValue())));
    return start;
  }

  /**
   * Monthly fee prorated by the instance's life in the period (until {@code asOf}, its deletion, or the period's end),
   * per-million requests, per-GiB-month storage (bucket and database).
   */
  static BigDecimal amount(Line line, Reading r, Period period, Instant asOf) {
    Pricing p = r.pricing();
    BigDecimal lifeHours = hours(latest(period.start(), r.createdAt(), null), earliest(period.end(), r.deletedAt(), asOf));
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

  /**
   * What a counter adds to the line, and its new cursor (see the class comment for the rules). A reading from a
   * runtime older than epochs (no epoch) continues the instance's latest cursor, whatever its epoch.
   */
  private static long count(UsageReportStatus s, Reading r, String counter, long value, List<Anomaly> anomalies) {
    Optional<Cursor> cursor = r.epoch() == null ? currentCursor(s, r.instance(), counter)
        : find(s, r.instance(), counter, r.epoch()).or(() -> find(s, r.instance(), counter, null)); // written before epochs
    String epoch = r.epoch() != null ? r.epoch() : cursor.map(Cursor::getEpoch).orElse(null);
    long added;
    if (cursor.isPresent() && value >= cursor.get().getValue()) {
      added = value - cursor.get().getValue();
    } else if (cursor.isPresent()) {
      note(anomalies, new Anomaly(r.instance(), WENT_BACK, "counter " + counter + " went back from " + cursor.get().getValue()
          + " to " + value + " within epoch " + epoch + " (the database was restored from a backup, or a failover lost "
          + "its last commits): nothing billed for this reading; counting goes on from " + value));
      added = 0;
    } else {
      if (currentCursor(s, r.instance(), counter).isPresent()) {
        note(anomalies, new Anomaly(r.instance(), RESTARTED, "counter " + counter + " restarted from 0 in a new epoch "
            + epoch + " (its counter table was created anew: a new database): billed from 0; what the previous epoch "
            + "counted after its last reading was never read"));
      }
      added = value;
    }
    setCursor(s, r.instance(), counter, epoch, value);
    return added;
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

  /** One anomaly per instance and reason in a pass: the first counter found says it for both. */
  private static void note(List<Anomaly> anomalies, Anomaly a) {
    if (anomalies.stream().noneMatch(x -> x.instance().equals(a.instance()) && x.reason().equals(a.reason()))) {
      anomalies.add(a);
    }
  }

  /** The latest billed value of an instance's counter, whatever its epoch. */
  static Optional<Long> cursor(UsageReportStatus s, String instance, String counter) {
    return currentCursor(s, instance, counter).map(Cursor::getValue);
  }

  private static Optional<Cursor> find(UsageReportStatus s, String instance, String counter, String epoch) {
    return s.getCursors().stream().filter(c -> c.getInstance().equals(instance) && c.getCounter().equals(counter)
        && Objects.equals(c.getEpoch(), epoch)).findFirst();
  }

  /** Cursors are kept in the order they were last written: the last one of a counter is its current epoch's. */
  private static Optional<Cursor> currentCursor(UsageReportStatus s, String instance, String counter) {
    Cursor last = null;
    for (Cursor c : s.getCursors()) {
      if (c.getInstance().equals(instance) && c.getCounter().equals(counter)) {
        last = c;
      }
    }
    return Optional.ofNullable(last);
  }

  private static void setCursor(UsageReportStatus s, String instance, String counter, String epoch, long value) {
    s.getCursors().removeIf(c -> c.getInstance().equals(instance) && c.getCounter().equals(counter)
        && (Objects.equals(c.getEpoch(), epoch) || c.getEpoch() == null));
    s.getCursors().add(cursorOf(instance, counter, epoch, value));
    List<Cursor> epochs = s.getCursors().stream()
        .filter(c -> c.getInstance().equals(instance) && c.getCounter().equals(counter)).toList();
    for (int i = 0; i < epochs.size() - EPOCHS_KEPT; i++) {
      s.getCursors().remove(epochs.get(i));
    }
  }

  private static Cursor cursorOf(String instance, String counter, String epoch, Long value) {
    Cursor c = new Cursor();
    c.setInstance(instance);
    c.setCounter(counter);
    c.setEpoch(epoch);
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
    s.getCursors().forEach(x -> c.getCursors().add(cursorOf(x.getInstance(), x.getCounter(), x.getEpoch(), x.getValue())));
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
