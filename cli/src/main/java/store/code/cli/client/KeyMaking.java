package store.code.cli.client;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.v1alpha1.ApiKey;
import store.code.cli.UserError;

/**
 * Making a project API key from the command line: the ApiKey is created, then the operator makes the key and writes it
 * once into a Secret of the key's name, owned by the ApiKey; what {@code keys create} and {@code query} wait for.
 */
final class KeyMaking {
  /** How long the operator may take to write the key. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private KeyMaking() {}

  /** Creates {@code key} and answers its Secret once the operator has written it. */
  static Secret create(KubernetesClient client, ApiKey key) {
    ApiKey made = client.resource(key).create();
    String namespace = made.getMetadata().getNamespace();
    String name = made.getMetadata().getName();
    String uid = made.getMetadata().getUid();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s != null && s.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()))) {
        return s;
      }
      pause();
    }
    throw new UserError("ApiKey " + name + " was made, but no key was written into its Secret within "
        + WAIT.toSeconds() + " s: is the code.store operator running? (kubectl describe cskey " + name + " -n "
        + namespace + ")");
  }

  /** {@code <prefix>-<six random hex digits>}: a name no one chose, for a key that needs none. */
  static String randomName(String prefix) {
    byte[] random = new byte[3];
    new java.security.SecureRandom().nextBytes(random);
    return prefix + "-" + java.util.HexFormat.of().formatHex(random);
  }

  static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }
}
