package store.code.api.v1alpha1;

/** Who may reuse a Service from another namespace. The maker's own namespace always may. */
public enum Visibility {
  /** Only projects in the Service's own namespace. */
  Private,
  /** Any namespace. */
  Public,
  /** The Service's namespace and the namespaces listed in {@code sharedWith}. */
  Shared
}
