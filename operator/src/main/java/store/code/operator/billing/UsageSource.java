package store.code.operator.billing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.KubernetesClient;

import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.instance.RuntimeManifests;

/**
 * Where an instance's cumulative usage is read from: its runtime's {@code GET /usage}. What a runtime answers is not
 * trusted: an answer larger than {@link #MAX_ANSWER_BYTES}, or one whose values cannot be true, is {@link Refused}
 * with a sentence saying what was wrong, and nothing of it is billed.
 */
public interface UsageSource {

  /** A runtime's answer is a few dozen bytes; more is not read. */
  int MAX_ANSWER_BYTES = 4096;

  /** The runtime's durable counters (of its counter epoch) and measured sizes. */
  record Usage(String epoch, long requests, long errors, long databaseBytes, long bucketBytes) {}

  /** What reading an instance gave. */
  sealed interface Answer permits Read, Unreachable, Refused {}

  record Read(Usage usage) implements Answer {}

  /** No answer now (not running, not ready, timed out): the next pass tries again; counters are cumulative. */
  record Unreachable(String why) implements Answer {}

  /** An answer that is not a usage reading: too large, not JSON, a value missing, negative or not an integer. */
  record Refused(String why) implements Answer {}

  Answer read(ServiceInstance instance);

  /** The answer of {@code GET /usage}, checked: counters and sizes are integers from 0, the epoch a short string. */
  static Answer parse(String json) {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return new Refused("the answer is not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      return new Refused("the answer is not a JSON object");
    }
    long[] values = new long[4];
    String[] names = {"requests", "errors", "databaseBytes", "bucketBytes"};
    for (int i = 0; i < names.length; i++) {
      JsonNode v = n.get(names[i]);
      boolean required = i < 2;
      if (v == null || v.isNull()) {
        if (required) {
          return new Refused("\"" + names[i] + "\" is missing");
        }
        continue;
      }
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        return new Refused("\"" + names[i] + "\" is " + v + ": not an integer");
      }
      if (v.asLong() < 0) {
        return new Refused("\"" + names[i] + "\" is " + v.asLong() + ": a counter or size is never negative");
      }
      values[i] = v.asLong();
    }
    JsonNode epoch = n.get("epoch");
    if (epoch != null && !epoch.isNull() && (!epoch.isTextual() || epoch.asText().isBlank() || epoch.asText().length() > 64)) {
      return new Refused("\"epoch\" is " + epoch + ": not a string of 1 to 64 characters");
    }
    return new Read(new Usage(epoch == null || epoch.isNull() ? null : epoch.asText(), values[0], values[1], values[2],
        values[3]));
  }

  /**
   * Through the runtime Service's cluster IP, on its management port (works wherever the operator runs in the cluster,
   * without DNS).
   */
  static UsageSource http(KubernetesClient client) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return instance -> {
      String ns = instance.getStatus() == null ? null : instance.getStatus().getTargetNamespace();
      if (ns == null) {
        return new Unreachable("no namespace yet");
      }
      var svc = client.services().inNamespace(ns).withName("runtime").get();
      if (svc == null || svc.getSpec().getClusterIP() == null) {
        return new Unreachable("no runtime Service in " + ns);
      }
      return get(http, URI.create("http://" + svc.getSpec().getClusterIP() + ":" + RuntimeManifests.MANAGEMENT_PORT + "/usage"));
    };
  }

  /** {@code GET url}, reading at most {@link #MAX_ANSWER_BYTES} of the answer. */
  static Answer get(HttpClient http, URI url) {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = r.body()) {
        if (r.statusCode() != 200) {
          return new Unreachable(url + " answered " + r.statusCode());
        }
        byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
        if (bytes.length > MAX_ANSWER_BYTES) {
          return new Refused("the answer of " + url + " is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        return parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      return new Unreachable(url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unreachable("interrupted");
    }
  }
}
