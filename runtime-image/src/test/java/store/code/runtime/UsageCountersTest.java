package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import store.code.runtime.sql.Db;
import store.code.runtime.usage.UsageCounters;

/** Billing counters live in the instance database: a new process continues where the last one flushed. */
class UsageCountersTest {

  @Test
  void countersSurviveARestartAndNeverGoBack() throws Exception {
    TestApi api = TestApi.start(MigrationTest.V1);
    UsageCounters first = new UsageCounters(new Db(api.dataSource, 5));
    for (int i = 0; i < 10; i++) {
      first.count(i % 4 == 0);
    }
    assertThat(first.read()).containsEntry("requests", 10L).containsEntry("errors", 3L);
    first.count(false);
    first.flush(); // what shutdown does

    UsageCounters second = new UsageCounters(new Db(api.dataSource, 5)); // the restarted runtime
    second.count(true);
    var totals = second.read();
    assertThat(totals).containsEntry("requests", 12L).containsEntry("errors", 4L);
    assertThat(totals.get("databaseBytes")).isPositive();

    UsageCounters killed = new UsageCounters(new Db(api.dataSource, 5));
    killed.count(false); // never flushed: lost with the process, the stored total stays where it was
    assertThat(new UsageCounters(new Db(api.dataSource, 5)).read()).containsEntry("requests", 12L);
  }
}
