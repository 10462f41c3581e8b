package store.code.runtime.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.github.bucket4j.TimeMeter;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import store.code.runtime.auth.ApiKeys;
import store.code.runtime.auth.Authenticator;
import store.code.runtime.auth.RateLimits;
import store.code.runtime.auth.Tokens;
import store.code.runtime.code.MakerCode;
import store.code.runtime.graphql.Engine;
import store.code.runtime.migrate.Migrator;
import store.code.runtime.sql.Db;
import store.code.runtime.usage.UsageCounters;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * This process's instance: reads the schema, migrates the database (retrying until it is reachable), then serves.
 * Readiness follows {@link #state()}: a schema that does not compile or a migration that was refused keeps the pod
 * unready with the reason, instead of crash-looping; the liveness probe stays up so the reason can be read.
 */
@ApplicationScoped
public class Instance {

  public enum State { STARTING, READY, FAILED }

  private static final Logger LOG = Logger.getLogger(Instance.class);

  @Inject
  RuntimeSettings settings;

  @Inject
  DataSource dataSource;

  @Inject
  io.micrometer.core.instrument.MeterRegistry meters;

  @Inject
  Clock clock;

  private volatile State state = State.STARTING;
  private volatile String message = "starting";
  private volatile Engine engine;
  private volatile MakerCode code;
  /** The steps started beside the schema and the database (storage, maker code), until they end. */
  private volatile CompletableFuture<Void> starting;
  private volatile String schemaHash;
  private volatile UsageCounters usage;
  private volatile store.code.runtime.files.Files files;
  private volatile Authenticator authenticator;
  private volatile Optional<RateLimits> rateLimits = Optional.empty();
  private ScheduledExecutorService background;

  void start(@Observes StartupEvent event) {
    background = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "instance");
      t.setDaemon(true);
      return t;
    });
    background.execute(this::prepare);
  }

  void stop(@Observes ShutdownEvent event) {
    if (background != null) {
      background.shutdownNow();
    }
    flushUsage();
    if (starting != null) {
      try {
        starting.get(10, TimeUnit.SECONDS); // a maker-code host still starting is stopped too, not left behind
      } catch (Exception e) {
        LOG.debugf("start-up steps did not end: %s", e.toString());
      }
    }
    if (code != null) {
      try {
        code.close();
      } catch (Exception e) {
        LOG.warnf("stopping maker code: %s", e.getMessage());
      }
    }
  }

  private void prepare() {
    StartupPhases phases = new StartupPhases();
    // the S3 client and the maker-code host need neither the schema nor the database, and take about as long to start
    // as both: started beside them, since an instance that sleeps when idle pays for its start at every wake-up
    CompletableFuture<Void> beside = CompletableFuture.runAsync(() -> {
      files = phases.timed("storage", this::storage);
      code = phases.timed("maker code", this::startMakerCode);
    }, r -> {
      Thread t = new Thread(r, "instance-start");
      t.setDaemon(true);
      t.start();
    });
    starting = beside;
    CompiledSchema compiled;
    try {
      String sdl = Files.readString(Path.of(settings.schemaPath()));
      compiled = SchemaCompiler.compile(sdl);
    } catch (IOException e) {
      fail("cannot read the schema at " + settings.schemaPath() + " (CODESTORE_SCHEMA_PATH): " + e.getMessage());
      return;
    } catch (SchemaException e) {
      fail("the schema at " + settings.schemaPath() + " does not compile: " + e.getMessage());
      return;
    }
    schemaHash = compiled.hash();
    phases.done("schema");
    try {
      authenticator = authenticator(settings, clock);
      rateLimits = rateLimits(settings);
    } catch (IllegalArgumentException | IOException e) {
      fail("who may call cannot be set up: " + e.getMessage());
      return;
    }
    Engine.Limits limits;
    try {
      limits = new Engine.Limits(settings.maxDepth(), settings.maxComplexity(), settings.maxTokens(),
          settings.maxRootFields(), settings.maxAliases(), settings.requestTimeout(), settings.maxResponseBytes());
    } catch (IllegalArgumentException e) {
      fail("the request limits do not fit together (CODESTORE_MAX_*, CODESTORE_REQUEST_TIMEOUT): " + e.getMessage());
      return;
    }
    Db db = new Db(dataSource, (int) Math.max(1, settings.statementTimeout().toSeconds()), limits.maxResponseBytes());
    Duration wait = Duration.ofSeconds(1);
    while (true) {
      try (Connection c = dataSource.getConnection()) {
        Migrator.Result r = new Migrator().migrate(c, compiled, version());
        if (r.changed()) {
          LOG.infof("migrated the database from schema %s to %s: %d statements", r.fromHash(), r.toHash(), r.statements().size());
        }
        break;
      } catch (Migrator.Refused e) {
        fail(e.getMessage());
        return;
      } catch (SQLException | RuntimeException e) {
        message = "waiting for the database: " + e.getMessage();
        LOG.warnf("database not reachable yet, retrying in %s: %s", wait, e.getMessage());
        if (!sleep(wait)) {
          return;
        }
        wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait.multipliedBy(2);
      }
    }
    phases.done("database");
    try {
      beside.join();
    } catch (CompletionException e) {
      fail(e.getCause() instanceof UncheckedIOException io ? "maker code cannot be started: " + io.getCause().getMessage()
          : "file storage cannot be set up: " + e.getCause().getMessage());
      return;
    }
    phases.done("waiting for storage and maker code");
    store.code.runtime.graphql.ProjectValues values;
    try {
      values = new store.code.runtime.graphql.ProjectValues(
          store.code.runtime.graphql.ProjectValues.configFrom(System.getenv()),
          settings.secretsPath().isEmpty() ? Map.of()
              : store.code.runtime.graphql.ProjectValues.secretsFrom(Path.of(settings.secretsPath().get())));
    } catch (IOException e) {
      fail("cannot read the project's secrets at " + settings.secretsPath().get() + " (CODESTORE_SECRETS_PATH): "
          + e.getClass().getSimpleName());
      return;
    }
    engine = new Engine(compiled, db, files, code, values, limits, settings.sqlAnswers());
    usage = new UsageCounters(db);
    io.micrometer.core.instrument.FunctionCounter.builder("codestore.sql.statements", db, Db::statements)
        .description("SQL statements sent to the instance database").register(meters);
    long every = settings.usageFlushInterval().toMillis();
    background.scheduleWithFixedDelay(this::flushUsage, every, every, TimeUnit.MILLISECONDS);
    if (files.enabled()) {
      background.scheduleWithFixedDelay(this::sweepUploads, 1, 10, TimeUnit.MINUTES);
    }
    phases.done("engine");
    state = State.READY;
    message = "serving schema " + compiled.hash();
    LOG.infof("ready: schema %s, %d models, storage %s; %s", compiled.hash(), compiled.models().size(),
        files.enabled() ? "on" : "off", phases);
  }

  /**
   * API keys from CODESTORE_API_KEYS_FILE, tokens from the CODESTORE_JWT_* settings; a JWT setting without the
   * others it needs is refused with what is missing (the instance stays unready and says so).
   */
  static Authenticator authenticator(RuntimeSettings settings, Clock clock) throws IOException {
    Optional<ApiKeys> keys = settings.apiKeysFile().map(f -> new ApiKeys(Path.of(f), clock));
    RuntimeSettings.Jwt jwt = settings.jwt();
    boolean anyJwt = jwt.issuer().isPresent() || jwt.audience().isPresent() || jwt.jwksUrl().isPresent()
        || jwt.jwksFile().isPresent();
    Optional<Tokens> tokens = Optional.empty();
    if (anyJwt) {
      List<String> missing = new ArrayList<>();
      if (jwt.issuer().isEmpty()) {
        missing.add("CODESTORE_JWT_ISSUER");
      }
      if (jwt.audience().isEmpty() || jwt.audience().get().isEmpty()) {
        missing.add("CODESTORE_JWT_AUDIENCE");
      }
      if (jwt.jwksUrl().isEmpty() && jwt.jwksFile().isEmpty()) {
        missing.add("CODESTORE_JWT_JWKS_URL or CODESTORE_JWT_JWKS_FILE");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("tokens are configured in part: set " + String.join(", ", missing));
      }
      tokens = Optional.of(new Tokens(new Tokens.Settings(jwt.issuer().get(), jwt.audience().get(), jwt.jwksUrl(),
          jwt.jwksFile().map(Path::of), jwt.groupsClaim()), clock));
    }
    LOG.infof("callers: %s, %s", keys.map(k -> k.size() + " API keys from " + settings.apiKeysFile().get())
        .orElse("no API keys"), tokens.isPresent() ? "tokens of " + jwt.issuer().get() : "no tokens");
    return new Authenticator(keys, tokens);
  }

  static Optional<RateLimits> rateLimits(RuntimeSettings settings) {
    Optional<Integer> rps = settings.rateLimit().requestsPerSecond();
    if (rps.isEmpty()) {
      return Optional.empty();
    }
    int burst = settings.rateLimit().burst().orElse(rps.get());
    if (rps.get() < 1 || burst < 1) {
      throw new IllegalArgumentException("CODESTORE_RATE_LIMIT_REQUESTS_PER_SECOND and _BURST must be at least 1, not "
          + rps.get() + " and " + burst);
    }
    LOG.infof("rate limit: %d requests a second per caller, bursts of %d", rps.get(), burst);
    return Optional.of(new RateLimits(new RateLimits.Limit(rps.get(), burst), TimeMeter.SYSTEM_NANOTIME));
  }

  private void fail(String why) {
    state = State.FAILED;
    message = why;
    LOG.error(why);
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void flushUsage() {
    UsageCounters u = usage;
    if (u == null) {
      return;
    }
    try {
      u.flush();
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("usage counters not flushed, kept for the next try: %s", e.getMessage());
    }
  }

  /** Uploads never claimed are deleted an hour after their URL expired (a few hundred per pass). */
  void sweepUploads() {
    try (Connection c = dataSource.getConnection()) {
      int gone = files.sweepUnclaimed(c, 500);
      if (gone > 0) {
        LOG.infof("deleted %d uploads that were never claimed", gone);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warnf("unclaimed uploads not swept, trying again later: %s", e.getMessage());
    }
  }

  private MakerCode startMakerCode() {
    try {
      return MakerCode.start(new MakerCode.Settings(settings.codeUrl().map(java.net.URI::create), Path.of(settings.codeDir()),
          settings.codeCallbackPort(), settings.codeTimeout(), Path.of(settings.codeHostJar()), settings.codeGrace(),
          settings.codeMemory()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private store.code.runtime.files.Files storage() {
    var s3 = settings.s3();
    var config = ConfigProvider.getConfig();
    Optional<String> key = config.getOptionalValue("aws.access-key-id", String.class);
    Optional<String> secret = config.getOptionalValue("aws.secret-access-key", String.class);
    if (s3.endpoint().isEmpty() || s3.bucket().isEmpty() || key.isEmpty() || secret.isEmpty()) {
      return store.code.runtime.files.Files.disabled();
    }
    return store.code.runtime.files.Files.of(new store.code.runtime.files.Files.Settings(
        s3.endpoint().get(), s3.region(), s3.bucket().get(), key.get(), secret.get()), settings.maxUploadBytes());
  }

  /** The Service version, from the schema ConfigMap's {@code version} key next to the schema file. */
  private String version() {
    Path file = Path.of(settings.schemaPath()).resolveSibling("version");
    try {
      return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  public State state() {
    return state;
  }

  public String message() {
    return message;
  }

  public Engine engine() {
    return engine;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public Optional<RateLimits> rateLimits() {
    return rateLimits;
  }

  public UsageCounters usage() {
    return usage;
  }

  public store.code.runtime.files.Files files() {
    return files;
  }

  public String schemaHash() {
    return schemaHash;
  }
}
