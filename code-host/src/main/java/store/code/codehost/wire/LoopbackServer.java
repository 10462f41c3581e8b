package store.code.codehost.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP server each side of the protocol runs (the host for calls, the runtime for data calls): on 127.0.0.1 only,
 * one daemon thread per exchange in progress, answers written with TCP_NODELAY.
 */
public final class LoopbackServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService workers;

  private LoopbackServer(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /**
   * @param port   0 for any free one
   * @param routes path prefix to its handler
   */
  public static LoopbackServer start(int port, String threadName, Map<String, HttpHandler> routes) throws IOException {
    // without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK: every
    // answer waited 40 ms on loopback (docs/bench/maker-code.md). Read once, when the server classes first load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger n = new AtomicInteger();
    ExecutorService workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    routes.forEach(server::createContext);
    server.setExecutor(workers);
    server.start();
    return new LoopbackServer(server, workers);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Writes a JSON answer. */
  public static void answer(HttpExchange ex, int status, byte[] json) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, json.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(json);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
