package store.code.operator.instance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import store.code.api.Reasons;

/**
 * Why a runtime is not ready, in words a person can act on, when its Deployment only says "0/1 ready": a container
 * that cannot start (image not found, crash loop, bad config), or what the runtime itself reports on its readiness
 * endpoint (waiting for the database, a schema change refused because it would lose data). Best effort: when the pods
 * or their addresses cannot be reached (an operator outside the cluster), there is simply no diagnosis.
 */
final class RuntimeDiagnosis {

  record Finding(String reason, String message) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  RuntimeDiagnosis(KubernetesClient client) {
    this.client = client;
  }

  Optional<Finding> diagnose(Target t) {
    List<Pod> pods;
    try {
      pods = client.pods().inNamespace(t.namespace()).withLabels(t.runtimeSelector()).list().getItems();
    } catch (KubernetesClientException e) {
      return Optional.empty();
    }
    // the newest pod is the one of the current template
    Optional<Pod> newest = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    Pod pod = newest.get();
    Optional<Finding> container = containerProblem(pod);
    if (container.isPresent()) {
      return container;
    }
    return readinessReport(pod);
  }

  /** A container waiting for a reason other than starting normally: the image, the config, a crash loop. */
  static Optional<Finding> containerProblem(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> statuses = new java.util.ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    for (ContainerStatus s : statuses) {
      var waiting = s.getState() == null ? null : s.getState().getWaiting();
      if (waiting != null && waiting.getReason() != null && !waiting.getReason().equals("ContainerCreating")
          && !waiting.getReason().equals("PodInitializing")) {
        return Optional.of(new Finding("Runtime" + waiting.getReason(), "pod " + pod.getMetadata().getName()
            + ", container " + s.getName() + ": " + waiting.getReason()
            + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage())));
      }
    }
    return Optional.empty();
  }

  /** What the runtime says on /q/health/ready (its check "instance" carries the state and the reason). */
  private Optional<Finding> readinessReport(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isBlank()) {
      return Optional.empty();
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + RuntimeManifests.MANAGEMENT_PORT
          + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return fromReadiness(r.body());
    } catch (java.io.IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Parses the runtime's readiness answer; a refused migration is SchemaChangeRefused, anything else RuntimeNotReady. */
  static Optional<Finding> fromReadiness(String body) {
    try {
      for (JsonNode check : JSON.readTree(body).path("checks")) {
        if (check.path("name").asText().equals("instance") && !check.path("status").asText().equals("UP")) {
          String state = check.path("data").path("state").asText();
          String message = check.path("data").path("message").asText();
          String reason = message.contains("would lose data") ? Reasons.SCHEMA_CHANGE_REFUSED
              : state.equals("FAILED") ? Reasons.RUNTIME_FAILED : Reasons.RUNTIME_STARTING;
          return Optional.of(new Finding(reason, "the runtime reports: " + message));
        }
      }
    } catch (java.io.IOException e) {
      // not our runtime's answer
    }
    return Optional.empty();
  }
}
