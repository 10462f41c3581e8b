package store.code.runtime.usage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import store.code.runtime.sql.Db;
import store.code.runtime.sql.Sql;

/**
 * Cumulative request and error counters for billing, kept in the instance database so a restart never resets them.
 * Requests count in memory and are added to the stored totals by {@link #flush()} (every few seconds, on shutdown,
 * and before {@link #read()}), so a crash loses at most one flush interval and the totals never go back.
 */
public final class UsageCounters {

  public static final String REQUESTS = "requests";
  public static final String ERRORS = "errors";

  private final Db db;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  public UsageCounters(Db db) {
    this.db = db;
  }

  public void count(boolean failed) {
    requests.incrementAndGet();
    if (failed) {
      errors.incrementAndGet();
    }
  }

  /** Adds what was counted since the last flush to the stored totals; on failure the counts are kept for the next. */
  public synchronized void flush() throws SQLException {
    long r = requests.getAndSet(0);
    long e = errors.getAndSet(0);
    if (r == 0 && e == 0) {
      return;
    }
    try (Connection c = db.connect()) {
      c.setAutoCommit(true);
      db.update(c, new Sql().append("INSERT INTO \"codestore_usage\" (\"counter\", \"value\") VALUES (").append(Sql.literal(REQUESTS)).append(", ")
          .param(r, "bigint").append("), (").append(Sql.literal(ERRORS)).append(", ").param(e, "bigint")
          .append(") ON CONFLICT (\"counter\") DO UPDATE SET \"value\" = \"codestore_usage\".\"value\" + excluded.\"value\", "
              + "\"updated_at\" = now()"));
    } catch (SQLException | RuntimeException ex) {
      requests.addAndGet(r);
      errors.addAndGet(e);
      throw ex;
    }
  }

  /** The stored totals after a flush, and the database's size in bytes. */
  public synchronized Map<String, Long> read() throws SQLException {
    flush();
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(REQUESTS, 0L);
    out.put(ERRORS, 0L);
    try (Connection c = db.connect()) {
      for (String row : db.strings(c, new Sql().append(
          "SELECT \"counter\" || '=' || \"value\" FROM \"codestore_usage\" UNION ALL "
              + "SELECT 'databaseBytes=' || pg_database_size(current_database())"))) {
        int eq = row.indexOf('=');
        out.put(row.substring(0, eq), Long.parseLong(row.substring(eq + 1)));
      }
    }
    return out;
  }
}
