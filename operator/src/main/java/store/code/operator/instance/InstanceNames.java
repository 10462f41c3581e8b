package store.code.operator.instance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import store.code.api.Labels;
import store.code.api.v1alpha1.ServiceInstance;

/**
 * Deterministic names derived from an instance. The same instance always maps to the same
 * namespace, database and bucket, so a re-created project finds its retained data again.
 */
public final class InstanceNames {
  static final int MAX_DNS_LABEL = 63;

  private InstanceNames() {}

  /** Hex digits of the identity hash in a namespace name: 40 bits, so a colliding name cannot be searched for. */
  static final int NAMESPACE_HASH_DIGITS = 10;
  /** What versions before 0.2 used; instances they provisioned keep their namespace ({@link Target#of}). */
  static final int LEGACY_NAMESPACE_HASH_DIGITS = 6;

  /**
   * {@code cs-<project ns>-<project>-<service>-<env>-<hash>}: readable prefix, cut to fit 63 characters, and a hash
   * of the full identity. The hash is what keeps two tenants apart once prefixes are cut: a client who could make
   * its instance's name collide with another's would be given that instance's namespace, database and bucket.
   */
  public static String targetNamespace(String projectNamespace, String project, String serviceAlias, String environment) {
    return targetNamespace(projectNamespace, project, serviceAlias, environment, NAMESPACE_HASH_DIGITS);
  }

  static String targetNamespace(String projectNamespace, String project, String serviceAlias, String environment,
      int hashDigits) {
    String identity = projectNamespace + "/" + project + "/" + serviceAlias + "/" + environment;
    String suffix = "-" + shortHash(identity, hashDigits);
    String readable = "cs-" + projectNamespace + "-" + project + "-" + serviceAlias + "-" + environment;
    int room = MAX_DNS_LABEL - suffix.length();
    if (readable.length() > room) {
      readable = readable.substring(0, room);
    }
    readable = readable.replaceAll("[-.]+$", "");
    return readable + suffix;
  }

  /**
   * Alias of the service inside the project: the {@code code.store/service} label a Project puts on
   * its instances, or the Service's name for an instance created by hand.
   */
  public static String serviceAlias(ServiceInstance instance) {
    var labels = instance.getMetadata().getLabels();
    String alias = labels == null ? null : labels.get(Labels.SERVICE);
    return alias == null || alias.isEmpty() ? instance.getSpec().getServiceRef().getName() : alias;
  }

  public static String targetNamespace(ServiceInstance instance) {
    return targetNamespace(instance.getMetadata().getNamespace(), instance.getSpec().getProject(),
        serviceAlias(instance), instance.getSpec().getEnvironment());
  }

  /** The name an older version gave this instance's namespace (a shorter hash). */
  static String legacyTargetNamespace(ServiceInstance instance) {
    return targetNamespace(instance.getMetadata().getNamespace(), instance.getSpec().getProject(),
        serviceAlias(instance), instance.getSpec().getEnvironment(), LEGACY_NAMESPACE_HASH_DIGITS);
  }

  /** Label value {@code <namespace>.<name>}, hashed past the 63-character limit of label values. */
  public static String instanceLabel(String namespace, String name) {
    String full = namespace + "." + name;
    if (full.length() <= MAX_DNS_LABEL) {
      return full;
    }
    String suffix = "-" + shortHash(full, 8);
    return full.substring(0, MAX_DNS_LABEL - suffix.length()).replaceAll("[-.]+$", "") + suffix;
  }

  /** Postgres role and database name for the external provider: unique per instance, at most 63 bytes. */
  public static String databaseName(String targetNamespace) {
    return targetNamespace.replace('-', '_');
  }

  /** Bucket name for the external S3 provider: DNS-compatible, 3 to 63 characters. */
  public static String bucketName(String targetNamespace) {
    return targetNamespace;
  }

  public static String shortHash(String text, int hexDigits) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, hexDigits);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
