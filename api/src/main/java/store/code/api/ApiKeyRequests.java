package store.code.api;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.v1alpha1.ApiKey;

/**
 * Asking for a project API key with a person's own client (CLI, console): the ApiKey is created, then the operator
 * makes the key and writes it once into a Secret of the key's name, owned by the ApiKey; this waits for that Secret.
 */
public final class ApiKeyRequests {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyRequests() {}

  /** {@code <prefix>-<six random hex digits>}: a name no one chose, for a key that needs none. */
  public static String randomName(String prefix) {
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return prefix + "-" + HexFormat.of().formatHex(random);
  }

  /** Creates {@code key} and answers its Secret once the operator has written it; empty after {@code wait}. */
  public static Optional<Secret> create(KubernetesClient client, ApiKey key, Duration wait) {
    ApiKey made = client.resource(key).create();
    String namespace = made.getMetadata().getNamespace();
    String name = made.getMetadata().getName();
    String uid = made.getMetadata().getUid();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s != null && s.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()))) {
        return Optional.of(s);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
