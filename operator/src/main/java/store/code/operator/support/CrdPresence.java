package store.code.operator.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Whether an optional provider's CRD (CNPG, ObjectBucketClaim) is installed. Absence is a condition
 * on the instance, not a crash; the answer is cached briefly and re-checked, so installing the
 * provider later is picked up without restarting the operator.
 */
public final class CrdPresence {
  private static final Duration TTL = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Instant> presentUntil = new ConcurrentHashMap<>();
  private final Map<String, Instant> absentUntil = new ConcurrentHashMap<>();

  public CrdPresence(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public boolean isInstalled(String crdName) {
    Instant now = clock.instant();
    if (presentUntil.getOrDefault(crdName, Instant.MIN).isAfter(now)) {
      return true;
    }
    if (absentUntil.getOrDefault(crdName, Instant.MIN).isAfter(now)) {
      return false;
    }
    boolean present = client.apiextensions().v1().customResourceDefinitions().withName(crdName).get() != null;
    (present ? presentUntil : absentUntil).put(crdName, now.plus(TTL));
    (present ? absentUntil : presentUntil).remove(crdName);
    return present;
  }
}
