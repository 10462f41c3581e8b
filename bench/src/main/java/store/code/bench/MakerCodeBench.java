package store.code.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.HdrHistogram.Histogram;

import store.code.runtime.local.LocalInstance;

/**
 * What a {@code @code} field costs: the shopping cart's {@code total} (one handler call, which reads the cart's items
 * through {@code ctx.data()}) against the same items read by the generated API alone, one client, requests one after
 * the other, on each runtime given. Run with the runtime before maker code left its process and after, to see what the
 * move costs, side by side in one run.
 *
 * <p>Arguments: the report file, then {@code <label>=<quarkus-run.jar>} for each runtime. System properties:
 * {@code codestore.bench.requests} (3000 per query, after as many to warm up), {@code codestore.bench.code} (the cart's maker-code folder).
 */
public final class MakerCodeBench {

  static final Path SERVICE = Path.of("examples", "10-shopping-cart.yaml");
  static final String TOTAL = "query($c: ID!) { cart(id: $c) { id total } }";
  static final String ITEMS = "query($c: ID!) { cart(id: $c) { id items { quantity unitPrice } } }";

  record Row(String runtime, String query, Histogram latency) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: <report.md> <label>=<quarkus-run.jar> ...");
    }
    int requests = Integer.getInteger("codestore.bench.requests", 3000);
    Path root = Path.of(System.getProperty("codestore.bench.root", ".")).toAbsolutePath().normalize();
    Path code = Path.of(System.getProperty("codestore.bench.code",
        root.resolve("examples/shopping-cart-code/target/code").toString()));
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String[] labelJar = args[i].split("=", 2);
      try (LocalInstance local = LocalInstance.start(new LocalInstance.Options(Path.of(labelJar[1]),
          root.resolve(SERVICE), code, null, 18110 + i, Map.of("CODESTORE_USAGE_FLUSH_INTERVAL", "1h"), false))) {
        String cart = cart(local);
        for (String query : List.of(TOTAL, ITEMS)) {
          measure(local, query, cart, requests); // warm-up: the JIT of both processes (the host's too)
          rows.add(new Row(labelJar[0], query, measure(local, query, cart, requests)));
        }
      }
    }
    Files.writeString(Path.of(args[0]), report(rows, requests));
    System.out.println(report(rows, requests));
  }

  static String cart(LocalInstance local) throws Exception {
    String id = local.graphql("mutation { createCart(input: {owner: \"bench\"}) { id } }", null)
        .path("data").path("createCart").path("id").asText();
    for (int q = 1; q <= 5; q++) {
      local.graphql("mutation($c: ID!, $q: Int!) { createCartItem(input: {cartId: $c, sku: \"s\", quantity: $q, unitPrice: 1.5}) "
          + "{ id } }", Map.of("c", id, "q", q));
    }
    JsonNode total = local.graphql(TOTAL, Map.of("c", id));
    if (total.path("data").path("cart").path("total").asDouble() != 22.5) {
      throw new IllegalStateException("the cart's total is not served: " + total);
    }
    return id;
  }

  static Histogram measure(LocalInstance local, String query, String cart, int n) throws Exception {
    Histogram h = new Histogram(60_000_000L, 3);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      JsonNode answer = local.graphql(query, Map.of("c", cart));
      h.recordValue((System.nanoTime() - t0) / 1000);
      if (answer.has("errors")) {
        throw new IllegalStateException(query + " failed: " + answer);
      }
    }
    return h;
  }

  static String report(List<Row> rows, int requests) {
    StringBuilder md = new StringBuilder("""
        # What a maker-code field costs

        The shopping cart's `total` (`@code`: one call of the handler, which lists the cart's 5 items through
        `ctx.data()`) against the same items read by the generated API alone (`items { quantity unitPrice }`).
        One client, %d requests one after the other after as many of warm-up, over HTTP to the packaged runtime with an
        embedded Postgres on this machine; latency as the client sees it.

        """.formatted(requests));
    md.append("Machine: ").append(Machine.describe()).append(". Run on ").append(LocalDate.now()).append(".\n\n");
    md.append("| runtime | query | p50 µs | p95 µs | p99 µs | max µs |\n|---|---|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      md.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %d | %d | %d |%n", r.runtime(),
          r.query().equals(TOTAL) ? "total (@code)" : "items (generated)", r.latency().getValueAtPercentile(50),
          r.latency().getValueAtPercentile(95), r.latency().getValueAtPercentile(99), r.latency().getMaxValue()));
    }
    md.append("""

        Reproduce: `make bench-code` (this runtime alone), or with the runtime of another commit beside it:
        `git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q package -DskipTests -pl runtime-image -am)`,
        then `make bench-code BEFORE=/tmp/before/runtime-image/target/quarkus-app/quarkus-run.jar`.
        """);
    return md.toString();
  }
}
