package store.code.operator.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import store.code.api.Labels;

/**
 * Applies desired objects with server-side apply, and only when the desired state changed.
 *
 * <p>Each applied object carries the hash of its desired state; when the object on the server
 * carries the same hash, nothing is written. That makes a resync of an unchanged world free of
 * writes, deterministically, whatever defaults the API server adds. The price: a hand edit to a
 * managed field is not reverted until the desired state changes (or the annotation is removed).
 *
 * <p>What the server holds is read from an informer's cache for the kinds given one with
 * {@link #readFrom}, and from the API server otherwise. A cache miss is read from the API server
 * too: the informers see only objects labelled as ours, and an object of the same name that is not
 * (a namespace someone else made, say) must still be seen. Every write is recorded in the cache,
 * so the next pass sees it even before the watch delivers it.
 */
public final class Applier {
  public static final String FIELD_MANAGER = "codestore-operator";

  private final KubernetesClient client;
  /** By "apiVersion/kind": the informer that caches our objects of that kind. */
  private final Map<String, ManagedInformerEventSource<? extends HasMetadata, ?, ?>> caches = new ConcurrentHashMap<>();

  public Applier(KubernetesClient client) {
    this.client = client;
  }

  /** From now on, objects of {@code kind} (e.g. "v1", "ConfigMap") are read from {@code cache} first. */
  public void readFrom(String apiVersion, String kind, ManagedInformerEventSource<? extends HasMetadata, ?, ?> cache) {
    caches.put(apiVersion + "/" + kind, cache);
  }

  /** Like {@link #readFrom(String, String, ManagedInformerEventSource)} for a typed kind (Namespace.class, ...). */
  public <R extends HasMetadata> void readFrom(Class<R> type, ManagedInformerEventSource<R, ?, ?> cache) {
    readFrom(HasMetadata.getApiVersion(type), HasMetadata.getKind(type), cache);
  }

  /** Returns the object as the server holds it after this call. */
  public <R extends HasMetadata> R apply(R desired) {
    return apply(desired, current(desired));
  }

  /**
   * What the server holds under {@code key}'s kind, namespace and name (cache first), or null. {@code key} may be the
   * desired object itself or any object of that kind and identity.
   */
  public <R extends HasMetadata> R current(R key) {
    var cache = cacheFor(key);
    if (cache != null) {
      var cached = cache.get(ResourceID.fromResource(key));
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    return client.resource(key).get();
  }

  /**
   * Like {@link #apply(HasMetadata)}, for a caller that has already observed the object (from
   * {@link #current}, or read it to decide something else): no second read.
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
    R applied = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    remember(applied);
    return applied;
  }

  /** Puts what this operator just wrote into the cache of its kind, ahead of the watch event. */
  private <R extends HasMetadata> void remember(R applied) {
    var cache = cacheFor(applied);
    if (cache == null) {
      return;
    }
    ResourceID id = ResourceID.fromResource(applied);
    var previous = cache.get(id);
    if (previous.isPresent()) {
      cache.handleRecentResourceUpdate(id, applied, previous.get());
    } else {
      cache.handleRecentResourceCreate(id, applied);
    }
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> ManagedInformerEventSource<R, ?, ?> cacheFor(R object) {
    return (ManagedInformerEventSource<R, ?, ?>) caches.get(object.getApiVersion() + "/" + object.getKind());
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
