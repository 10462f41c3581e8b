package store.code.operator.instance.storage;

import java.net.URI;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;
import store.code.api.Reasons;
import store.code.operator.instance.InstanceNames;
import store.code.operator.instance.RuntimeManifests;
import store.code.operator.instance.Target;
import store.code.operator.support.Applier;
import store.code.operator.support.ProviderConfigException;
import store.code.operator.support.ProviderSecret;
import store.code.operator.support.StepResult;
import store.code.storagegateway.InstanceKeys;

/**
 * An existing S3 endpoint: one bucket per instance, created over the S3 API with the platform's keys. Instances never
 * get those keys: each gets a key of its own ({@link InstanceKeys}) that the storage gateway accepts for its bucket
 * only, and reaches its bucket through the gateway ({@code gatewayEndpoint}).
 */
public final class ExternalStorage implements StorageProvider {
  static final String KEYS = "endpoint, region, accessKeyId, secretAccessKey";

  private final KubernetesClient client;
  private final Applier applier;
  private final String secretRef;
  private final String gatewayEndpoint;

  /** {@code gatewayEndpoint}: the storage gateway's URL as instances reach it; null when none is configured. */
  public ExternalStorage(KubernetesClient client, Applier applier, String secretRef, String gatewayEndpoint) {
    this.client = client;
    this.applier = applier;
    this.secretRef = secretRef;
    this.gatewayEndpoint = gatewayEndpoint;
  }

  /** The S3 endpoint and the platform's keys from the administrator's Secret: for the operator's own calls only. */
  public record Endpoint(String endpoint, String region, String accessKeyId, String secretAccessKey) {
    public S3Client client() {
      return S3Client.builder()
          .endpointOverride(URI.create(endpoint))
          .region(Region.of(region))
          .forcePathStyle(true)
          // Many S3-compatible servers (MinIO versions, s3proxy, Ceph) reject the SDK's default
          // trailing checksums; send checksums only where the S3 API requires them.
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
          .httpClient(UrlConnectionHttpClient.create())
          .build();
    }
  }

  Endpoint endpoint() {
    Map<String, String> d = ProviderSecret.read(client, secretRef, "the external S3 endpoint", KEYS,
        "endpoint", "accessKeyId", "secretAccessKey");
    String endpoint = d.get("endpoint");
    return new Endpoint(endpoint, d.getOrDefault("region", "us-east-1"), d.get("accessKeyId"), d.get("secretAccessKey"));
  }

  /** What the runtime gets: the gateway's URL and its bucket's own key, never the platform's. */
  public static Secret storageSecret(Target t, Endpoint e, String gatewayEndpoint) {
    String bucket = InstanceNames.bucketName(t.namespace());
    return StorageSecrets.storage(t, gatewayEndpoint, e.region(), bucket, InstanceKeys.accessKeyId(bucket),
        InstanceKeys.secretAccessKey(e.secretAccessKey(), bucket));
  }

  static URI gateway(String endpoint) throws ProviderConfigException {
    if (endpoint == null || endpoint.isBlank()) {
      throw new ProviderConfigException("instances reach their buckets only through the storage gateway, with keys of "
          + "their own; set codestore.storage.gateway-endpoint (chart: storage.external.gateway) to its URL as pods "
          + "reach it, e.g. http://codestore-storage-gateway.codestore-system.svc:8080");
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ProviderConfigException("codestore.storage.gateway-endpoint \"" + endpoint + "\" is not a URL: "
          + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new ProviderConfigException("codestore.storage.gateway-endpoint \"" + endpoint + "\" is not an http(s) "
          + "URL with a host");
    }
    return uri;
  }

  @Override
  public StepResult reconcile(Target t) {
    Endpoint e;
    URI gateway;
    try {
      gateway = gateway(gatewayEndpoint);
      e = endpoint();
    } catch (ProviderConfigException ex) {
      return StepResult.waiting(Reasons.PROVIDER_MISCONFIGURED, ex.getMessage());
    }
    String bucket = InstanceNames.bucketName(t.namespace());
    Secret desired = storageSecret(t, e, gatewayEndpoint);
    Secret actual = client.secrets().inNamespace(t.namespace()).withName(RuntimeManifests.STORAGE_SECRET).get();
    if (!Applier.isUpToDate(actual, desired)) {
      try (S3Client s3 = e.client()) {
        ensureBucket(s3, bucket);
      } catch (SdkException ex) {
        return StepResult.waiting(Reasons.STORAGE_UNREACHABLE, "could not create bucket " + bucket + " at " + e.endpoint()
            + " with the keys from Secret " + secretRef + ": " + ex.getMessage());
      }
      applier.apply(desired, actual);
    }
    StepResult.Endpoint runtime = StepResult.Endpoint.of(gateway);
    return StepResult.ready("StorageReady", "bucket " + bucket + " at " + e.endpoint() + ", through the gateway at "
        + gatewayEndpoint).reaching(runtime.host(), runtime.port());
  }

  public static void ensureBucket(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException missing) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  @Override
  public void deleteOutsideNamespace(Target t) {
    try (S3Client s3 = endpoint().client()) {
      deleteBucket(s3, InstanceNames.bucketName(t.namespace()));
    }
  }

  /** Empties and removes a bucket; a bucket that is already gone is fine. */
  public static void deleteBucket(S3Client s3, String bucket) {
    try {
      // One DeleteObject per key: the batch call needs checksum headers that several S3-compatible servers lack.
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
        s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
      }
      s3.deleteBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException gone) {
      // already deleted
    }
  }
}
