package store.code.storagegateway;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 endpoint where each instance signs with a key of its own ({@link InstanceKeys}) that opens its bucket and
 * nothing else, in front of the S3 server whose keys only the gateway (and the operator) hold.
 *
 * <p>s3proxy parses the requests and checks their signatures (headers and presigned URLs, V2 and V4); this class
 * only says, per request, which key the claimed identity must have signed with and where its bucket is. A request
 * is answered only when the bucket in its path is the identity's own ({@link OneBucket} then refuses any other bucket
 * the request names elsewhere, and what only the operator may do). Object bytes stream through; nothing is kept here.
 */
public final class StorageGateway implements AutoCloseable {

  /**
   * {@code upstreamApi}: jclouds' name of the upstream's dialect: {@code s3} for S3-compatible servers (MinIO, Ceph
   * RGW, s3proxy), {@code aws-s3} for Amazon S3. {@code listen}: host and port to serve on (port 0: any free one).
   */
  public record Settings(URI upstream, String upstreamApi, String region, String accessKeyId, String secretAccessKey,
      URI listen) {}

  private final BlobStoreContext upstream;
  private final S3Proxy proxy;

  private StorageGateway(BlobStoreContext upstream, S3Proxy proxy) {
    this.upstream = upstream;
    this.proxy = proxy;
  }

  public static StorageGateway start(Settings settings) throws Exception {
    Properties overrides = new Properties();
    // bucket in the path, as the runtimes address it; no DNS name per bucket is needed upstream
    overrides.setProperty("jclouds.s3.virtual-host-buckets", "false");
    overrides.setProperty("jclouds.regions", settings.region());
    BlobStoreContext upstream = ContextBuilder.newBuilder(settings.upstreamApi()).endpoint(settings.upstream().toString())
        .credentials(settings.accessKeyId(), settings.secretAccessKey()).overrides(overrides)
        .buildView(BlobStoreContext.class);
    BlobStore buckets = upstream.getBlobStore();
    // s3proxy's own single identity is never handed out, and its default store (used for anonymous reads of public
    // objects) opens nothing: the locator below answers for every signed request
    S3Proxy proxy = S3Proxy.builder().blobStore(new OneBucket(buckets, null)).endpoint(settings.listen())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "unused-" + UUID.randomUUID(), UUID.randomUUID().toString())
        .build();
    proxy.setBlobStoreLocator(ownBucketOnly(settings.secretAccessKey(), buckets));
    proxy.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!"STARTED".equals(proxy.getState())) {
      if ("FAILED".equals(proxy.getState()) || Instant.now().isAfter(deadline)) {
        proxy.stop();
        upstream.close();
        throw new IllegalStateException("the storage gateway did not start on " + settings.listen() + " (state "
            + proxy.getState() + ")");
      }
      Thread.sleep(20);
    }
    return new StorageGateway(upstream, proxy);
  }

  /**
   * The key a request must be signed with, given the identity it claims and the bucket it names; none (refused as an
   * unknown key) when the bucket is not that identity's own, or when it names no bucket (the list of all buckets).
   */
  static BlobStoreLocator ownBucketOnly(String platformSecret, BlobStore buckets) {
    return (identity, bucket, key) -> {
      if (identity == null || bucket == null || bucket.isEmpty() || !bucket.equals(identity)) {
        return null;
      }
      return Map.entry(InstanceKeys.secretAccessKey(platformSecret, identity), new OneBucket(buckets, bucket));
    };
  }

  public int port() {
    return proxy.getPort();
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      upstream.close();
    }
  }
}
