package store.code.runtime.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make serve}: runs one service from a Service manifest (or .graphql file) on this machine, with its data kept
 * between runs, and prints where its API is. Arguments: the manifest, the maker code folder (or "-"), the port, the
 * state folder.
 */
public final class Serve {

  private Serve() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: Serve <service.yaml|schema.graphql> <code dir|-> <port> <state dir>");
      System.exit(2);
    }
    Path source = Path.of(args[0]);
    Path code = args[1].equals("-") || !Files.isDirectory(Path.of(args[1])) ? null : Path.of(args[1]).toAbsolutePath();
    int port = Integer.parseInt(args[2]);
    String name = source.getFileName().toString().replaceAll("\\.(ya?ml|graphqls?)$", "");
    Path state = Path.of(args[3]).resolve(name);
    Path jar = Path.of("runtime-image", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    }
    System.out.println("starting " + source + " (data in " + state + ")...");
    LocalInstance instance = LocalInstance.start(new LocalInstance.Options(jar, source, code, state, port,
        Map.of("CODESTORE_LOG_JSON", "false"), true));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        instance.close();
      } catch (Exception e) {
        System.err.println("stopping: " + e.getMessage());
      }
    }));
    String url = instance.url("/graphql");
    System.out.printf("""

        %s is serving at %s
          API key:   %s   (send it as Authorization: Bearer <key>; kept in %s)
          GraphiQL:  %s   (add the header {"Authorization": "Bearer <key>"} in its Headers tab)
          usage:     %s
          metrics:   %s
          try:       curl -s %s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{"query":"{ __schema { queryType { fields { name } } } }"}'

        Ctrl-C stops it; the data stays in %s
        """, name, url, instance.devKey(), state.resolve("dev-api-key"), instance.url("/graphql/ui"),
        instance.managementUrl("/usage"), instance.managementUrl("/q/metrics"), url, instance.devKey(), state);
    new CountDownLatch(1).await();
  }
}
