package store.code.storagegateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The S3 key of an instance at the gateway: access key id = its bucket's name, secret = an HMAC of that name keyed by
 * the platform's S3 secret. Both the operator (which writes it into the instance's Secret) and the gateway (which
 * checks request signatures with it) compute it, so nothing per instance is stored; rotating the platform's S3 secret
 * rotates every instance key. No dependencies beyond the JDK: the operator uses this class alone.
 */
public final class InstanceKeys {
  /** A label that keeps these HMACs apart from any other use of the same platform secret. */
  private static final String PURPOSE = "code.store storage gateway, bucket key v1: ";

  private InstanceKeys() {}

  public static String accessKeyId(String bucket) {
    return bucket;
  }

  public static String secretAccessKey(String platformSecret, String bucket) {
    if (platformSecret == null || platformSecret.isEmpty()) {
      throw new IllegalArgumentException("the platform's S3 secret is empty: instance keys cannot be derived from it");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(platformSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] key = mac.doFinal((PURPOSE + bucket).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
