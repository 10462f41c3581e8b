package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import store.code.runtime.migrate.Migrator;
import store.code.runtime.sql.Db;
import store.code.runtime.usage.UsageCounters;
import store.code.schema.SchemaCompiler;

/**
 * Billing counters live in the instance database: a new process continues where the last one flushed, a flush whose
 * acknowledgement was lost is not counted twice, and the counters' epoch says when they were created anew.
 */
class UsageCountersTest {

  @Test
  void countersSurviveARestartAndNeverGoBack() throws Exception {
    TestApi api = TestApi.start(MigrationTest.V1);
    UsageCounters first = new UsageCounters(new Db(api.dataSource, 5));
    for (int i = 0; i < 10; i++) {
      first.count(i % 4 == 0);
    }
    assertThat(first.read().requests()).isEqualTo(10);
    assertThat(first.read().errors()).isEqualTo(3);
    first.count(false);
    first.flush(); // what shutdown does

    UsageCounters second = new UsageCounters(new Db(api.dataSource, 5)); // the restarted runtime
    second.count(true);
    UsageCounters.Totals totals = second.read();
    assertThat(totals.requests()).isEqualTo(12);
    assertThat(totals.errors()).isEqualTo(4);
    assertThat(totals.databaseBytes()).isPositive();

    UsageCounters killed = new UsageCounters(new Db(api.dataSource, 5));
    killed.count(false); // never flushed: lost with the process, the stored total stays where it was
    assertThat(new UsageCounters(new Db(api.dataSource, 5)).read().requests()).isEqualTo(12);
  }

  /** A DataSource whose next commit goes through and then fails, as a connection that breaks before the reply would. */
  static final class LostAcknowledgement {
    final AtomicBoolean armed = new AtomicBoolean();
    final DataSource dataSource;

    LostAcknowledgement(DataSource real) {
      dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
          (p, m, args) -> {
            Object result = invoke(real, m, args);
            return m.getName().equals("getConnection") ? connection((Connection) result) : result;
          });
    }

    private Connection connection(Connection real) {
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          (p, m, args) -> {
            Object result = invoke(real, m, args);
            if (m.getName().equals("commit") && armed.getAndSet(false)) {
              throw new SQLException("I/O error: the connection was reset before the commit was acknowledged", "08006");
            }
            return result;
          });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  @Test
  void aFlushWhoseCommitWasNotAcknowledgedIsStoredOnceWhenRetried() throws Exception {
    TestApi api = TestApi.start(MigrationTest.V1);
    LostAcknowledgement faulty = new LostAcknowledgement(api.dataSource);
    UsageCounters counters = new UsageCounters(new Db(faulty.dataSource, 5));
    for (int i = 0; i < 7; i++) {
      counters.count(i == 0);
    }
    faulty.armed.set(true);
    assertThatThrownBy(counters::flush).hasMessageContaining("before the commit was acknowledged");
    counters.count(false); // counted while the outcome of that flush was unknown
    counters.flush(); // the retry: the first batch committed after all, so only the new request is added
    UsageCounters.Totals stored = new UsageCounters(new Db(api.dataSource, 5)).read();
    assertThat(stored.requests()).as("7 + 1, not 7 + 7 + 1").isEqualTo(8);
    assertThat(stored.errors()).isEqualTo(1);
  }

  @Test
  void aFlushThatFailedBeforeItsCommitIsStoredByTheNextOne() throws Exception {
    TestApi api = TestApi.start(MigrationTest.V1);
    UsageCounters counters = new UsageCounters(new Db(api.dataSource, 5));
    counters.count(false);
    counters.count(false);
    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE codestore_usage RENAME TO codestore_usage_away"); // the flush's statement fails
    }
    assertThatThrownBy(counters::flush).isInstanceOf(SQLException.class);
    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE codestore_usage_away RENAME TO codestore_usage");
    }
    counters.count(true);
    assertThat(counters.read().requests()).as("kept in memory, stored once the database answers").isEqualTo(3);
  }

  @Test
  void theEpochStaysAcrossRestartsAndChangesWhenTheCountersAreCreatedAnew() throws Exception {
    TestApi api = TestApi.start(MigrationTest.V1);
    String epoch = new UsageCounters(new Db(api.dataSource, 5)).read().epoch();
    assertThat(epoch).isNotBlank();
    try (Connection c = api.dataSource.getConnection()) {
      new Migrator().migrate(c, SchemaCompiler.compile(MigrationTest.V1), "1.0.0"); // a restart migrates again
    }
    assertThat(new UsageCounters(new Db(api.dataSource, 5)).read().epoch()).as("a restart keeps it").isEqualTo(epoch);

    TestApi other = TestApi.start(MigrationTest.V1);
    assertThat(new UsageCounters(new Db(other.dataSource, 5)).read().epoch()).as("another database, another epoch")
        .isNotEqualTo(epoch);

    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE codestore_usage"); // the counters are lost, e.g. a database re-created from the schema
    }
    try (Connection c = api.dataSource.getConnection()) {
      new Migrator(() -> 0xC0DEL).migrate(c, SchemaCompiler.compile(MigrationTest.V1), "1.0.0");
    }
    UsageCounters.Totals anew = new UsageCounters(new Db(api.dataSource, 5)).read();
    assertThat(anew.epoch()).isEqualTo("c0de");
    assertThat(anew.requests()).isZero();
  }
}
