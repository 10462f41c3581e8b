package store.code.operator.instance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.SecretData;

/**
 * Asks an instance's running runtime what a migration to another schema would do against its database: {@code POST
 * /migration/dry-run} on a ready pod's management port, with the instance's push token. Empty when no pod is ready
 * to ask (a new or scaled-down instance), or when none answers (then the runtime's own start-up migration decides,
 * as before dry runs existed).
 */
public interface MigrationDryRuns {

  /** What the runtime answered: its plan, run and rolled back. */
  record Plan(List<String> statements, List<String> refused) {}

  Optional<Plan> dryRun(Target t, String sdl);

  /** Over HTTP to the instance's pods (what the operator uses in a cluster). */
  static MigrationDryRuns http(KubernetesClient client) {
    return new OverHttp(client);
  }

  final class OverHttp implements MigrationDryRuns {
    private static final Logger LOG = Logger.getLogger(MigrationDryRuns.class);
    /** The runtime gives a statement 30 s; a few more for the plan and the answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    OverHttp(KubernetesClient client) {
      this.client = client;
    }

    @Override
    public Optional<Plan> dryRun(Target t, String sdl) {
      Secret keys = client.secrets().inNamespace(t.namespace()).withName(RuntimeManifests.KEYS_SECRET).get();
      String token = keys == null ? null : SecretData.decode(keys).get(RuntimeManifests.PUSH_TOKEN);
      Optional<Pod> pod = client.pods().inNamespace(t.namespace()).withLabels(t.runtimeSelector()).list().getItems()
          .stream().filter(OverHttp::ready).findFirst();
      if (token == null || pod.isEmpty()) {
        return Optional.empty();
      }
      URI uri = URI.create("http://" + pod.get().getStatus().getPodIP() + ":" + RuntimeManifests.MANAGEMENT_PORT
          + "/migration/dry-run");
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(sdl)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          LOG.infof("no migration dry run for %s: HTTP %d %s", t.namespace(), r.statusCode(), r.body());
          return Optional.empty();
        }
        JsonNode plan = JSON.readTree(r.body());
        return Optional.of(new Plan(strings(plan.path("statements")), strings(plan.path("refused"))));
      } catch (java.io.IOException e) {
        LOG.infof("no migration dry run for %s: %s", t.namespace(), e.getMessage());
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }

    private static List<String> strings(JsonNode array) {
      List<String> out = new java.util.ArrayList<>();
      array.forEach(n -> out.add(n.asText()));
      return out;
    }

    private static boolean ready(Pod p) {
      return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getPodIP() != null
          && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
  }
}
