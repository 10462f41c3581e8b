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
    assertThat(r.packaged().reconciles()).as("the packaged operator reconciled every instance").isGreaterThanOrEqualTo(12);
    assertThat(r.packaged().writes()).as("API writes of the packaged operator starting on a converged cluster: "
        + r.packaged().writesByKind()).isZero();
    assertThat(r.packaged().heapAfterGcMiB()).as("its heap read from jcmd").isPositive();
    assertThat(r.packaged().rssMiB()).isGreaterThan(r.packaged().heapAfterGcMiB());

    // its log is one JSON object per line, as log collectors take it
    assertThat(r.packaged().log()).as("the packaged operator's log").isNotEmpty().allSatisfy(line -> assertThat(
        io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().readTree(line).has("message")).as(line).isTrue());

    // the chart's alerts name series this operator exports (JOSDK registers its failure counter at the first failure)
    var alerts = ChartTest.alertExpressions(ChartTest.render(java.util.Map.of("metrics.prometheusRule.enabled", true)));
    String failures = io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2.RECONCILIATIONS_FAILED
        .replace('.', '_');
    alerts.forEach((alert, expr) -> assertThat(metricNames(expr)).as(alert + ": " + expr).isNotEmpty()
        .allSatisfy(name -> assertThat(r.packaged().metrics().contains(name) || name.equals(failures))
            .as(alert + " names " + name + ", which the operator does not export").isTrue()));
  }

  /** The series names a PromQL expression reads (what is left without label matchers, ranges, grouping and functions). */
  static java.util.Set<String> metricNames(String expr) {
    String bare = expr.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^]]*\\]", " ").replaceAll("by \\([^)]*\\)", " ");
    java.util.Set<String> names = new java.util.TreeSet<>();
    var m = java.util.regex.Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
    while (m.find()) {
      if (!java.util.Set.of("max", "min", "sum", "avg", "count", "rate", "increase").contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }
}
