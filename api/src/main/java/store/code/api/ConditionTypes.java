package store.code.api;

/**
 * The condition types of code.store resources, one home for the operator that writes them and the tests and tools
 * that read them (docs/operator.md, "Conditions and what to do", lists their reasons).
 */
public final class ConditionTypes {
  private ConditionTypes() {}

  /** The conjunction of a resource's other conditions; its reason is the first that is not true. */
  public static final String READY = "Ready";

  /**
   * kstatus's (Flux, kubectl wait --for=condition): true while the operator works toward Ready by itself, false once
   * it is Ready or stuck.
   */
  public static final String RECONCILING = "Reconciling";
  /** kstatus's: true when the resource cannot get Ready without a person (the Ready reason says what to fix). */
  public static final String STALLED = "Stalled";

  // ServiceInstance, in provisioning order
  public static final String NAMESPACE_READY = "NamespaceReady";
  public static final String SCHEMA_VALID = "SchemaValid";
  public static final String DATABASE_READY = "DatabaseReady";
  public static final String STORAGE_READY = "StorageReady";
  /** The Secrets the project hands the instance, copied into its namespace. */
  public static final String SECRETS_READY = "SecretsReady";
  public static final String RUNTIME_READY = "RuntimeReady";

  // Service (SchemaValid too)
  public static final String SCHEMA_COMPATIBLE = "SchemaCompatible";
}
