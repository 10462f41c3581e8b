package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OperatorBench} with a handful of instances, so the harness cannot rot, and its steady-state promise checked
 * on every build: an operator restarted with nothing changed writes nothing.
 */
@ExtendWith(DumpOnFailure.class)
class OperatorBenchTest {

  @Test
  void aSmallRunMeasuresEverythingAndARestartWithNothingChangedWritesNothing() throws Exception {
    OperatorBench.Result r = OperatorBench.run(12);
    System.out.println("[measure] operator bench smoke: " + r);
    assertThat(r.readyMs()).isGreaterThanOrEqualTo(r.dependentsMs()).isPositive();
    assertThat(r.plainMs()).isPositive();
    assertThat(r.objectsPerInstance()).as("namespace, quota, limits, network policy, database, runtime, ...").isGreaterThan(5);
    assertThat(r.resyncReconciles()).as("every instance reconciled again after the restart").isGreaterThanOrEqualTo(12);
    assertThat(r.resyncWrites()).as("API writes when nothing changed").isZero();
    assertThat(r.p95()).isPositive();
    assertThat(r.collectionWrites()).as("one status write per project (12 instances = 2 projects)").isEqualTo(2);
    assertThat(r.operatorCpu().apiServer()).as("the API server's process found and its CPU time read").isPositive();
    assertThat(r.operatorCpu().jvm()).isPositive();
    assertThat(r.collectionLists()).as("instances listed once per namespace and pass, not once per project").isEqualTo(1);
  }
}
