package store.code.api;

/**
 * The reasons of conditions and Warning Events that ask something of a person or say what is awaited: one home for the
 * operator that writes them, the tests that read them, and docs/operator.md, whose table lists every one of them
 * ({@code ReasonsDocumentedTest} keeps the two in step).
 */
public final class Reasons {
  private Reasons() {}

  // ServiceInstance conditions: each needs a person or says what it waits for (docs/operator.md, "Conditions and what to do")
  public static final String PROJECT_NOT_FOUND = "ProjectNotFound";
  public static final String DATABASE_NOT_CONFINED = "DatabaseNotConfined";
  public static final String SERVICE_NOT_FOUND = "ServiceNotFound";
  public static final String SERVICE_NOT_SHARED = "ServiceNotShared";
  public static final String SCHEMA_INVALID = "SchemaInvalid";
  public static final String SCHEMA_NOT_PUBLISHED = "SchemaNotPublished";
  public static final String NO_MATCHING_REVISION = "NoMatchingRevision";
  public static final String INVALID_VERSION_RANGE = "InvalidVersionRange";
  public static final String NAMESPACE_CONFLICT = "NamespaceConflict";
  public static final String NAMESPACE_TERMINATING = "NamespaceTerminating";
  public static final String PROVIDER_NOT_INSTALLED = "ProviderNotInstalled";
  public static final String PROVIDER_MISCONFIGURED = "ProviderMisconfigured";
  public static final String DATABASE_UNREACHABLE = "DatabaseUnreachable";
  public static final String STORAGE_UNREACHABLE = "StorageUnreachable";
  public static final String DATABASE_PROVISIONING = "DatabaseProvisioning";
  public static final String BUCKET_PENDING = "BucketPending";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  public static final String SCHEMA_CHANGE_REFUSED = "SchemaChangeRefused";
  public static final String RUNTIME_STARTING = "RuntimeStarting";
  public static final String RUNTIME_FAILED = "RuntimeFailed";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_NOT_FOUND = "SecretKeyNotFound";
  public static final String WAITING_FOR_DEPENDENCIES = "WaitingForDependencies";
  public static final String RECONCILE_ERROR = "ReconcileError";

  // Service conditions (SchemaCompatible, Ready)
  public static final String BREAKING_CHANGE = "BreakingChange";
  public static final String VERSION_ALREADY_PUBLISHED = "VersionAlreadyPublished";

  // Project condition
  public static final String INVALID_SPEC = "InvalidSpec";

  // Warning Events on an instance
  public static final String USAGE_READING_REFUSED = "UsageReadingRefused";
  public static final String USAGE_COUNTER_WENT_BACK = "UsageCounterWentBack";
  public static final String USAGE_COUNTERS_RESTARTED = "UsageCountersRestarted";
  public static final String CLEANUP_FAILED = "CleanupFailed";
  public static final String CLEANUP_ABANDONED = "CleanupAbandoned";
  public static final String RETAINED = "Retained";
}
