package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The load generator against a local HTTP server whose speed and answers the test controls. */
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
    ConstantRateLoad.Step ok = new ConstantRateLoad().run(url, "{}", "{\"data\":{}}", 200, 1);
    assertThat(ok.failed()).isZero();
    assertThat(ok.achieved()).isBetween(190.0, 210.0);
    assertThat(served.get()).isEqualTo(200);
    assertThat(ok.p50()).isPositive().isLessThan(50);

    ConstantRateLoad.Step wrong = new ConstantRateLoad().run(url, "{}", "{\"data\":{\"x\":1}}", 50, 1);
    assertThat(wrong.failed()).as("every answer differs from the expected one").isEqualTo(50);
  }

  @Test
  void aServerThatFallsBehindShowsItInTheLatencyNotInAGentlerLoad() throws Exception {
    String url = start(50, 1); // at most 20 answers a second
    ConstantRateLoad.Step step = new ConstantRateLoad().run(url, "{}", null, 100, 1);
    // 100 requests sent within a second regardless; the last waits for the 99 before it: about 5 s
    assertThat(step.achieved()).isGreaterThan(95);
    assertThat(step.p95()).isGreaterThan(3000);
    assertThat(step.keeps(50)).isFalse();
  }
}
