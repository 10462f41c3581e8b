package store.code.operator.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

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
 * too, unless the kind was given with {@link Misses#ABSENT}: the informers see only objects labelled
 * as ours, and an object of the same name that is not (a namespace someone else made, say) must
 * still be seen; in the namespaces this operator creates, everything is its own, so a miss there
 * means the object is not there. Every write is recorded in the cache, so the next pass sees it even
 * before the watch delivers it.
 *
 * <p>For the kinds given to {@link #remembering}, which have no informer, what this operator applied
 * is remembered for a short while ({@link #MEMORY}): a pass within it that desires the same state
 * reads nothing and writes nothing. Provisioning runs several passes within seconds (one per
 * dependency that becomes ready), each of which would otherwise read every object again; a pass
 * later than that reads them as before, so a deleted object is still put back by the next pass.
 *
 * <p>In a namespace this operator has just created ({@link #namespaceCreated}), objects of those kinds are not read
 * before their first apply either: nothing of them was there when the namespace was made, and an apply writes
 * whatever the server holds. What was remembered of an earlier namespace of the same name is forgotten then.
 */
public final class Applier {
  public static final String FIELD_MANAGER = "codestore-operator";

  private final KubernetesClient client;
  /** By "apiVersion/kind": the informer that caches our objects of that kind. */
  private final Map<String, ManagedInformerEventSource<? extends HasMetadata, ?, ?>> caches = new ConcurrentHashMap<>();
  /** By "apiVersion/kind": the kinds whose cache misses mean absent (every object of them is ours). */
  private final java.util.Set<String> missesAbsent = ConcurrentHashMap.newKeySet();
  /** By "apiVersion/kind": the kinds without an informer whose applied state is remembered for {@link #MEMORY}. */
  private final java.util.Set<String> remembered = ConcurrentHashMap.newKeySet();
  /** By namespace, then "apiVersion/kind/name": the hash last applied (or seen applied) and until when it is trusted. */
  private final Map<String, Map<String, Applied>> applied = new ConcurrentHashMap<>();
  /** By namespace: the ones this operator created, until when (within {@link #MEMORY}) that is taken as news. */
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  /** When expired entries of {@link #applied} were last dropped. */
  private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.function.LongSupplier nanoTime;

  /** How long a remembered apply stands in for reading the object again. */
  public static final java.time.Duration MEMORY = java.time.Duration.ofSeconds(60);

  private record Applied(String hash, long until) {}

  /** What a cache miss of a kind means. */
  public enum Misses {
    /** Maybe an object that is not ours (not labelled): read it from the API server. */
    READ,
    /** Not there: every object of this kind where the operator looks is its own, and the cache sees all of those. */
    ABSENT
  }

  public Applier(KubernetesClient client) {
    this(client, System::nanoTime);
  }

  /** With {@code nanoTime} as the clock of what is remembered (tests pass their own). */
  public Applier(KubernetesClient client, java.util.function.LongSupplier nanoTime) {
    this.client = client;
    this.nanoTime = nanoTime;
  }

  /** From now on, objects of {@code kind} (e.g. "v1", "ConfigMap") are read from {@code cache} first. */
  public void readFrom(String apiVersion, String kind, ManagedInformerEventSource<? extends HasMetadata, ?, ?> cache) {
    readFrom(apiVersion, kind, cache, Misses.READ);
  }

  /** Like {@link #readFrom(String, String, ManagedInformerEventSource)}, saying what a miss means. */
  public void readFrom(String apiVersion, String kind, ManagedInformerEventSource<? extends HasMetadata, ?, ?> cache,
      Misses misses) {
    caches.put(apiVersion + "/" + kind, cache);
    if (misses == Misses.ABSENT) {
      missesAbsent.add(apiVersion + "/" + kind);
    }
  }

  /** Like {@link #readFrom(String, String, ManagedInformerEventSource)} for a typed kind (Namespace.class, ...). */
  public <R extends HasMetadata> void readFrom(Class<R> type, ManagedInformerEventSource<R, ?, ?> cache) {
    readFrom(type, cache, Misses.READ);
  }

  public <R extends HasMetadata> void readFrom(Class<R> type, ManagedInformerEventSource<R, ?, ?> cache, Misses misses) {
    readFrom(HasMetadata.getApiVersion(type), HasMetadata.getKind(type), cache, misses);
  }

  /**
   * Objects of these kinds (which have no informer, and whose applied state no caller reads back) are remembered
   * as applied for {@link #MEMORY}: {@link #apply(HasMetadata)} of the same desired state within it neither reads
   * nor writes, and returns the desired object.
   */
  @SafeVarargs
  public final void remembering(Class<? extends HasMetadata>... types) {
    for (Class<? extends HasMetadata> type : types) {
      remembered.add(HasMetadata.getApiVersion(type) + "/" + HasMetadata.getKind(type));
    }
  }

  /** Returns the object as the server holds it after this call (for a {@link #remembering} kind: maybe the desired one). */
  public <R extends HasMetadata> R apply(R desired) {
    String kind = desired.getApiVersion() + "/" + desired.getKind();
    if (remembered.contains(kind)) {
      Applied last = remembered(desired);
      String hash = desiredHash(desired);
      if (last != null && last.hash().equals(hash) && nanoTime.getAsLong() - last.until() < 0) {
        return desired;
      }
      return apply(desired, isNew(namespaceOf(desired)) ? null : current(desired), hash);
    }
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
      if (missesAbsent.contains(key.getApiVersion() + "/" + key.getKind())) {
        return null;
      }
    }
    return client.resource(key).get();
  }

  /**
   * The objects of {@code type} in {@code namespace} whose {@code label} is {@code value}: from the kind's cache when
   * it holds every object of the kind where the operator looks ({@link Misses#ABSENT}), from the API server otherwise.
   */
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> java.util.List<R> list(Class<R> type, String namespace, String label, String value) {
    String kind = HasMetadata.getApiVersion(type) + "/" + HasMetadata.getKind(type);
    var cache = (ManagedInformerEventSource<R, ?, ?>) caches.get(kind);
    if (cache != null && missesAbsent.contains(kind)) {
      return Indexes.inNamespace(cache, namespace)
          .filter(o -> o.getMetadata().getLabels() != null && value.equals(o.getMetadata().getLabels().get(label)))
          .toList();
    }
    return client.resources(type).inNamespace(namespace).withLabel(label, value).list().getItems();
  }

  /**
   * Like {@link #apply(HasMetadata)}, for a caller that has already observed the object (from
   * {@link #current}, or read it to decide something else): no second read.
   *
   * @param observed the object as last seen on the server, or null if it does not exist
   */
  public <R extends HasMetadata> R apply(R desired, R observed) {
    return apply(desired, observed, desiredHash(desired));
  }

  private <R extends HasMetadata> R apply(R desired, R observed, String hash) {
    if (observed != null && hash.equals(annotation(observed))) {
      rememberApplied(desired, hash);
      return observed;
    }
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new HashMap<>());
    }
    desired.getMetadata().getAnnotations().put(Labels.APPLIED_HASH_ANNOTATION, hash);
    R written = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    cacheWrite(written);
    rememberApplied(desired, hash);
    return written;
  }

  /** For a {@link #remembering} kind: the server holds {@code hash}, trusted for {@link #MEMORY}. */
  private void rememberApplied(HasMetadata desired, String hash) {
    if (remembered.contains(desired.getApiVersion() + "/" + desired.getKind())) {
      long now = nanoTime.getAsLong();
      applied.computeIfAbsent(namespaceOf(desired), ns -> new ConcurrentHashMap<>())
          .put(key(desired), new Applied(hash, now + MEMORY.toNanos()));
      sweep(now);
    }
  }

  private Applied remembered(HasMetadata object) {
    Map<String, Applied> inNamespace = applied.get(namespaceOf(object));
    return inNamespace == null ? null : inNamespace.get(key(object));
  }

  /**
   * The namespace was just created by this operator: objects of the {@link #remembering} kinds are applied in it
   * without reading them first, for {@link #MEMORY}; what was remembered of an earlier namespace of that name (deleted
   * since) is forgotten.
   */
  public void namespaceCreated(String namespace) {
    long now = nanoTime.getAsLong();
    applied.remove(namespace);
    created.put(namespace, now + MEMORY.toNanos());
    sweep(now);
  }

  private boolean isNew(String namespace) {
    Long until = created.get(namespace);
    return until != null && nanoTime.getAsLong() - until < 0;
  }

  /** Once a {@link #MEMORY}, what has expired is dropped: the maps hold about a minute's applies, not every object. */
  private void sweep(long now) {
    long last = lastSweep.get();
    if (now - last >= MEMORY.toNanos() && lastSweep.compareAndSet(last, now)) {
      applied.values().forEach(inNamespace -> inNamespace.values().removeIf(a -> now - a.until() >= 0));
      applied.values().removeIf(Map::isEmpty);
      created.values().removeIf(until -> now - until >= 0);
    }
  }

  /**
   * For a {@link #remembering} kind: whether an object of this identity may exist, that is, this operator has not
   * seen it absent (or deleted it) within {@link #MEMORY}, and has applied it if it created its namespace within it.
   * Saves the read that finds nothing to delete.
   */
  public boolean mayExist(HasMetadata key) {
    Applied last = remembered(key);
    if (last == null) {
      return !isNew(namespaceOf(key));
    }
    return !last.hash().equals(ABSENT) || nanoTime.getAsLong() - last.until() >= 0;
  }

  /** For a {@link #remembering} kind: the object is not there (seen so, or just deleted). */
  public void rememberAbsent(HasMetadata key) {
    if (remembered.contains(key.getApiVersion() + "/" + key.getKind())) {
      long now = nanoTime.getAsLong();
      applied.computeIfAbsent(namespaceOf(key), ns -> new ConcurrentHashMap<>())
          .put(key(key), new Applied(ABSENT, now + MEMORY.toNanos()));
      sweep(now);
    }
  }

  private static final String ABSENT = "";

  /** The namespace's name ("" for a cluster-scoped object: the maps take no null). */
  private static String namespaceOf(HasMetadata o) {
    return o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
  }

  /** Within its namespace's map. */
  private static String key(HasMetadata o) {
    return o.getApiVersion() + "/" + o.getKind() + "/" + o.getMetadata().getName();
  }

  /** Puts what this operator just wrote into the cache of its kind, ahead of the watch event. */
  private <R extends HasMetadata> void cacheWrite(R applied) {
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

  /**
   * Fabric8's JSON, with every map's entries in key order: the hash is of the desired state, not of the order a map
   * iterates in. That order is not the same in every JVM ({@code Map.of} iterates in an order salted per JVM start),
   * and a hash that followed it would make every restarted operator rewrite what it had applied.
   */
  private static final ObjectMapper HASHED_JSON = Serialization.jsonMapper().copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public static String desiredHash(HasMetadata desired) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(HASHED_JSON.writeValueAsBytes(desired));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String annotation(HasMetadata actual) {
    var a = actual.getMetadata().getAnnotations();
    return a == null ? null : a.get(Labels.APPLIED_HASH_ANNOTATION);
  }
}
