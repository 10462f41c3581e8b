package store.code.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import store.code.runtime.local.LocalInstance;

/**
 * Our runtime and PostGraphile 4 side by side on one Postgres. The runtime's migration makes the tables from
 * {@code chinook.graphql}, {@link ChinookData} fills them, and both servers read those same tables with the same pool
 * size, each alone on the machine while it is measured. Per query: the answer compared with the other server's (same
 * data, leaf for leaf), SQL statements per request ({@code pg_stat_statements}), then constant-rate load at rising
 * rates until p95 reaches the target or the rate cannot be kept. Start-up to the first answered query and RSS per
 * server. Writes a Markdown report.
 */
public final class ComparisonBench {

  /** One query as each server spells it. */
  record Query(String name, String ours, String theirs, boolean mutation) {
    String body(Function<Query, String> side) {
      return "{\"query\": " + ConstantRateLoad.JSON.valueToTree(side.apply(this)) + "}";
    }
  }

  static final List<Query> QUERIES = List.of(
      new Query("flat list of 20",
          "{ tracks(first: 20, orderBy: [{name: ASC}]) { edges { node { name composer milliseconds unitPrice } } } }",
          "{ allTracks(first: 20, orderBy: [NAME_ASC]) { nodes { name composer milliseconds unitPrice } } }", false),
      new Query("three-level nested",
          "{ artists(first: 10, orderBy: [{name: ASC}]) { edges { node { name albums { title tracks { name milliseconds } } } } } }",
          // PostGraphile's nested lists are unordered by default (their order varied between requests); ours default
          // to createdAt then id, which is spelled out here so both answer the same bytes every time
          "{ allArtists(first: 10, orderBy: [NAME_ASC]) { nodes { name albumsByArtistId(orderBy: [CREATED_AT_ASC, "
              + "PRIMARY_KEY_ASC]) { nodes { title tracksByAlbumId(orderBy: [CREATED_AT_ASC, PRIMARY_KEY_ASC]) { nodes { "
              + "name milliseconds } } } } } } }", false),
      new Query("five-level nested",
          "{ playlists(first: 5, orderBy: [{name: ASC}]) { edges { node { name entries(first: 20, orderBy: [{position: ASC}]) "
              + "{ position track { name album { title artist { name } } } } } } } }",
          "{ allPlaylists(first: 5, orderBy: [NAME_ASC]) { nodes { name playlistTracksByPlaylistId(first: 20, "
              + "orderBy: [POSITION_ASC]) { nodes { position trackByTrackId { name albumByAlbumId { title "
              + "artistByArtistId { name } } } } } } } }", false),
      new Query("filtered search",
          "{ tracks(first: 20, where: {name: {contains: \"Love\"}}, orderBy: [{name: ASC}]) { totalCount edges { node { "
              + "name composer album { title } } } } }",
          "{ allTracks(first: 20, filter: {name: {includes: \"Love\"}}, orderBy: [NAME_ASC]) { totalCount nodes { "
              + "name composer albumByAlbumId { title } } } }", false),
      new Query("create mutation",
          "mutation { createArtist(input: {name: \"Bench Artist\"}) { id name } }",
          "mutation { createArtist(input: {artist: {name: \"Bench Artist\"}}) { artist { id name } } }", true));

  /** What one server measured. */
  static final class Side {
    final String name;
    long startupMs;
    long idleRssMiB;
    long loadedRssMiB;
    final Map<String, Double> sqlPerRequest = new LinkedHashMap<>();
    /** Postgres's execution time of those statements per request, in ms (planning not counted). */
    final Map<String, Double> postgresMsPerRequest = new LinkedHashMap<>();
    final Map<String, List<ConstantRateLoad.Step>> steps = new LinkedHashMap<>();
    final Map<String, List<String>> answers = new LinkedHashMap<>();
    /** The first answer to each query, as sent. */
    final Map<String, String> raw = new LinkedHashMap<>();

    Side(String name) {
      this.name = name;
    }

    /** Highest rate kept with p95 under the target, 0 when none. */
    int bestRate(String query, double p95) {
      return steps.getOrDefault(query, List.of()).stream().filter(s -> s.keeps(p95)).mapToInt(ConstantRateLoad.Step::rate)
          .max().orElse(0);
    }
  }

  /**
   * @param warmUpSeconds closed-loop load per query before measuring: our runtime's JIT needs about 30 s before its
   *     latency settles (measured: p95 43, 14, 10, 9 ms in four 10 s steps at one rate)
   * @param warmUpClients the closed loop's clients: 2, so the JIT's compiler threads get a share of the two cores (with
   *     8 the five-level query's p95 at 200/s was still 24 ms after 30 s; with 2, 10 ms)
   * @param queries the queries measured (all unless {@code codestore.bench.queries} names some)
   * @param runtimeJavaOptions the runtime JVM's options: by default those of a runtime pod
   */
  record Settings(int scale, int seconds, int warmUpSeconds, List<Integer> rates, int warmUpClients, int poolSize,
      double p95TargetMs,
      Path runtimeJar, Path nodeDir, Path report, List<Query> queries, String runtimeJavaOptions) {
    static Settings fromSystemProperties() {
      Function<String, String> p = k -> System.getProperty("codestore.bench." + k);
      String rates = p.apply("rates") == null ? "50,100,200,400,600,800,1000,1200,1600,2000,2400,3200,4000,4800,5600,6400" : p.apply("rates");
      return new Settings(Integer.parseInt(or(p.apply("scale"), "1")), Integer.parseInt(or(p.apply("seconds"), "10")),
          Integer.parseInt(or(p.apply("warm-up-seconds"), "30")),
          java.util.Arrays.stream(rates.split(",")).map(String::trim).map(Integer::valueOf).toList(),
          Integer.parseInt(or(p.apply("warm-up-clients"), "2")), Integer.parseInt(or(p.apply("pool"), "10")),
          Double.parseDouble(or(p.apply("p95"), "50")),
          Path.of(or(System.getProperty("codestore.runtime.jar"), "runtime-image/target/quarkus-app/quarkus-run.jar")),
          Path.of(required(p.apply("node"), "codestore.bench.node (the folder bench/scripts/node-deps.sh installs into)")),
          Path.of(or(p.apply("report"), "docs/bench/runtime-vs-postgraphile.md")), queries(p.apply("queries")),
          or(p.apply("runtime-java-options"), RUNTIME_POD_JAVA_OPTIONS));
    }

    /** The queries named in {@code names} (comma-separated, as in {@link #QUERIES}), or all of them. */
    static List<Query> queries(String names) {
      if (names == null || names.isBlank()) {
        return QUERIES;
      }
      List<Query> chosen = new ArrayList<>();
      for (String name : names.split(",")) {
        chosen.add(QUERIES.stream().filter(q -> q.name().equals(name.trim())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("codestore.bench.queries: no query named \"" + name.trim()
                + "\"; the queries are " + QUERIES.stream().map(Query::name).toList())));
      }
      return chosen;
    }
  }

  /**
   * What a runtime pod's JVM gets: the JVM sizes itself from the pod's 512 Mi limit, not from this machine's memory
   * (MaxRAM: a heap of at most 50 %, the image's MaxRAMPercentage, and an initial heap of 1/64 of the limit, as in the
   * pod), and G1, which the image names because in a 512 Mi container the JVM would pick the serial collector.
   */
  static final String RUNTIME_POD_JAVA_OPTIONS = "-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseG1GC";

  static String or(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }

  static String required(String v, String what) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("set " + what);
    }
    return v;
  }

  private final Settings settings;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String databaseUrl;
  private int postgresPort;
  private Map<String, Long> dataset;

  ComparisonBench(Settings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.fromSystemProperties();
    new ComparisonBench(s).run();
    System.out.println("report written to " + s.report());
  }

  void run() throws Exception {
    Path schema = Files.createTempFile("chinook", ".graphql");
    Files.writeString(schema, new String(ComparisonBench.class.getResourceAsStream("/chinook.graphql").readAllBytes()));
    Side ours = new Side("code.store runtime");
    Side graphqlJava = new Side("ours, graphql-java only");
    Side theirs = new Side("PostGraphile 4.14.1");
    // left alone the JVM would size its heap from the machine's memory, not from a pod's
    Map<String, String> runtimeEnv = Map.of("CODESTORE_DB_POOL_SIZE", String.valueOf(settings.poolSize()),
        "CODESTORE_USAGE_FLUSH_INTERVAL", "1h", "JAVA_TOOL_OPTIONS", settings.runtimeJavaOptions());
    try (LocalInstance local = LocalInstance.start(new LocalInstance.Options(settings.runtimeJar(), schema, null, null, 18099,
        runtimeEnv, false, Map.of("shared_preload_libraries", "pg_stat_statements")))) {
      postgresPort = local.postgresPort();
      databaseUrl = "postgres://postgres:postgres@localhost:" + postgresPort + "/app";
      try (Connection c = app()) {
        dataset = ChinookData.seed(c, settings.scale());
      }
      sql("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");

      // ours, alone: the runtime restarted (schema already migrated) and timed to its first answer
      local.stopRuntime();
      long t0 = System.nanoTime();
      local.startRuntimeProcess();
      // every request of ours carries an API key, as in production; PostGraphile serves without one
      ConstantRateLoad withKey = new ConstantRateLoad("Bearer " + local.devKey());
      ConstantRateLoad.awaitAnswer(local.url("/graphql"), QUERIES.get(0).body(Query::ours), withKey.authorization(),
          Duration.ofSeconds(90), local.process(), local::log);
      ours.startupMs = (System.nanoTime() - t0) / 1_000_000;
      ours.idleRssMiB = rssMiB(local.process().pid());
      measure(ours, local.url("/graphql"), withKey, Query::ours, () -> ours.loadedRssMiB = rssMiB(local.process().pid()));
      local.stopRuntime();

      // ours again with every field completed by graphql-java (CODESTORE_SQL_ANSWERS=false): what the answers
      // Postgres writes are worth, and proof that they are the same bytes
      Map<String, String> withoutSqlAnswers = new LinkedHashMap<>(runtimeEnv);
      withoutSqlAnswers.put("CODESTORE_SQL_ANSWERS", "false");
      local.startRuntime(Duration.ofSeconds(90), withoutSqlAnswers);
      graphqlJava.startupMs = -1; // measured once, above: the same start-up path
      graphqlJava.idleRssMiB = rssMiB(local.process().pid());
      measure(graphqlJava, local.url("/graphql"), withKey, Query::ours,
          () -> graphqlJava.loadedRssMiB = rssMiB(local.process().pid()));
      local.stopRuntime();
      for (Query q : settings.queries()) {
        if (!q.mutation() && !ours.raw.get(q.name()).equals(graphqlJava.raw.get(q.name()))) {
          throw new IllegalStateException("\"" + q.name() + "\" was answered differently by Postgres than by graphql-java:\n"
              + ours.raw.get(q.name()) + "\n" + graphqlJava.raw.get(q.name()));
        }
      }

      // PostGraphile, alone
      t0 = System.nanoTime();
      try (PostGraphileServer pg = PostGraphileServer.start(settings.nodeDir(), databaseUrl, 18100, settings.poolSize())) {
        pg.awaitAnswering(QUERIES.get(0).body(Query::theirs), Duration.ofSeconds(90));
        theirs.startupMs = (System.nanoTime() - t0) / 1_000_000;
        theirs.idleRssMiB = rssMiB(pg.pid());
        measure(theirs, pg.url(), new ConstantRateLoad(null), Query::theirs, () -> theirs.loadedRssMiB = rssMiB(pg.pid()));
      }
    }
    for (Query q : settings.queries()) {
      if (!q.mutation() && !ours.answers.get(q.name()).equals(theirs.answers.get(q.name()))) {
        throw new IllegalStateException("the servers answered \"" + q.name() + "\" differently; ours: "
            + ours.answers.get(q.name()) + "\ntheirs: " + theirs.answers.get(q.name()));
      }
    }
    Files.createDirectories(settings.report().toAbsolutePath().getParent());
    Files.writeString(settings.report(), new ComparisonReport(settings, dataset, List.of(ours, graphqlJava, theirs)).markdown());
  }

  /** Every query on one server: its answer, its SQL, then the rate ladder. */
  private void measure(Side side, String url, ConstantRateLoad load, Function<Query, String> spelling, Runnable afterLoad)
      throws Exception {
    for (Query q : settings.queries()) {
      String body = q.body(spelling);
      String answer = post(url, body, load.authorization());
      JsonNode parsed = ConstantRateLoad.JSON.readTree(answer);
      if (parsed.has("errors") || !parsed.has("data")) {
        throw new IllegalStateException(side.name + " could not answer \"" + q.name() + "\": " + answer);
      }
      side.answers.put(q.name(), leaves(parsed.path("data")));
      side.raw.put(q.name(), answer);
      SqlCost cost = sqlCost(url, body, load.authorization(), 50);
      side.sqlPerRequest.put(q.name(), cost.statements());
      side.postgresMsPerRequest.put(q.name(), cost.executionMs());
      String expected = q.mutation() ? null : answer;
      // warm-up as fast as it goes: the JITs (the JVM's needs thousands of requests), the pools, Postgres' caches
      load.warmUp(url, body, settings.warmUpClients(), settings.warmUpSeconds());
      List<ConstantRateLoad.Step> steps = new ArrayList<>();
      for (int rate : settings.rates()) {
        ConstantRateLoad.Step step = load.run(url, body, expected, rate, settings.seconds());
        steps.add(step);
        System.out.printf(Locale.ROOT, "%s | %s | %d/s: achieved %.0f/s p50 %.1f p95 %.1f p99 %.1f ms, %d failed%n",
            side.name, q.name(), rate, step.achieved(), step.p50(), step.p95(), step.p99(), step.failed());
        if (step.firstFailure() != null) {
          System.out.println("  first failure: " + step.firstFailure());
        }
        if (!step.keeps(settings.p95TargetMs())) {
          break; // the next rate would only queue more
        }
      }
      side.steps.put(q.name(), steps);
      if (q.mutation()) {
        sql("app", "DELETE FROM artist WHERE name = 'Bench Artist'"); // the next server starts from the same data
        sql("app", "VACUUM ANALYZE artist");
      }
    }
    afterLoad.run();
  }

  /** The scalar values of an answer except ids, sorted: equal for the same data, whatever the field names. */
  static List<String> leaves(JsonNode data) {
    List<String> out = new ArrayList<>();
    collect(data, null, out);
    out.sort(null);
    return out;
  }

  private static void collect(JsonNode n, String field, List<String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(e.getValue(), e.getKey(), out);
      }
    } else if (n.isArray()) {
      n.forEach(x -> collect(x, field, out));
    } else if (!"id".equals(field)) {
      out.add(n.isNumber() ? String.valueOf(n.asDouble()) : n.asText());
    }
  }

  /** What one request costs Postgres, per request: statements, and their execution time in ms. */
  record SqlCost(double statements, double executionMs) {}

  /**
   * {@code n} requests one after the other, counted by pg_stat_statements: how many statements a request sends and
   * how long Postgres spends executing them, which no server can answer faster than (planning is not counted:
   * pg_stat_statements tracks it only with track_planning).
   */
  private SqlCost sqlCost(String url, String body, String authorization, int n) throws Exception {
    post(url, body, authorization); // the server's connections have read the catalogue before the count starts
    sql("postgres", "SELECT pg_stat_statements_reset()");
    for (int i = 0; i < n; i++) {
      post(url, body, authorization);
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres",
        "postgres"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
            "SELECT coalesce(sum(s.calls), 0), coalesce(sum(s.total_exec_time), 0) FROM pg_stat_statements s "
                + "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'app'")) {
      rs.next();
      return new SqlCost(rs.getLong(1) / (double) n, rs.getDouble(2) / n);
    }
  }

  private String post(String url, String body, String authorization) throws Exception {
    return http.send(ConstantRateLoad.post(url, body, authorization), HttpResponse.BodyHandlers.ofString()).body();
  }

  private Connection app() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/app", "postgres", "postgres");
  }

  private void sql(String database, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/" + database,
        "postgres", "postgres"); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  /** Resident memory of a process in MiB, -1 when it cannot be read. */
  static long rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException gone) {
      // the process ended
    }
    return -1;
  }
}
