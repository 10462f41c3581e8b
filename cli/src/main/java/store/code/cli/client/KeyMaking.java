package store.code.cli.client;

import java.time.Duration;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.ApiKeyRequests;
import store.code.api.v1alpha1.ApiKey;
import store.code.cli.UserError;

/**
 * Making a project API key from the command line ({@link ApiKeyRequests}, shared with the console): what
 * {@code keys create} and {@code query} wait for, with the error a user needs when the operator does not answer.
 */
final class KeyMaking {
  /** How long the operator may take to write the key. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private KeyMaking() {}

  /** Creates {@code key} and answers its Secret once the operator has written it. */
  static Secret create(KubernetesClient client, ApiKey key) {
    return ApiKeyRequests.create(client, key, WAIT).orElseThrow(() -> new UserError("ApiKey "
        + key.getMetadata().getName() + " was made, but no key was written into its Secret within " + WAIT.toSeconds()
        + " s: is the code.store operator running? (kubectl describe cskey " + key.getMetadata().getName() + " -n "
        + key.getMetadata().getNamespace() + ")"));
  }

  static String randomName(String prefix) {
    return ApiKeyRequests.randomName(prefix);
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
