package store.code.runtime.usage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import store.code.runtime.sql.Db;
import store.code.runtime.sql.Sql;

/**
 * Cumulative request and error counters for billing, kept in the instance database so a restart never resets them.
 * Requests count in memory and are added to the stored totals by {@link #flush()} (every few seconds, on shutdown,
 * and before {@link #read()}), so a crash loses at most one flush interval and the totals never go back.
 *
 * <p>A flush is idempotent: its counts carry a flush id that is stored in the same transaction as the new totals. A
 * flush whose outcome is unknown (the connection broke around the commit) is retried with the same id and counts and
 * adds nothing if it had committed after all, so a lost acknowledgement never counts twice. Counts are kept in memory
 * until a flush is known to have stored them.
 *
 * <p>The counters have an identity, their epoch ({@link store.code.runtime.migrate.Migrator} draws it when it creates
 * the table): the operator bills a new epoch from zero and keeps counting an old one from its last billed value.
 */
public final class UsageCounters {

  public static final String REQUESTS = "requests";
  public static final String ERRORS = "errors";
  /** The row of {@code codestore_usage} that holds the counters' epoch rather than a count. */
  public static final String EPOCH = "epoch";
  /** Flush ids are kept this long: far longer than a retried flush can take. */
  static final String FLUSH_IDS_KEPT = "1 day";

  /** The stored totals: what the operator bills from. */
  public record Totals(String epoch, long requests, long errors, long databaseBytes) {}

  private record Batch(String id, long requests, long errors) {}

  private final Db db;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  /** Counts sent to the database whose storing is not confirmed yet: retried as they are. */
  private Batch unconfirmed;

  public UsageCounters(Db db) {
    this.db = db;
  }

  public void count(boolean failed) {
    requests.incrementAndGet();
    if (failed) {
      errors.incrementAndGet();
    }
  }

  /**
   * Adds what was counted since the last flush to the stored totals. When it throws, nothing is lost: the counts are
   * kept, and the next flush stores them exactly once whether or not this one committed.
   */
  public synchronized void flush() throws SQLException {
    if (unconfirmed != null) {
      store(unconfirmed);
      unconfirmed = null;
    }
    long r = requests.getAndSet(0);
    long e = errors.getAndSet(0);
    if (r == 0 && e == 0) {
      return;
    }
    unconfirmed = new Batch(UUID.randomUUID().toString(), r, e);
    store(unconfirmed);
    unconfirmed = null;
  }

  private void store(Batch b) throws SQLException {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try {
        int fresh = db.updateOrThrow(c, new Sql().append("INSERT INTO \"codestore_usage_flushes\" (\"id\") VALUES (")
            .param(b.id(), "text").append(") ON CONFLICT (\"id\") DO NOTHING"));
        if (fresh == 1) { // 0: this batch was stored by an attempt whose commit was not acknowledged
          db.updateOrThrow(c, new Sql().append("INSERT INTO \"codestore_usage\" (\"counter\", \"value\") VALUES (")
              .append(Sql.literal(REQUESTS)).append(", ").param(b.requests(), "bigint").append("), (")
              .append(Sql.literal(ERRORS)).append(", ").param(b.errors(), "bigint")
              .append(") ON CONFLICT (\"counter\") DO UPDATE SET \"value\" = \"codestore_usage\".\"value\" + excluded.\"value\", "
                  + "\"updated_at\" = now()"));
        }
        db.updateOrThrow(c, new Sql().append("DELETE FROM \"codestore_usage_flushes\" WHERE \"at\" < now() - interval "
            + Sql.literal(FLUSH_IDS_KEPT)));
        c.commit();
      } catch (SQLException | RuntimeException ex) {
        rollbackQuietly(c);
        throw ex;
      }
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the transaction is gone with it
    }
  }

  /** The stored totals after a flush, and the database's size in bytes. */
  public synchronized Totals read() throws SQLException {
    flush();
    String epoch = null;
    long r = 0;
    long e = 0;
    long size = 0;
    try (Connection c = db.connect()) {
      for (String row : db.stringsOrThrow(c, new Sql().append(
          "SELECT \"counter\" || '=' || \"value\" FROM \"codestore_usage\" UNION ALL "
              + "SELECT 'databaseBytes=' || pg_database_size(current_database())"))) {
        int eq = row.indexOf('=');
        String name = row.substring(0, eq);
        long value = Long.parseLong(row.substring(eq + 1));
        switch (name) {
          case EPOCH -> epoch = Long.toHexString(value);
          case REQUESTS -> r = value;
          case ERRORS -> e = value;
          case "databaseBytes" -> size = value;
          default -> { } // a counter of a later version
        }
      }
    }
    return new Totals(epoch, r, e, size);
  }
}
