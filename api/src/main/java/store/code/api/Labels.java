package store.code.api;

/**
 * Label and annotation keys the platform puts on what it provisions. Namespaces are cluster-scoped
 * and cannot carry an owner reference to a namespaced ServiceInstance, so every provisioned object
 * is mapped back to its instance through these keys.
 */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "codestore-operator";
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;
  /** On an instance's runtime pods (with {@link #INSTANCE}): what `codestore logs` reads. */
  public static final String APP_NAME = "app.kubernetes.io/name";
  public static final String RUNTIME_APP = "codestore-runtime";

  /** {@code <namespace>.<name>} of the owning ServiceInstance (shortened with a hash past 63 chars). */
  public static final String INSTANCE = "code.store/instance";
  /** Exact owning instance; label values are limited to 63 characters, annotations are not. */
  public static final String INSTANCE_NAMESPACE_ANNOTATION = "code.store/instance-namespace";
  public static final String INSTANCE_NAME_ANNOTATION = "code.store/instance-name";

  public static final String PROJECT = "code.store/project";
  public static final String SERVICE = "code.store/service";
  public static final String ENVIRONMENT = "code.store/environment";
  /** Set on a namespace kept after its instance was deleted with deletionPolicy Retain. */
  public static final String RETAINED = "code.store/retained";
  /** Marks a Service whose visibility is Public, so `kubectl get services.code.store -A -l code.store/public=true` lists the marketplace. */
  public static final String PUBLIC = "code.store/public";
  /**
   * On a RoleBinding of a project's namespace, {@code "true"}: its subjects may read the logs of that namespace's
   * instances and query them through the API server, as those bound to {@code admin} or {@code edit} there may.
   */
  public static final String INSTANCE_ACCESS = "code.store/instance-access";
  /** Hash of the desired state last applied to an object; equal hash means nothing to write. */
  public static final String APPLIED_HASH_ANNOTATION = "code.store/applied-hash";
  /** Schema hash on the runtime pod template: a schema change rolls the pods. */
  public static final String SCHEMA_HASH_ANNOTATION = "code.store/schema-hash";

  private Labels() {}
}
