package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The report from measured sides, with no server run: what each table says and how it is worked out. */
class ComparisonReportTest {

  @Test
  void ratesRatiosAndWhatARequestCostsPostgres() {
    ComparisonBench.Query q = ComparisonBench.QUERIES.get(2);
    ComparisonBench.Settings settings = new ComparisonBench.Settings(1, 10, 30, List.of(100, 200, 400), 2, 10, 50,
        Path.of("quarkus-run.jar"), Path.of("node"), Path.of("report.md"), List.of(q), ComparisonBench.RUNTIME_POD_JAVA_OPTIONS);
    ComparisonBench.Side ours = side("code.store runtime", q, 1.0, 2.5, 12, 20, 40);
    ComparisonBench.Side graphqlJava = side("ours, graphql-java only", q, 1.0, 3.0, 12, 40, 60);
    ComparisonBench.Side theirs = side("PostGraphile 4.14.1", q, 6.0, 5.0, 30, 70, 90);

    String md = new ComparisonReport(settings, Map.of("track", 5500L), List.of(ours, graphqlJava, theirs)).markdown();

    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(md).contains("| five-level nested | 400+/s | 200/s | 100/s | 4.00 | 1.00 | 6.00 |")
        .contains(String.format(java.util.Locale.ROOT, "| five-level nested | 2.50 ms | %.0f/s | 3.00 ms | %.0f/s | 5.00 ms | %.0f/s |",
            cores * 1000 / 2.5, cores * 1000 / 3.0, cores * 1000 / 5.0))
        .contains("the JVM sized as in a runtime pod");
  }

  /** A side measured at 100, 200 and 400/s with these p95s: it kept each rate whose p95 is under 50 ms (400/s kept: "400+"). */
  private static ComparisonBench.Side side(String name, ComparisonBench.Query q, double statements, double postgresMs,
      double p95At100, double p95At200, double p95At400) {
    ComparisonBench.Side s = new ComparisonBench.Side(name);
    s.steps.put(q.name(), List.of(step(100, p95At100), step(200, p95At200), step(400, p95At400)));
    s.sqlPerRequest.put(q.name(), statements);
    s.postgresMsPerRequest.put(q.name(), postgresMs);
    return s;
  }

  private static ConstantRateLoad.Step step(int rate, double p95) {
    return new ConstantRateLoad.Step(rate, rate, p95 / 2, p95, p95 * 1.5, p95 * 2, 0, null);
  }
}
