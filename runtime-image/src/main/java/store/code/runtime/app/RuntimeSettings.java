package store.code.runtime.app;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The runtime's inputs (runtime-image/README.md): every key can be set as an environment variable, e.g.
 * {@code codestore.schema-path} as {@code CODESTORE_SCHEMA_PATH}. The database keys are read by the datasource
 * (application.properties).
 */
@ConfigMapping(prefix = "codestore")
public interface RuntimeSettings {

  @WithDefault("/etc/codestore/schema.graphql")
  String schemaPath();

  /** The maker's jars, run in a child process when {@link #codeUrl()} is not set (a workstation, tests). */
  @WithDefault("/code")
  String codeDir();

  /** The maker-code host of the pod's {@code code} container (http://127.0.0.1:8090); jars are then not read here. */
  Optional<String> codeUrl();

  /** Where the host's handlers call back, on 127.0.0.1 (the pod's loopback interface). */
  @WithDefault("8091")
  int codeCallbackPort();

  /** One call of a handler ({@code Service.spec.limits.codeTimeout}); past it the field answers TIMEOUT. */
  @WithDefault("10s")
  Duration codeTimeout();

  /** A child-process host: the executable jar, its heap, and how long past a deadline a hung handler may run. */
  @WithDefault("/deployments/code-host/codestore-code-host.jar")
  String codeHostJar();

  @WithDefault("256m")
  String codeMemory();

  @WithDefault("5s")
  Duration codeGrace();

  S3 s3();

  /** The project's Secrets for this instance, a file per key (CODESTORE_SECRETS_PATH); none when unset. */
  Optional<String> secretsPath();

  /**
   * Query fields whose whole selection Postgres can render are answered by it, bytes straight into the response
   * (docs/runtime.md, "Answers Postgres writes"); false runs every field graphql-java's way (the same bytes, slower:
   * for comparing, or ruling it out).
   */
  @WithDefault("true")
  boolean sqlAnswers();

  /** A statement running longer is cancelled and the field answers TIMEOUT. */
  @WithDefault("10s")
  Duration statementTimeout();

  /** How often request counters are added to the stored totals; a SIGKILL loses at most this much counting. */
  @WithDefault("5s")
  Duration usageFlushInterval();

  /** The API keys this instance accepts: lines {@code <keyId> <sha256-hex of the key>} (CODESTORE_API_KEYS_FILE). */
  Optional<String> apiKeysFile();

  /** The token the operator hands over key hashes with (default: {@code push-token} beside the keys file). */
  Optional<String> apiKeysPushTokenFile();

  /** Tokens from the project's identity provider (CODESTORE_JWT_*); none accepted when no issuer is set. */
  Jwt jwt();

  /** Per-caller rate limit (the Service's spec.limits); none when unset. */
  RateLimit rateLimit();

  @WithDefault("12")
  int maxDepth();

  /** About the number of values an answer may hold: fields, times the rows a list or connection may return. */
  @WithDefault("1000000")
  long maxComplexity();

  @WithDefault("15000")
  int maxTokens();

  /** Root fields of one operation (each is a statement or a maker-code call), aliases included. */
  @WithDefault("20")
  int maxRootFields();

  /** Aliases in one document. */
  @WithDefault("20")
  int maxAliases();

  /** The whole request; past it the fields not yet run answer REQUEST_TIMEOUT. */
  @WithDefault("15s")
  Duration requestTimeout();

  /** Bytes of one uploaded file; a bigger one is refused (and deleted) when a row claims it. */
  @WithDefault("104857600")
  long maxUploadBytes();

  /** Bytes of one response; a longer one is answered RESPONSE_TOO_LARGE alone. */
  @WithDefault("10485760")
  long maxResponseBytes();

  interface RateLimit {
    /** CODESTORE_RATE_LIMIT_REQUESTS_PER_SECOND */
    Optional<Integer> requestsPerSecond();

    /** CODESTORE_RATE_LIMIT_BURST (default: requestsPerSecond) */
    Optional<Integer> burst();
  }

  interface Jwt {
    Optional<String> issuer();

    /** Comma-separated: a token must be for one of them. */
    Optional<List<String>> audience();

    Optional<String> jwksUrl();

    Optional<String> jwksFile();

    @WithDefault("groups")
    String groupsClaim();
  }

  interface S3 {
    Optional<String> endpoint();

    @WithDefault("us-east-1")
    String region();

    Optional<String> bucket();
  }
}
