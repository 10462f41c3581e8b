package store.code.operator.billing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;

import store.code.api.v1alpha1.ServiceInstance;

/** Where an instance's cumulative usage is read from: its runtime's {@code GET /usage}. */
public interface UsageSource {

  /** The runtime's durable counters and measured sizes. */
  record Usage(long requests, long errors, long databaseBytes, long bucketBytes) {}

  /** Empty when the runtime cannot be reached now (the next pass tries again; nothing is lost, the counters are cumulative). */
  Optional<Usage> read(ServiceInstance instance);

  static Optional<Usage> parse(String json) {
    try {
      JsonNode n = new ObjectMapper().readTree(json);
      if (!n.has("requests")) {
        return Optional.empty();
      }
      return Optional.of(new Usage(n.path("requests").asLong(), n.path("errors").asLong(), n.path("databaseBytes").asLong(),
          n.path("bucketBytes").asLong()));
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  /** Through the runtime Service's cluster IP (works wherever the operator runs in the cluster, without DNS). */
  static UsageSource http(KubernetesClient client) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return instance -> {
      String ns = instance.getStatus() == null ? null : instance.getStatus().getTargetNamespace();
      if (ns == null) {
        return Optional.empty();
      }
      var svc = client.services().inNamespace(ns).withName("runtime").get();
      if (svc == null || svc.getSpec().getClusterIP() == null) {
        return Optional.empty();
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + svc.getSpec().getClusterIP()
            + ":8080/usage")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? parse(r.body()) : Optional.empty();
      } catch (java.io.IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    };
  }
}
