package store.code.operator.apikey;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.instance.InstanceNames;

/**
 * Which of a project's ApiKeys an instance accepts, and the file it gets: pure functions of the keys, the instance
 * and now. A key reaches the instances of its project in its environments and services (all, when it names none),
 * until it expires, and only once the operator has made it (its status has the hash).
 */
public final class ProjectKeys {

  /** Every key starts with this (the runtime tells keys from tokens by it). */
  public static final String PREFIX = "csk_";

  private ProjectKeys() {}

  public static boolean reaches(ApiKey key, ServiceInstance si, Instant now) {
    var spec = key.getSpec();
    return spec != null && key.getMetadata().getNamespace().equals(si.getMetadata().getNamespace())
        && spec.getProject() != null && spec.getProject().equals(si.getSpec().getProject())
        && (spec.getEnvironments() == null || spec.getEnvironments().isEmpty()
            || spec.getEnvironments().contains(si.getSpec().getEnvironment()))
        && (spec.getServices() == null || spec.getServices().isEmpty()
            || spec.getServices().contains(InstanceNames.serviceAlias(si)))
        && !expired(key, now);
  }

  public static boolean expired(ApiKey key, Instant now) {
    return expiry(key).map(e -> !now.isBefore(e)).orElse(false);
  }

  /** When the key expires; empty when it never does (or its expiresAt does not parse, which the CRD pattern refuses). */
  public static Optional<Instant> expiry(ApiKey key) {
    String at = key.getSpec() == null ? null : key.getSpec().getExpiresAt();
    try {
      return Optional.ofNullable(at).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The lines of an instance's keys file: {@code <keyId> <sha256>} of every made key that reaches it, sorted. */
  public static String keysFile(Collection<ApiKey> keys, ServiceInstance si, Instant now) {
    return keys.stream()
        .filter(k -> k.getStatus() != null && k.getStatus().getKeyId() != null && k.getStatus().getKeyHash() != null)
        .filter(k -> reaches(k, si, now))
        .map(k -> k.getStatus().getKeyId() + " " + k.getStatus().getKeyHash() + "\n").sorted().collect(Collectors.joining());
  }

  /** A new key: the prefix and 256 random bits. */
  static String newKey(SecureRandom random) {
    return PREFIX + newPushToken(random);
  }

  /** The token that lets only the operator hand key hashes to an instance's pods: 256 random bits. */
  public static String newPushToken(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 of a key, hex: what instances compare a presented key with. */
  static String sha256(String key) {
    return InstanceNames.shortHash(key, 64);
  }
}
