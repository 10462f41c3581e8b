package store.code.api.v1alpha1;

/** What happens to an instance's namespace, database and bucket when the instance goes away. */
public enum DeletionPolicy {
  /** Keep namespace, database and bucket; scale the runtime to zero. The default: data is never lost by accident. */
  Retain,
  /** Remove the namespace and the external database and bucket. */
  Delete
}
