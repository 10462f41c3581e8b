package store.code.api;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Visibility;

/** The visibility rule for cross-namespace reuse of a Service: the operator enforces it, the CLI lists by it. */
public final class Marketplace {
  private Marketplace() {}

  /** Whether a project in {@code clientNamespace} may reuse {@code service}. */
  public static boolean admits(CodeService service, String clientNamespace) {
    if (clientNamespace.equals(service.getMetadata().getNamespace())) {
      return true;
    }
    Visibility v = service.getSpec().getVisibility() == null ? Visibility.Private : service.getSpec().getVisibility();
    return switch (v) {
      case Public -> true;
      case Shared -> service.getSpec().getSharedWith() != null && service.getSpec().getSharedWith().contains(clientNamespace);
      case Private -> false;
    };
  }
}
