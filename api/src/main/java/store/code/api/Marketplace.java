package store.code.api;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.Visibility;

/**
 * The visibility rule for cross-namespace reuse of a Service (the operator enforces it, the CLI and the console list
 * by it), and how a price is shown to those who may reuse it.
 */
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

  /** As the maker wrote it (the same decimals the UsageReport bills): "2.00 EUR/month + 1.00 EUR/1M requests". */
  public static String price(Pricing p) {
    if (p == null) {
      return "free";
    }
    String c = p.getCurrency() == null ? "" : " " + p.getCurrency();
    StringBuilder s = new StringBuilder();
    if (p.getMonthlyFee() != null) {
      s.append(p.getMonthlyFee()).append(c).append("/month");
    }
    if (p.getPerMillionRequests() != null) {
      s.append(s.length() > 0 ? " + " : "").append(p.getPerMillionRequests()).append(c).append("/1M requests");
    }
    if (p.getPerGiBMonth() != null) {
      s.append(s.length() > 0 ? " + " : "").append(p.getPerGiBMonth()).append(c).append("/GiB-month");
    }
    return s.length() == 0 ? "free" : s.toString();
  }
}
