package store.code.operator.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.Labels;

/**
 * Applies desired objects with server-side apply, and only when the desired state changed.
 *
 * <p>Each applied object carries the hash of its desired state; when the object on the server
 * carries the same hash, nothing is written. That makes a resync of an unchanged world free of
 * writes, deterministically, whatever defaults the API server adds. The price: a hand edit to a
 * managed field is not reverted until the desired state changes (or the annotation is removed).
 */
public final class Applier {
  public static final String FIELD_MANAGER = "codestore-operator";

  private final KubernetesClient client;

  public Applier(KubernetesClient client) {
    this.client = client;
  }

  /** Returns the object as the server holds it after this call. */
  public <R extends HasMetadata> R apply(R desired) {
    return apply(desired, client.resource(desired).get());
  }

  /**
   * Like {@link #apply(HasMetadata)}, for a caller that has already observed the object (from an
   * informer cache, or read it to decide something else): no second read.
   *
   * @param observed the object as last seen on the server, or null if it does not exist
   */
  public <R extends HasMetadata> R apply(R desired, R observed) {
    String hash = desiredHash(desired);
    if (observed != null && hash.equals(annotation(observed))) {
      return observed;
    }
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new HashMap<>());
    }
    desired.getMetadata().getAnnotations().put(Labels.APPLIED_HASH_ANNOTATION, hash);
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Whether the object on the server was applied from exactly this desired state. */
  public static boolean isUpToDate(HasMetadata actual, HasMetadata desired) {
    return actual != null && desiredHash(desired).equals(annotation(actual));
  }

  public static String desiredHash(HasMetadata desired) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(Serialization.asJson(desired).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String annotation(HasMetadata actual) {
    var a = actual.getMetadata().getAnnotations();
    return a == null ? null : a.get(Labels.APPLIED_HASH_ANNOTATION);
  }
}
