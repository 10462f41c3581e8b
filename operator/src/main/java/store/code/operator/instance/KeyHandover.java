package store.code.operator.instance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Hands an instance's changed key hashes to its running pods at once ({@code PUT /keys} on their management port,
 * with the instance's push token). The Secret {@code api-keys} stays the record, and the kubelet brings it into the
 * pods on its next sync (about a minute): this only makes a revoked key stop working in a second or two. A pod that
 * cannot be reached is not retried; it gets the Secret's lines from the kubelet, and new pods start with them.
 */
final class KeyHandover {

  private static final Logger LOG = Logger.getLogger(KeyHandover.class);

  private final KubernetesClient client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  KeyHandover(KubernetesClient client) {
    this.client = client;
  }

  void handOver(Target t, String lines, String pushToken) {
    for (Pod pod : client.pods().inNamespace(t.namespace()).withLabels(t.runtimeSelector()).list().getItems()) {
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (ip == null || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      HttpRequest put = HttpRequest.newBuilder(URI.create("http://" + ip + ":" + RuntimeManifests.MANAGEMENT_PORT + "/keys"))
          .timeout(Duration.ofSeconds(3)).header("Authorization", "Bearer " + pushToken)
          .PUT(HttpRequest.BodyPublishers.ofString(lines)).build();
      http.sendAsync(put, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        if (e != null || r.statusCode() != 204) {
          LOG.debugf("key hashes not handed to pod %s/%s (%s); it gets them at the kubelet's next sync", t.namespace(),
              pod.getMetadata().getName(), e != null ? e.getMessage() : "HTTP " + r.statusCode());
        }
      });
    }
  }
}
