package store.code.bench;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import org.HdrHistogram.Histogram;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import store.code.storagegateway.InstanceKeys;

/**
 * What the storage gateway costs an instance's file traffic: PUT and GET of one object at a time, directly to the S3
 * server with the platform's keys and through the gateway (its packaged jar, its own process) with an instance's key,
 * interleaved round by round in one run. Also the gateway's resident memory after the run.
 * Arguments: report file, gateway jar, and optionally {@code quick} (a few rounds: the test that keeps it working).
 */
public final class StorageGatewayBench {
  static final String PLATFORM_ID = "bench-platform";
  static final String PLATFORM_SECRET = "bench-platform-secret";
  static final String BUCKET = "cs-bench-instance";

  record Size(String label, int bytes, int rounds) {}

  record Row(String size, String op, String path, Histogram latency, long bytes) {}

  private StorageGatewayBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2 || args.length > 3 || args.length == 3 && !args[2].equals("quick")) {
      throw new IllegalArgumentException("usage: <report.md> <codestore-storage-gateway jar> [quick]");
    }
    int divisor = args.length == 3 ? 20 : 1;
    Path report = Path.of(args[0]);
    Path jar = Path.of(args[1]);
    Path data = Files.createTempDirectory("gateway-bench");
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", data.toString());
    BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem").overrides(props).build(BlobStoreContext.class);
    S3Proxy upstream = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, PLATFORM_ID, PLATFORM_SECRET).build();
    upstream.start();
    while (!"STARTED".equals(upstream.getState())) {
      Thread.sleep(20);
    }
    URI upstreamUri = URI.create("http://127.0.0.1:" + upstream.getPort());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString()).redirectErrorStream(true)
        .redirectOutput(data.resolve("gateway.log").toFile());
    pb.environment().put("CODESTORE_GATEWAY_UPSTREAM", upstreamUri.toString());
    pb.environment().put("CODESTORE_GATEWAY_ACCESS_KEY_ID", PLATFORM_ID);
    pb.environment().put("CODESTORE_GATEWAY_SECRET_ACCESS_KEY", PLATFORM_SECRET);
    pb.environment().put("CODESTORE_GATEWAY_PORT", String.valueOf(port));
    Process gateway = pb.start();
    URI gatewayUri = URI.create("http://127.0.0.1:" + port);
    List<Row> rows = new ArrayList<>();
    String rss;
    try (S3Client direct = client(upstreamUri, PLATFORM_ID, PLATFORM_SECRET);
        S3Client through = client(gatewayUri, InstanceKeys.accessKeyId(BUCKET),
            InstanceKeys.secretAccessKey(PLATFORM_SECRET, BUCKET))) {
      direct.createBucket(b -> b.bucket(BUCKET));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (true) {
        try {
          through.headBucket(b -> b.bucket(BUCKET));
          break;
        } catch (RuntimeException notYet) {
          if (Instant.now().isAfter(deadline) || !gateway.isAlive()) {
            throw new IllegalStateException("the gateway did not answer; see " + data.resolve("gateway.log"), notYet);
          }
          Thread.sleep(200);
        }
      }
      for (Size size : List.of(new Size("16 KiB", 16 * 1024, 400 / divisor), new Size("1 MiB", 1024 * 1024, 150 / divisor),
          new Size("16 MiB", 16 * 1024 * 1024, Math.max(1, 20 / divisor)))) {
        byte[] body = new byte[size.bytes()];
        new Random(7).nextBytes(body);
        Histogram[] h = {hist(), hist(), hist(), hist()}; // put direct, put gateway, get direct, get gateway
        int warmup = Math.max(5, size.rounds() / 10);
        for (int i = 0; i < warmup + size.rounds(); i++) {
          boolean measured = i >= warmup;
          String key = "bench/" + size.bytes() + "/" + i;
          time(measured ? h[0] : null, () -> direct.putObject(b -> b.bucket(BUCKET).key(key + "-d"), RequestBody.fromBytes(body)));
          time(measured ? h[1] : null, () -> through.putObject(b -> b.bucket(BUCKET).key(key + "-g"), RequestBody.fromBytes(body)));
          time(measured ? h[2] : null, () -> direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + "-g")));
          time(measured ? h[3] : null, () -> through.getObjectAsBytes(b -> b.bucket(BUCKET).key(key + "-d")));
        }
        rows.add(new Row(size.label(), "PUT", "direct", h[0], size.bytes()));
        rows.add(new Row(size.label(), "PUT", "gateway", h[1], size.bytes()));
        rows.add(new Row(size.label(), "GET", "direct", h[2], size.bytes()));
        rows.add(new Row(size.label(), "GET", "gateway", h[3], size.bytes()));
        System.out.println("[bench] " + size.label() + " done");
      }
      rss = Files.readAllLines(Path.of("/proc", String.valueOf(gateway.pid()), "status")).stream()
          .filter(l -> l.startsWith("VmRSS")).map(l -> l.replaceAll("[^0-9]", "")).findFirst()
          .map(kb -> Long.parseLong(kb) / 1024 + " MiB").orElse("unknown");
    } finally {
      gateway.destroy();
      upstream.stop();
      blobs.close();
    }
    write(report, rows, rss);
    System.out.println("[bench] report: " + report);
  }

  static Histogram hist() {
    return new Histogram(60_000_000L, 3); // microseconds, up to a minute
  }

  static void time(Histogram h, Runnable op) {
    long t0 = System.nanoTime();
    op.run();
    if (h != null) {
      h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
    }
  }

  static S3Client client(URI endpoint, String id, String secret) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  static void write(Path report, List<Row> rows, String rss) throws Exception {
    StringBuilder md = new StringBuilder("# Storage gateway: file traffic directly and through the gateway\n\n")
        .append("Generated by `make bench-storage`; ").append(Instant.now().toString(), 0, 10).append(". Machine: ")
        .append(Machine.describe()).append(".\n\n")
        .append("One client, one object at a time, on this machine's loopback: an s3proxy (filesystem store) as the S3 ")
        .append("server, and the gateway as its own process (`java -Xmx256m -jar`) in front of it. Each round PUTs ")
        .append("and GETs the same size directly (the platform's keys) and through the gateway (an instance's key), ")
        .append("interleaved, after a warm-up. Latency in milliseconds; throughput is size / median.\n\n")
        .append("| size | op | path | p50 ms | p95 ms | p99 ms | MB/s at p50 |\n|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      double p50 = r.latency().getValueAtPercentile(50) / 1000.0;
      md.append(String.format("| %s | %s | %s | %.2f | %.2f | %.2f | %.1f |%n", r.size(), r.op(), r.path(), p50,
          r.latency().getValueAtPercentile(95) / 1000.0, r.latency().getValueAtPercentile(99) / 1000.0,
          r.bytes() / 1e6 / (p50 / 1000.0)));
    }
    md.append("\nGateway resident memory after the run: ").append(rss).append(".\n");
    Files.writeString(report, md.toString());
  }
}
