package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;

import graphql.ExecutionResult;

import store.code.runtime.auth.Identity;
import store.code.codehost.CodeHost;
import store.code.codehost.Handlers;
import store.code.runtime.code.Callbacks;
import store.code.runtime.code.MakerCode;
import store.code.runtime.files.Files;
import store.code.runtime.graphql.Engine;
import store.code.runtime.graphql.ProjectValues;
import store.code.runtime.graphql.RawJson;
import store.code.runtime.app.ResultJson;
import store.code.runtime.migrate.Migrator;
import store.code.runtime.sql.Db;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.sdk.CodeHandler;

/**
 * An instance's API over a fresh database: migrate, then ask. Requests come from a project API key unless the test
 * asks {@link #as} another caller.
 */
public final class TestApi {

  /** The caller of requests that do not say otherwise: a valid project API key. */
  public static final Identity KEY = Identity.key("test-key");

  public final DataSource dataSource;
  public final Db db;
  public final Engine engine;
  public final String database;
  public final Identity caller;
  /** The same API on a Db of its own, which answers the queries again graphql-java's way (its statements uncounted). */
  private final Engine reference;

  private TestApi(String database, DataSource ds, Db db, Engine engine, Engine reference, Identity caller) {
    this.database = database;
    this.dataSource = ds;
    this.db = db;
    this.engine = engine;
    this.reference = reference;
    this.caller = caller;
  }

  /** The same API, asked by {@code caller}. */
  public TestApi as(Identity caller) {
    return new TestApi(database, dataSource, db, engine, reference, caller);
  }

  public static TestApi start(String sdl, CodeHandler... handlers) throws Exception {
    return start(sdl, Files.disabled(), handlers);
  }

  public static TestApi start(String sdl, Files files, CodeHandler... handlers) throws Exception {
    String database = Backends.newDatabase();
    DataSource ds = Backends.dataSource(database);
    return on(database, ds, sdl, files, Engine.Limits.defaults(), handlers);
  }

  /** An API whose handlers get {@code values} as the project's config and secrets. */
  public static TestApi start(String sdl, ProjectValues values, CodeHandler... handlers) throws Exception {
    String database = Backends.newDatabase();
    return on(database, Backends.dataSource(database), sdl, Files.disabled(), Engine.Limits.defaults(), values, handlers);
  }

  public static TestApi on(String database, DataSource ds, String sdl, Files files, Engine.Limits limits,
      CodeHandler... handlers) throws Exception {
    return on(database, ds, sdl, files, limits, ProjectValues.none(), handlers);
  }

  private static TestApi on(String database, DataSource ds, String sdl, Files files, Engine.Limits limits,
      ProjectValues values, CodeHandler... handlers) throws Exception {
    CompiledSchema compiled = SchemaCompiler.compile(sdl);
    try (Connection c = ds.getConnection()) {
      new Migrator().migrate(c, compiled, "1.0.0");
    }
    Db db = new Db(ds, 5, limits.maxResponseBytes());
    MakerCode code = makerCode(handlers);
    return new TestApi(database, ds, db, new Engine(compiled, db, files, code, values, limits),
        new Engine(compiled, new Db(ds, 5, limits.maxResponseBytes()), files, code, values, limits), KEY);
  }

  /**
   * The handlers behind the same protocol as in a pod (calls, tokens, data calls back over HTTP on the loopback
   * interface), served by a host in this JVM: what tests here check is the protocol and the API, not the process
   * isolation (CodeIsolationIT runs the host as its own process).
   */
  static MakerCode makerCode(CodeHandler... handlers) throws java.io.IOException {
    if (handlers.length == 0) {
      return MakerCode.none();
    }
    CodeHost host = CodeHost.start(Handlers.of(List.of(handlers)), 0, java.time.Duration.ofSeconds(5), () -> {});
    return MakerCode.at(java.net.URI.create("http://127.0.0.1:" + host.port()), java.time.Duration.ofSeconds(10),
        Callbacks.start(0), host);
  }

  /** Runs a request that must succeed; returns its data. */
  public Map<String, Object> ok(String query, Object... variables) {
    Map<String, Object> result = run(query, variables);
    assertThat(result.get("errors")).as("errors of %s", query).isNull();
    return data(result);
  }

  /** Runs a request that must fail; returns its errors. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> errors(String query, Object... variables) {
    Map<String, Object> result = run(query, variables);
    assertThat(result.get("errors")).as("errors of %s", query).isNotNull();
    return (List<Map<String, Object>>) result.get("errors");
  }

  /** The first error's message. */
  public String error(String query, Object... variables) {
    return errors(query, variables).get(0).get("message").toString();
  }

  /** The first error's extensions.code. */
  @SuppressWarnings("unchecked")
  public String errorCode(String query, Object... variables) {
    return ((Map<String, Object>) errors(query, variables).get(0).get("extensions")).get("code").toString();
  }

  /**
   * Runs a request and returns the response as a client reads it (its JSON bytes, parsed). A query that Postgres
   * answered, whole or in part ({@link RawJson}), is run again graphql-java's way, and the two responses must be the
   * same bytes: so every query of every test here checks the SQL answers against graphql-java's.
   */
  public Map<String, Object> run(String query, Object... variables) {
    Map<String, Object> vars = new java.util.LinkedHashMap<>();
    for (int i = 0; i < variables.length; i += 2) {
      vars.put((String) variables[i], variables[i + 1]);
    }
    Engine.Outcome outcome = engine.run(query, null, vars, "test", false, caller, true);
    byte[] bytes = ResultJson.write(outcome.result().toSpecification(), Db.JSON);
    if (answeredFromSql(outcome.result())) {
      ANSWERED_FROM_SQL.incrementAndGet();
      Engine.Outcome java = reference.run(query, null, vars, "test", false, caller, false);
      assertThat(answeredFromSql(java.result())).isFalse();
      assertThat(new String(bytes, StandardCharsets.UTF_8)).as("the answer Postgres wrote to %s", query)
          .isEqualTo(new String(ResultJson.write(java.result().toSpecification(), Db.JSON), StandardCharsets.UTF_8));
    }
    try {
      return Db.JSON.readValue(bytes, new TypeReference<Map<String, Object>>() {});
    } catch (java.io.IOException e) {
      throw new AssertionError("the response is not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  /** How many requests of this JVM had a part Postgres answered (what the comparison above covered). */
  public static final AtomicInteger ANSWERED_FROM_SQL = new AtomicInteger();

  public static boolean answeredFromSql(ExecutionResult result) {
    return result.getData() instanceof Map<?, ?> data && data.values().stream().anyMatch(v -> v instanceof RawJson);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> data(Map<String, Object> result) {
    return (Map<String, Object>) result.get("data");
  }

  /** Reads a path like "carts.edges.0.node.owner" out of nested maps and lists. */
  @SuppressWarnings("unchecked")
  public static <T> T at(Object root, String path) {
    Object cur = root;
    for (String p : path.split("\\.")) {
      cur = cur instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) cur).get(p);
    }
    return (T) cur;
  }
}
