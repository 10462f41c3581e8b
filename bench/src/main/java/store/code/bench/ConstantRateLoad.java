package store.code.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Recorder;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Open-model, constant-rate load: request i is sent at {@code start + i / rate} whether or not earlier ones have been
 * answered, and its latency is measured from that intended instant, so a server that falls behind shows it in the
 * percentiles instead of slowing the load down (no coordinated omission). Every answer is compared with the expected
 * one. autocannon, the first choice, releases each second's quota of a rate-limited connection as a burst: against
 * one server at 25 requests/s its p50 was 0.66 ms on 1 connection and 6.96 ms on 32, which measures the bursts.
 */
final class ConstantRateLoad {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The Authorization header every request carries (our runtime's API key), or null for none (PostGraphile). */
  private final String authorization;

  ConstantRateLoad(String authorization) {
    this.authorization = authorization;
  }

  /** What one step measured; latencies in ms. */
  record Step(int rate, double achieved, double p50, double p95, double p99, double max, long failed, String firstFailure) {
    /** Kept the rate (within 5 %), answered everything as expected, and p95 under the target. */
    boolean keeps(double p95TargetMs) {
      return failed == 0 && achieved >= rate * 0.95 && p95 < p95TargetMs;
    }
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * Sends {@code body} to {@code url} at {@code rate}/s for {@code seconds}, then waits for the answers (up to 10 s).
   * {@code expected}: the answer every response must equal, or null (mutations) for any 200 without errors.
   */
  Step run(String url, String body, String expected, int rate, int seconds) throws InterruptedException {
    HttpRequest request = post(url, body, authorization);
    Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong failed = new AtomicLong();
    java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
    HttpClient http = newClient(); // this step's connections only: none left idle by an earlier step
    long total = (long) rate * seconds;
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long intended = start + i * interval;
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((r, error) -> {
        latencies.recordValue(Math.max(0, System.nanoTime() - intended));
        String failure = error != null ? error.toString()
            : r.statusCode() != 200 ? "HTTP " + r.statusCode() + ": " + r.body()
            : expected != null ? (expected.equals(r.body()) ? null : "unexpected answer: " + r.body())
            : r.body().contains("\"errors\"") ? r.body() : null;
        if (failure != null) {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, failure.length() > 500 ? failure.substring(0, 500) + "..." : failure);
        }
        return null;
      }));
    }
    long sent = System.nanoTime();
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      failed.addAndGet(inFlight.stream().filter(f -> !f.isDone()).count());
    }
    double elapsed = Math.max(sent - start, 1) / 1e9;
    var h = latencies.getIntervalHistogram();
    return new Step(rate, total / elapsed, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
        ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), failed.get(), firstFailure.get());
  }

  /** As fast as {@code clients} closed-loop clients go, for {@code seconds}: a warm-up. */
  void warmUp(String url, String body, int clients, int seconds) throws InterruptedException {
    HttpClient http = newClient();
    HttpRequest request = post(url, body, authorization);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
          } catch (java.io.IOException e) {
            return;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  /** A GraphQL POST of {@code body} to {@code url}, with {@code authorization} when not null, given up after 10 s. */
  static HttpRequest post(String url, String body, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .timeout(java.time.Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  String authorization() {
    return authorization;
  }

  /**
   * Waits until {@code body} sent to {@code url} is answered with 200 and no errors; fails early, with
   * {@code whyNot}, if {@code server} exits.
   */
  static void awaitAnswer(String url, String body, String authorization, java.time.Duration timeout, Process server,
      java.util.concurrent.Callable<String> whyNot) throws Exception {
    HttpClient http = newClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException(url + ": the server exited:\n" + whyNot.call());
      }
      try {
        HttpResponse<String> r = http.send(post(url, body, authorization), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && !r.body().contains("\"errors\"")) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(url + " gave no answer within " + timeout + ":\n" + whyNot.call());
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
