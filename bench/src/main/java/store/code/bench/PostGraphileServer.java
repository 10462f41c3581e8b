package store.code.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * PostGraphile 4 as the reference: its CLI under Node, on the same database, with the connection-filter plugin
 * (for the search query) and the given pool size; production mode, no query log.
 */
final class PostGraphileServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private PostGraphileServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static PostGraphileServer start(Path nodeDir, String databaseUrl, int port, int poolSize) throws IOException {
    Path log = Files.createTempFile("postgraphile", ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of("node", nodeDir.resolve("node_modules/postgraphile/cli.js").toString(),
        "--connection", databaseUrl, "--schema", "public", "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--max-pool-size", String.valueOf(poolSize), "--append-plugins", "postgraphile-plugin-connection-filter",
        "--disable-query-log"))
        .directory(nodeDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("NODE_ENV", "production");
    return new PostGraphileServer(pb.start(), port, log);
  }

  String url() {
    return "http://127.0.0.1:" + port + "/graphql";
  }

  long pid() {
    return process.pid();
  }

  /** Waits until {@code body} is answered without errors. */
  void awaitAnswering(String body, Duration timeout) throws Exception {
    ConstantRateLoad.awaitAnswer(url(), body, null, timeout, process, () -> Files.readString(log));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
