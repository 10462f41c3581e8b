package store.code.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import store.code.runtime.local.LocalInstance;

/**
 * The packaged runtime under load: a three-level nested query over a seeded library (authors, books, reviews),
 * closed-loop clients for a fixed time. Prints throughput, latency percentiles, SQL statements per request (from
 * the runtime's own counter), start-up time to the first answered query and RSS. Arguments: authors, concurrency,
 * seconds (defaults 100 8 20). Everything runs on this machine: clients, runtime and Postgres share its cores.
 */
public final class RuntimeBench {

  static final String NESTED = "{ authors(first: 10, orderBy: [{name: ASC}]) { edges { node { name born "
      + "books { title pages reviews { stars text } } } } } }";

  private RuntimeBench() {}

  public static void main(String[] args) throws Exception {
    int authors = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path jar = Path.of(System.getProperty("codestore.runtime.jar", "runtime-image/target/quarkus-app/quarkus-run.jar"));
    Path schema = Files.createTempFile("library", ".graphql");
    Files.writeString(schema, new String(RuntimeBench.class.getResourceAsStream("/library.graphql").readAllBytes()));

    try (LocalInstance local = LocalInstance.start(new LocalInstance.Options(jar, schema, null, null, 18099,
        Map.of("CODESTORE_DB_POOL_SIZE", String.valueOf(concurrency)), false))) {
      seed(local, authors);
      local.stopRuntime();
      long t0 = System.nanoTime();
      local.startRuntime(Duration.ofSeconds(60));
      local.graphql("{ authors(first: 1) { totalCount } }", null);
      long startupMs = (System.nanoTime() - t0) / 1_000_000;
      long idleRss = rss(local.process().pid());

      String body = "{\"query\": \"" + NESTED.replace("\"", "\\\"") + "\"}";
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create(local.url("/graphql")))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      String sample = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      if (sample.contains("\"errors\"")) {
        throw new IllegalStateException("the benchmark query failed: " + sample);
      }
      run(http, request, concurrency, Math.max(3, seconds / 4)); // warm-up: JIT, pool, Postgres caches
      double statementsBefore = metric(local, "codestore_sql_statements_total");
      Result r = run(http, request, concurrency, seconds);
      double statementsAfter = metric(local, "codestore_sql_statements_total");
      long loadRss = rss(local.process().pid());

      System.out.printf(Locale.ROOT, """

          ## Runtime: three-level nested query (packaged runtime, embedded Postgres, same machine)
          dataset: %d authors, %d books, %d reviews; query: 10 authors -> 100 books -> 500 reviews (%d bytes of JSON)
          clients: %d closed-loop, %d s after a %d s warm-up
          | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors | SQL statements/request |
          |---:|---:|---:|---:|---:|---:|---:|
          | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %.2f |
          start-up (JVM start to first answered query, schema already migrated): %d ms
          RSS: idle after start %d MiB, after load %d MiB
          """, authors, authors * 10, authors * 50, sample.length(), concurrency, seconds, Math.max(3, seconds / 4),
          r.count / (double) seconds, r.percentile(50), r.percentile(95), r.percentile(99), r.percentile(100), r.errors,
          (statementsAfter - statementsBefore) / r.count, startupMs, idleRss / 1024, loadRss / 1024);
    }
  }

  static void seed(LocalInstance local, int authors) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + local.postgresPort() + "/app",
        "postgres", "postgres"); Statement st = c.createStatement()) {
      st.execute("INSERT INTO author (name, born) SELECT 'author ' || lpad(i::text, 5, '0'), 1900 + i % 100 "
          + "FROM generate_series(1, " + authors + ") i");
      st.execute("INSERT INTO book (title, pages, author_id) SELECT a.name || ': volume ' || i, 100 + i * 17, a.id "
          + "FROM author a, generate_series(1, 10) i");
      st.execute("INSERT INTO review (book_id, stars, text) SELECT b.id, 1 + i % 5, 'review ' || i || ' of ' || b.title "
          + "FROM book b, generate_series(1, 5) i");
      st.execute("ANALYZE");
    }
  }

  record Result(long[] latenciesNanos, int count, int errors) {
    double percentile(int p) {
      if (count == 0) {
        return 0;
      }
      int i = (int) Math.ceil(p / 100.0 * count) - 1;
      return latenciesNanos[Math.max(0, Math.min(count - 1, i))] / 1e6;
    }
  }

  static Result run(HttpClient http, HttpRequest request, int concurrency, int seconds) throws Exception {
    long[] latencies = new long[5_000_000];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    for (int i = 0; i < concurrency; i++) {
      pool.execute(() -> {
        while (!stop.get()) {
          long start = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"errors\"")) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          int slot = next.getAndIncrement();
          if (slot < latencies.length) {
            latencies[slot] = System.nanoTime() - start;
          }
        }
      });
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    int count = Math.min(next.get(), latencies.length);
    long[] done = Arrays.copyOf(latencies, count);
    Arrays.sort(done);
    return new Result(done, count, errors.get());
  }

  static double metric(LocalInstance local, String name) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(local.get("/q/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  static long rss(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
