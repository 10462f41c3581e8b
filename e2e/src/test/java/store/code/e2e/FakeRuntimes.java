package store.code.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpServer;

import store.code.operator.billing.UsageSource;

/**
 * The runtimes' {@code GET /usage} contract over HTTP, one path per instance, with counters the test moves: what the
 * operator reads in tests of billing against a real API server. An instance without counters does not answer (404);
 * one with a raw answer set answers that instead (a hostile or broken runtime).
 */
final class FakeRuntimes implements AutoCloseable {

  /** instance -> {requests, errors}; the arrays are the counters, moved in place by tests. */
  final Map<String, long[]> counters = new ConcurrentHashMap<>();
  /** instance -> counter epoch (default "e1"). */
  final Map<String, String> epochs = new ConcurrentHashMap<>();
  /** instance -> the exact answer to give instead of the counters. */
  final Map<String, String> rawAnswers = new ConcurrentHashMap<>();
  /** Runs with the instance's name before each answer (a test may block here, or count). */
  volatile Consumer<String> beforeAnswer = name -> {};

  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  FakeRuntimes() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/usage/", exchange -> {
      String instance = exchange.getRequestURI().getPath().substring("/usage/".length());
      beforeAnswer.accept(instance);
      long[] c = counters.get(instance);
      String raw = rawAnswers.get(instance);
      byte[] body = raw != null ? raw.getBytes(StandardCharsets.UTF_8) : c == null ? new byte[0]
          : ("{\"epoch\":\"" + epochs.getOrDefault(instance, "e1") + "\",\"requests\":" + c[0] + ",\"errors\":" + c[1]
              + ",\"databaseBytes\":1073741824,\"bucketBytes\":0}").getBytes(StandardCharsets.UTF_8);
      boolean answers = raw != null || c != null;
      exchange.sendResponseHeaders(answers ? 200 : 404, answers ? body.length : -1);
      if (answers) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/usage/";
  }

  /** Reads as the operator does ({@link UsageSource#get}: size limit, checks), from this server. */
  UsageSource source() {
    return instance -> UsageSource.get(http, URI.create(url() + instance.getMetadata().getName()));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
