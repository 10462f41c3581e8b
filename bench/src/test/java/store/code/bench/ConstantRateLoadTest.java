package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * The load generator against a local HTTP server whose speed and answers the test controls. Only what holds however
 * busy the machine is, is asserted here: every request sent and its answer checked, never sent ahead of its schedule,
 * and a server that falls behind seen in the latency (a busier machine only makes it later). Whether a rate is kept
 * on time is what the benchmark measures and reports (achieved rate per step), not a test.
 */
class ConstantRateLoadTest {

  HttpServer server;
  final AtomicInteger served = new AtomicInteger();

  String start(long delayMs, int threads) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/graphql", exchange -> {
      exchange.getRequestBody().readAllBytes();
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "{\"data\":{}}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
      served.incrementAndGet();
    });
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void keepsTheRateAndChecksEveryAnswer() throws Exception {
    String url = start(0, 4);
    ConstantRateLoad.Step ok = new ConstantRateLoad(null).run(url, "{}", "{\"data\":{}}", 200, 1);
    assertThat(ok.failed()).isZero();
    assertThat(served.get()).isEqualTo(200);
    assertThat(ok.achieved()).as("request i waits for start + i/rate: never faster than asked").isLessThanOrEqualTo(202.0);
    assertThat(ok.p50()).isPositive();

    ConstantRateLoad.Step wrong = new ConstantRateLoad(null).run(url, "{}", "{\"data\":{\"x\":1}}", 50, 1);
    assertThat(wrong.failed()).as("every answer differs from the expected one").isEqualTo(50);
  }

  @Test
  void aServerThatFallsBehindShowsItInTheLatencyNotInAGentlerLoad() throws Exception {
    String url = start(50, 1); // at most 20 answers a second
    ConstantRateLoad.Step step = new ConstantRateLoad(null).run(url, "{}", null, 100, 1);
    // 100 requests meant for one second; one at a time, 50 ms each, the 95th is answered 4.75 s after the start at the
    // earliest, though it was meant for 0.95 s: at least 3.8 s late, and later still on a busy machine
    assertThat(served.get()).isEqualTo(100);
    assertThat(step.failed()).isZero();
    assertThat(step.p95()).isGreaterThan(3_000);
    assertThat(step.keeps(50)).isFalse();
  }
}
