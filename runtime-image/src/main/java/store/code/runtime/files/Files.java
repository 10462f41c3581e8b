package store.code.runtime.files;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import store.code.runtime.ApiError;
import store.code.runtime.sql.Writes;

/**
 * The instance bucket: pre-signed upload and download URLs (the bytes never pass through the runtime), checks that a
 * key set on a {@code @file} field names an uploaded object, and what maker code stores. {@link #disabled()} when
 * the instance has no bucket: file operations then fail with a message saying so.
 */
public final class Files implements Writes.FileClaims {

  public static final String TOO_MANY_UPLOADS = "TOO_MANY_UPLOADS";

  /** Where the instance bucket is; from the Secret {@code storage} the operator writes. */
  public record Settings(String endpoint, String region, String bucket, String accessKey, String secretKey) {}

  public static final Duration UPLOAD_TTL = Duration.ofHours(1);
  public static final Duration DOWNLOAD_TTL = Duration.ofMinutes(15);
  /** An upload not claimed this long after its URL expired is deleted ({@link #sweepUnclaimed}). */
  static final Duration UNCLAIMED_GRACE = Duration.ofHours(1);
  /** Upload URLs handed out and not yet claimed or expired, at most. */
  static final int MAX_PENDING_UPLOADS = 1000;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;

  private final Settings settings;
  private final long maxUploadBytes;
  private final S3Client s3;
  private final S3Presigner presigner;

  private Files(Settings settings, long maxUploadBytes) {
    this.settings = settings;
    this.maxUploadBytes = maxUploadBytes;
    if (settings == null) {
      this.s3 = null;
      this.presigner = null;
      return;
    }
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    var pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
    this.s3 = S3Client.builder().endpointOverride(URI.create(settings.endpoint())).region(Region.of(settings.region()))
        .credentialsProvider(credentials).serviceConfiguration(pathStyle)
        .httpClient(UrlConnectionHttpClient.create())
        // checksums only where the API requires them: S3-compatible servers differ in what they accept
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    this.presigner = S3Presigner.builder().endpointOverride(URI.create(settings.endpoint()))
        .region(Region.of(settings.region())).credentialsProvider(credentials).serviceConfiguration(pathStyle).build();
  }

  public static Files of(Settings settings) {
    return new Files(settings, DEFAULT_MAX_UPLOAD_BYTES);
  }

  /** {@code maxUploadBytes}: a bigger upload is refused when claimed, and deleted. */
  public static Files of(Settings settings, long maxUploadBytes) {
    return new Files(settings, maxUploadBytes);
  }

  public static Files disabled() {
    return new Files(null, DEFAULT_MAX_UPLOAD_BYTES);
  }

  public boolean enabled() {
    return settings != null;
  }

  private void requireEnabled() {
    if (!enabled()) {
      throw new ApiError(ApiError.UNAVAILABLE, "this instance has no bucket, so it cannot store files "
          + "(the platform's storage provider is none)");
    }
  }

  /**
   * {@code requestUpload}: a fresh key and a URL to PUT the bytes to. The key is recorded as issued by this instance:
   * only issued keys can be claimed, and one not claimed in time is deleted. Presigned PUTs cannot bound the size,
   * so it is checked when the key is claimed.
   */
  public Map<String, Object> requestUpload(Connection c, String contentType, String filename) {
    requireEnabled();
    if (contentType == null || contentType.isBlank() || contentType.length() > 255 || !contentType.contains("/")) {
      throw ApiError.badInput("contentType: \"" + contentType + "\" is not a media type (e.g. image/png)");
    }
    String name = filename == null ? "file" : filename.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty() || name.length() > 200) {
      name = "file";
    }
    String key = "uploads/" + UUID.randomUUID() + "/" + name;
    Instant expires = Instant.now().plus(UPLOAD_TTL);
    try (PreparedStatement pending = c.prepareStatement(
            "SELECT count(*) FROM \"codestore_uploads\" WHERE \"expires_at\" > now()");
        ResultSet rs = pending.executeQuery()) {
      rs.next();
      if (rs.getLong(1) >= MAX_PENDING_UPLOADS) {
        throw new ApiError(TOO_MANY_UPLOADS, MAX_PENDING_UPLOADS + " upload URLs of this instance are still open: "
            + "claim (or let expire) those before asking for more");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count open uploads: " + e.getMessage(), e);
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"codestore_uploads\" (\"key\", \"content_type\", "
        + "\"expires_at\") VALUES (?, ?, now() + interval '" + UPLOAD_TTL.toSeconds() + " seconds')")) {
      ps.setString(1, key);
      ps.setString(2, contentType);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record upload " + key + ": " + e.getMessage(), e);
    }
    String url = presigner.presignPutObject(p -> p.signatureDuration(UPLOAD_TTL)
        .putObjectRequest(r -> r.bucket(settings.bucket()).key(key).contentType(contentType))).url().toString();
    return Map.of("key", key, "uploadUrl", url, "expiresAt", expires.toString());
  }

  public String downloadUrl(String key, Duration ttl) {
    requireEnabled();
    return presigner.presignGetObject(p -> p.signatureDuration(ttl)
        .getObjectRequest(r -> r.bucket(settings.bucket()).key(key))).url().toString();
  }

  /**
   * Records an uploaded file as used by a row. Only a key this instance issued ({@link #requestUpload}) or already
   * recorded may be claimed: not any object that happens to be in the bucket. A file over the size limit is deleted
   * and refused.
   */
  @Override
  public void claim(Connection c, String key) {
    requireEnabled();
    boolean issued = exists(c, "SELECT 1 FROM \"codestore_uploads\" WHERE \"key\" = ?", key);
    if (!issued && !exists(c, "SELECT 1 FROM \"codestore_files\" WHERE \"key\" = ?", key)) {
      throw ApiError.badInput("no uploaded file has key \"" + key + "\": call requestUpload, PUT the bytes to its "
          + "uploadUrl, then set the key it returned");
    }
    HeadObjectResponse head;
    try {
      head = s3.headObject(r -> r.bucket(settings.bucket()).key(key));
    } catch (NoSuchKeyException e) {
      throw ApiError.badInput("no uploaded file has key \"" + key + "\": call requestUpload, PUT the bytes to its "
          + "uploadUrl, then set the key it returned");
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw ApiError.badInput("no uploaded file has key \"" + key + "\": call requestUpload, PUT the bytes to its "
            + "uploadUrl, then set the key it returned");
      }
      throw new IllegalStateException("the bucket did not answer for " + key + ": " + e.getMessage(), e);
    }
    if (head.contentLength() != null && head.contentLength() > maxUploadBytes) {
      if (issued) {
        s3.deleteObject(r -> r.bucket(settings.bucket()).key(key));
        forget(c, key);
      }
      throw ApiError.badInput("the file " + key + " is " + head.contentLength() + " bytes, over this instance's limit of "
          + maxUploadBytes + (issued ? "; it was deleted" : ""));
    }
    record(c, key, head.contentType(), head.contentLength());
    if (issued) {
      forget(c, key);
    }
  }

  /**
   * Deletes uploads that were never claimed, from the bucket and from the record, {@link #UNCLAIMED_GRACE} after their
   * URL expired; at most {@code limit} per call. Returns how many went.
   */
  public int sweepUnclaimed(Connection c, int limit) {
    if (!enabled()) {
      return 0;
    }
    List<String> stale = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT \"key\" FROM \"codestore_uploads\" WHERE \"expires_at\" < "
        + "now() - interval '" + UNCLAIMED_GRACE.toSeconds() + " seconds' ORDER BY \"expires_at\" LIMIT " + limit)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stale.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list unclaimed uploads: " + e.getMessage(), e);
    }
    for (String key : stale) {
      s3.deleteObject(r -> r.bucket(settings.bucket()).key(key)); // no error when it was never PUT
      forget(c, key);
    }
    return stale.size();
  }

  private static void forget(Connection c, String key) {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM \"codestore_uploads\" WHERE \"key\" = ?")) {
      ps.setString(1, key);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record upload " + key + " as claimed: " + e.getMessage(), e);
    }
  }

  private static boolean exists(Connection c, String sql, String key) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot look up file " + key + ": " + e.getMessage(), e);
    }
  }

  /** Size and type are kept in the database so reading a @file field never calls the bucket. */
  private static void record(Connection c, String key, String contentType, Long size) {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"codestore_files\" (\"key\", \"content_type\", \"size\") "
        + "VALUES (?, ?, ?) ON CONFLICT (\"key\") DO UPDATE SET \"content_type\" = excluded.\"content_type\", "
        + "\"size\" = excluded.\"size\"")) {
      ps.setString(1, key);
      ps.setString(2, contentType);
      ps.setObject(3, size);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record file " + key + ": " + e.getMessage(), e);
    }
  }

  /** Maker code storing bytes directly. */
  public void put(Connection c, String key, byte[] bytes, String contentType) {
    requireEnabled();
    s3.putObject(r -> r.bucket(settings.bucket()).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    record(c, key, contentType, (long) bytes.length);
  }

  public Optional<byte[]> get(String key) {
    requireEnabled();
    try {
      return Optional.of(s3.getObjectAsBytes(r -> r.bucket(settings.bucket()).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  public void delete(String key) {
    requireEnabled();
    s3.deleteObject(r -> r.bucket(settings.bucket()).key(key));
  }

  /** Bytes stored in the bucket (listed; for the usage report). 0 without a bucket. */
  public long bucketBytes() {
    if (!enabled()) {
      return 0;
    }
    long total = 0;
    for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(settings.bucket()).build())) {
      total += page.contents().stream().mapToLong(o -> o.size() == null ? 0 : o.size()).sum();
    }
    return total;
  }
}
