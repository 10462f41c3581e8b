package store.code.api.v1alpha1;

public enum Phase {
  /** Waiting for something outside the instance (its Service, a valid schema). */
  Pending,
  /** Objects are being created or are not ready yet. */
  Provisioning,
  Ready,
  /** A problem a person must fix; the Ready condition says what. */
  Failed,
  Deleting
}
