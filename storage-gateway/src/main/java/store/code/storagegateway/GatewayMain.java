package store.code.storagegateway;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar codestore-storage-gateway.jar}, configured by environment (the chart sets it from the external
 * storage provider's Secret):
 * <ul>
 * <li>{@code CODESTORE_GATEWAY_UPSTREAM}: URL of the S3 endpoint the buckets are on (required)</li>
 * <li>{@code CODESTORE_GATEWAY_ACCESS_KEY_ID}, {@code CODESTORE_GATEWAY_SECRET_ACCESS_KEY}: the platform's S3 keys,
 * the same the operator creates buckets with (required)</li>
 * <li>{@code CODESTORE_GATEWAY_REGION}: default {@code us-east-1}</li>
 * <li>{@code CODESTORE_GATEWAY_UPSTREAM_API}: {@code s3} (default; MinIO, Ceph RGW, other S3-compatible servers) or
 * {@code aws-s3} (Amazon S3)</li>
 * <li>{@code CODESTORE_GATEWAY_PORT}: default 8080</li>
 * </ul>
 */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    StorageGateway.Settings settings;
    try {
      settings = settings(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("storage gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    StorageGateway gateway = StorageGateway.start(settings);
    System.out.println("storage gateway: serving instance buckets of " + settings.upstream() + " on port "
        + gateway.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.close();
      } catch (Exception e) {
        System.err.println("storage gateway: stopping: " + e.getMessage());
      }
    }));
    new CountDownLatch(1).await();
  }

  static StorageGateway.Settings settings(Map<String, String> env) {
    String url = required(env, "CODESTORE_GATEWAY_UPSTREAM", "the URL of the S3 endpoint the buckets are on");
    URI upstream;
    try {
      upstream = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CODESTORE_GATEWAY_UPSTREAM is not a URL: " + e.getMessage());
    }
    if (upstream.getScheme() == null || upstream.getHost() == null) {
      throw new IllegalArgumentException("CODESTORE_GATEWAY_UPSTREAM=" + upstream + " is not an http(s) URL with a host");
    }
    String api = optional(env, "CODESTORE_GATEWAY_UPSTREAM_API", "s3");
    if (!api.equals("s3") && !api.equals("aws-s3")) {
      throw new IllegalArgumentException("CODESTORE_GATEWAY_UPSTREAM_API=" + api + " is neither s3 nor aws-s3");
    }
    String port = optional(env, "CODESTORE_GATEWAY_PORT", "8080");
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("CODESTORE_GATEWAY_PORT=" + port + " is not a port number");
    }
    return new StorageGateway.Settings(upstream, api, optional(env, "CODESTORE_GATEWAY_REGION", "us-east-1"),
        required(env, "CODESTORE_GATEWAY_ACCESS_KEY_ID", "the platform's S3 access key id"),
        required(env, "CODESTORE_GATEWAY_SECRET_ACCESS_KEY", "the platform's S3 secret access key"),
        URI.create("http://0.0.0.0:" + port));
  }

  private static String required(Map<String, String> env, String name, String what) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is not set: " + what);
    }
    return value;
  }

  private static String optional(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
