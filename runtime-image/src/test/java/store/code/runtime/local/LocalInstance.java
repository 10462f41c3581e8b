package store.code.runtime.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One instance on this machine, no cluster and no Docker: an embedded Postgres, an S3 server (s3proxy) and the
 * packaged runtime ({@code runtime-image/target/quarkus-app}) started as a process under the image's contract. Used by
 * {@code make serve} (the maker's local loop) and by the tests of the packaged runtime.
 */
public final class LocalInstance implements AutoCloseable {

  static final String ACCESS_KEY = "local-access";
  public static final String SECRET_KEY = "local-secret-key";
  static final String BUCKET = "files";

  /**
   * Where things are: {@code stateDir} null means a throw-away temporary folder. {@code postgresConfig}: server
   * settings for Postgres (e.g. {@code shared_preload_libraries}).
   */
  public record Options(Path runtimeJar, Path schemaSource, Path codeDir, Path stateDir, int port, Map<String, String> env,
      boolean inheritOutput, Map<String, String> postgresConfig) {
    public Options(Path runtimeJar, Path schemaSource, Path codeDir, Path stateDir, int port, Map<String, String> env,
        boolean inheritOutput) {
      this(runtimeJar, schemaSource, codeDir, stateDir, port, env, inheritOutput, Map.of());
    }
  }

  private final Options options;
  private final Path state;
  private final Path schemaFile;
  /** The development API key every request of this instance's helpers carries (see {@link #devKey()}). */
  private final String devKey;
  private final int managementPort;
  private EmbeddedPostgres postgres;
  private BlobStoreContext blobs;
  private S3Proxy s3proxy;
  private Process process;
  /** The runtime's own variables (beyond the contract's): the options', until a start says otherwise. */
  private Map<String, String> env;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalInstance(Options options) throws IOException {
    this.options = options;
    this.state = options.stateDir() != null ? Files.createDirectories(options.stateDir()).toAbsolutePath()
        : Files.createTempDirectory("codestore-local");
    this.schemaFile = state.resolve("schema").resolve("schema.graphql");
    this.log = state.resolve("runtime.log");
    this.env = options.env();
    this.devKey = developmentKey(state);
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      this.managementPort = free.getLocalPort();
    }
  }

  /**
   * The development key, made once per state folder (kept in {@code dev-api-key}, readable by its owner only) and
   * accepted through the runtime's {@code CODESTORE_API_KEYS_FILE}, as the operator's ApiKeys are in a cluster.
   */
  private static String developmentKey(Path state) throws IOException {
    Path keyFile = state.resolve("dev-api-key");
    String key;
    if (Files.exists(keyFile)) {
      key = Files.readString(keyFile).strip();
    } else {
      key = store.code.runtime.auth.ApiKeys.newKey(new java.security.SecureRandom());
      Files.writeString(keyFile, key + "\n");
      Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(state.resolve("api-keys"), "dev " + store.code.runtime.auth.ApiKeys.sha256(key) + "\n");
    Path push = state.resolve("push-token"); // beside the keys file, as the operator's Secret has it
    if (!Files.exists(push)) {
      Files.writeString(push, store.code.runtime.auth.ApiKeys.newKey(new java.security.SecureRandom()).substring(4));
      Files.setPosixFilePermissions(push, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    return key;
  }

  /** The token that lets the operator hand over key hashes ({@code PUT /keys} on the management port). */
  public String pushToken() throws IOException {
    return Files.readString(state.resolve("push-token")).strip();
  }

  /** {@code PUT /keys} on the management port with this Authorization header; the status. */
  /** {@code POST /migration/dry-run} on the management port, as the operator asks before a version change. */
  public HttpResponse<String> migrationDryRun(String authorization, String sdl) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(managementUrl("/migration/dry-run")))
        .POST(HttpRequest.BodyPublishers.ofString(sdl));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  public int putKeys(String authorization, String lines) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(managementUrl("/keys")))
        .PUT(HttpRequest.BodyPublishers.ofString(lines));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The key to send as {@code Authorization: Bearer <key>}. */
  public String devKey() {
    return devKey;
  }

  /** The file of accepted key hashes (CODESTORE_API_KEYS_FILE): a test may add or remove lines. */
  public Path apiKeysFile() {
    return state.resolve("api-keys");
  }

  /** Starts Postgres, S3 and the runtime; returns once the runtime is ready (or throws with its log). */
  public static LocalInstance start(Options options) throws Exception {
    LocalInstance i = new LocalInstance(options);
    try {
      i.startBackends();
      i.writeSchema(sdlOf(options.schemaSource()));
      i.startRuntime(Duration.ofSeconds(90));
      return i;
    } catch (Exception | Error e) {
      i.close();
      throw e;
    }
  }

  /** The schema of a Service manifest ({@code spec.schema}) or of a .graphql file. */
  public static String sdlOf(Path source) throws IOException {
    String text = Files.readString(source);
    if (source.toString().endsWith(".graphql") || source.toString().endsWith(".graphqls")) {
      return text;
    }
    for (JsonNode doc : new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
      if ("Service".equals(doc.path("kind").asText()) && doc.path("spec").has("schema")) {
        return doc.path("spec").path("schema").asText();
      }
    }
    throw new IllegalArgumentException(source + " holds no Service with spec.schema (or pass a .graphql file)");
  }

  private void startBackends() throws Exception {
    EmbeddedPostgres.Builder pg = EmbeddedPostgres.builder();
    options.postgresConfig().forEach(pg::setServerConfig);
    if (options.stateDir() != null) {
      pg.setDataDirectory(state.resolve("postgres")).setCleanDataDirectory(false);
    }
    postgres = pg.start();
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'app'")) {
        if (!rs.next()) {
          st.execute("CREATE DATABASE app");
        }
      }
    }
    Properties props = new Properties();
    String provider = "transient";
    if (options.stateDir() != null) {
      provider = "filesystem";
      props.setProperty("jclouds.filesystem.basedir", Files.createDirectories(state.resolve("s3")).toString());
    }
    blobs = ContextBuilder.newBuilder(provider).overrides(props).build(BlobStoreContext.class);
    blobs.getBlobStore().createContainerInLocation(null, BUCKET);
    s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    s3proxy.start();
    Instant deadline = Instant.now().plusSeconds(20);
    while (!"STARTED".equals(s3proxy.getState()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
  }

  /** Replaces the schema the next runtime start reads (what a Service update does through its ConfigMap). */
  public void writeSchema(String sdl) throws IOException {
    Files.createDirectories(schemaFile.getParent());
    Files.writeString(schemaFile, sdl);
  }

  /** Starts the runtime process and waits until it is ready. */
  public void startRuntime(Duration timeout) throws Exception {
    startRuntimeProcess();
    awaitReady(timeout);
  }

  /** Like {@link #startRuntime(Duration)}, with {@code env} instead of the options' variables from now on. */
  public void startRuntime(Duration timeout, Map<String, String> env) throws Exception {
    this.env = Map.copyOf(env);
    startRuntime(timeout);
  }

  public void startRuntimeProcess() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // the class-data archive the build made (application.properties): valid only with this JVM and with the jar named
    // as it was when the archive was made, relative to the application's folder
    Path app = options.runtimeJar().toAbsolutePath().getParent();
    if (Files.isRegularFile(app.resolve("app-cds.jsa"))) {
      cmd.add("-XX:SharedArchiveFile=app-cds.jsa");
    }
    cmd.addAll(List.of("-jar", options.runtimeJar().getFileName().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(app.toFile());
    Map<String, String> env = pb.environment();
    env.put("CODESTORE_SCHEMA_PATH", schemaFile.toString());
    env.put("CODESTORE_DB_HOST", "localhost");
    env.put("CODESTORE_DB_PORT", String.valueOf(postgres.getPort()));
    env.put("CODESTORE_DB_NAME", "app");
    env.put("CODESTORE_DB_USER", "postgres");
    env.put("CODESTORE_DB_PASSWORD", "postgres");
    env.put("CODESTORE_S3_ENDPOINT", "http://127.0.0.1:" + s3proxy.getPort());
    env.put("CODESTORE_S3_REGION", "us-east-1");
    env.put("CODESTORE_S3_BUCKET", BUCKET);
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("CODESTORE_CODE_DIR", options.codeDir() == null ? state.resolve("no-code").toString() : options.codeDir().toAbsolutePath().toString());
    // the maker-code host beside the packaged runtime: runtime-image/target/code-host/
    env.put("CODESTORE_CODE_HOST_JAR", options.runtimeJar().toAbsolutePath().getParent().getParent()
        .resolve("code-host/codestore-code-host.jar").toString());
    env.put("QUARKUS_HTTP_PORT", String.valueOf(options.port()));
    env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
    env.put("CODESTORE_API_KEYS_FILE", apiKeysFile().toString());
    env.putAll(this.env);
    pb.redirectErrorStream(true);
    if (options.inheritOutput()) {
      pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    process = pb.start();
  }

  /** Waits for /q/health/ready to answer 200. */
  public void awaitReady(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the runtime exited with " + process.exitValue() + ":\n" + log());
      }
      if (health() == 200) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the runtime was not ready within " + timeout + ":\n" + log());
  }

  public int health() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready"))).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** On the API port (what an Ingress exposes). */
  public String url(String path) {
    return "http://localhost:" + options.port() + path;
  }

  /** On the management port: {@code /q/health/*}, {@code /q/metrics}, {@code /usage}. */
  public String managementUrl(String path) {
    return "http://localhost:" + managementPort + path;
  }

  /** POSTs a GraphQL request with the development key; returns the parsed answer. */
  public JsonNode graphql(String query, Map<String, Object> variables) throws Exception {
    return JSON.readTree(post("Bearer " + devKey, query, variables).body());
  }

  /** POSTs a GraphQL request with this Authorization header (none when null). */
  public HttpResponse<String> post(String authorization, String query, Map<String, Object> variables) throws Exception {
    Map<String, Object> body = new HashMap<>();
    body.put("query", query);
    if (variables != null) {
      body.put("variables", variables);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/graphql")))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET on the API port, with the development key. */
  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + devKey).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET on the management port. */
  public HttpResponse<String> manage(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(managementUrl(path))).build(), HttpResponse.BodyHandlers.ofString());
  }

  public Process process() {
    return process;
  }

  /** SIGTERM (a pod deletion) and wait. */
  public void stopRuntime() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor();
    }
  }

  /** SIGKILL (an OOM kill): nothing runs on the way out. */
  public void killRuntime() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(output went to the terminal)";
  }

  public int postgresPort() {
    return postgres.getPort();
  }

  public Path schemaFile() {
    return schemaFile;
  }

  @Override
  public void close() throws Exception {
    stopRuntime();
    if (s3proxy != null) {
      s3proxy.stop();
    }
    if (blobs != null) {
      blobs.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
