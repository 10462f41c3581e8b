package store.code.e2e;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The operator as it ships, measured against a cluster whose instances are all provisioned: its packaged application
 * ({@code operator/target/quarkus-app}) in its own JVM, sized as the chart's pod is (see {@link #POD_JAVA_OPTIONS}),
 * started, left to reconcile every instance again, then asked for its heap after a full collection and its RSS. This
 * is the operator's own memory, without the benchmark's client, informers and fake controllers beside it; and a
 * second check that an operator starting on a converged cluster writes nothing.
 */
final class PackagedOperator {
  /**
   * The operator image's JVM options (operator/Dockerfile, build-images.sh: half the container's memory for the heap,
   * G1) with MaxRAM standing in for the chart's memory limit (values.yaml {@code resources.limits.memory}: 512Mi).
   */
  static final List<String> POD_JAVA_OPTIONS = List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50", "-XX:+UseG1GC");
  private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

  /**
   * What the packaged operator measured at N instances; {@code writes} are every write the API server took meanwhile;
   * {@code metrics}: the names of the series its /q/metrics exported then; {@code log}: what it wrote to its console.
   */
  record Measured(long heapAfterGcMiB, long rssMiB, long reconciles, long writes, String writesByKind, long readyMs,
      Set<String> metrics, List<String> log) {
    @Override
    public String toString() {
      return "heap after GC " + heapAfterGcMiB + " MiB, RSS " + rssMiB + " MiB, " + reconciles + " reconciles, "
          + writes + " writes " + writesByKind + ", all reconciled after " + readyMs + " ms, " + metrics.size()
          + " metric series names";
    }
  }

  private PackagedOperator() {
  }

  static Measured measure(KubeCluster cluster, int instances) throws Exception {
    Path jar = KubeCluster.repoRoot().resolve("operator/target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build the operator first (make build)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("packaged-operator", ".log");
    log.toFile().deleteOnExit();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(POD_JAVA_OPTIONS);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", cluster.writeKubeconfig().toString());
    pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
    // no usage pass while measuring: the benchmark's instances have no runtime to read
    pb.environment().put("CODESTORE_USAGE_INTERVAL", "1h");
    Map<String, Long> writesBefore = apiServerWrites(cluster.admin);
    long t0 = System.nanoTime();
    Process operator = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long reconciles = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (reconciles < instances) {
        if (!operator.isAlive()) {
          throw new IllegalStateException("the packaged operator exited with " + operator.exitValue() + "; its log: "
              + log + "\n" + tail(log));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the packaged operator reconciled " + reconciles + " of " + instances
              + " instances in 5 minutes; its log: " + log + "\n" + tail(log));
        }
        Thread.sleep(500);
        reconciles = instanceReconciles(http, port);
      }
      long readyMs = (System.nanoTime() - t0) / 1_000_000;
      Thread.sleep(3000); // what a pass scheduled after itself
      jcmd(operator.pid(), "GC.run");
      Matcher used = HEAP_USED.matcher(jcmd(operator.pid(), "GC.heap_info"));
      if (!used.find()) {
        throw new IllegalStateException("no G1 heap line in jcmd GC.heap_info of the packaged operator");
      }
      long rss = OperatorBench.rssMiB(String.valueOf(operator.pid()));
      Map<String, Long> writes = new TreeMap<>(apiServerWrites(cluster.admin));
      writes.replaceAll((kind, count) -> count - writesBefore.getOrDefault(kind, 0L));
      writes.values().removeIf(count -> count == 0);
      Set<String> names = new TreeSet<>();
      scrape(http, port).lines().filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
      return new Measured(Long.parseLong(used.group(1)) / 1024, rss, instanceReconciles(http, port),
          writes.values().stream().mapToLong(Long::longValue).sum(), writes.toString(), readyMs, names,
          Files.readAllLines(log));
    } finally {
      operator.destroy();
      if (!operator.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        operator.destroyForcibly().waitFor();
      }
    }
  }

  /** Successful ServiceInstance reconciles so far, from the operator's Prometheus endpoint (JOSDK's counter). */
  private static long instanceReconciles(HttpClient http, int port) {
    try {
      return (long) scrape(http, port).lines().filter(l -> l.startsWith("reconciliations_success_total{"))
          .filter(l -> l.contains("serviceinstance")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (java.io.IOException e) {
      return 0; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String scrape(HttpClient http, int port) throws java.io.IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The write requests (not GET, LIST, WATCH) the API server has served, by "VERB resource[/subresource]". */
  static Map<String, Long> apiServerWrites(KubernetesClient admin) {
    Pattern sample = Pattern.compile("^apiserver_request_total\\{(.*)\\} ([0-9.e+-]+)$");
    Map<String, Long> writes = new HashMap<>();
    for (String line : admin.raw(admin.getMasterUrl() + "metrics").split("\n")) {
      Matcher m = sample.matcher(line);
      if (m.matches() && !m.group(1).matches(".*verb=\"(GET|LIST|WATCH|CONNECT)\".*")) {
        String sub = OperatorBench.label(m.group(1), "subresource");
        writes.merge(OperatorBench.label(m.group(1), "verb") + " " + OperatorBench.label(m.group(1), "resource")
            + (sub.isEmpty() || sub.equals("?") ? "" : "/" + sub),
            (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return writes;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  private static String tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
