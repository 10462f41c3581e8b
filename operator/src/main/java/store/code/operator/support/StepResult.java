package store.code.operator.support;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import store.code.api.Conditions;

/**
 * The outcome of one provisioning step, as observed: ready or not, why, and what a person can do; and the network
 * endpoints the runtime must reach for what this step provided (its database, its bucket), so the runtime's egress
 * policy can admit exactly them.
 */
public record StepResult(boolean ready, String reason, String message, List<Endpoint> endpoints) {

  /** A host (a name or an IP address) and TCP port the runtime connects to. */
  public record Endpoint(String host, int port) {
    /** The host and port of a URL, the scheme's default port when it names none. */
    public static Endpoint of(java.net.URI url) {
      return new Endpoint(url.getHost(), url.getPort() > 0 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443);
    }
  }

  public static StepResult ready(String reason, String message) {
    return new StepResult(true, reason, message, List.of());
  }

  public static StepResult waiting(String reason, String message) {
    return new StepResult(false, reason, message, List.of());
  }

  /** The same outcome, and the runtime connects to {@code host:port} for it. */
  public StepResult reaching(String host, int port) {
    List<Endpoint> all = new ArrayList<>(endpoints);
    all.add(new Endpoint(host, port));
    return new StepResult(ready, reason, message, List.copyOf(all));
  }

  public Condition toCondition(String type, Long generation) {
    return Conditions.of(type, ready, reason, message, generation);
  }
}
