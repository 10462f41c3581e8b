package store.code.runtime.app;

import java.time.Duration;
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

  @WithDefault("/code")
  String codeDir();

  S3 s3();

  /** A statement running longer is cancelled and the field answers TIMEOUT. */
  @WithDefault("10s")
  Duration statementTimeout();

  /** How often request counters are added to the stored totals; a SIGKILL loses at most this much counting. */
  @WithDefault("5s")
  Duration usageFlushInterval();

  @WithDefault("12")
  int maxDepth();

  @WithDefault("20000")
  int maxComplexity();

  @WithDefault("15000")
  int maxTokens();

  interface S3 {
    Optional<String> endpoint();

    @WithDefault("us-east-1")
    String region();

    Optional<String> bucket();
  }
}
