package store.code.operator.support;

import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;

/**
 * Reads of informer caches by index. JOSDK's {@code list(namespace)} filters the whole cache, and an operator that
 * looks up a namespace's objects on every pass and every event pays for every object it caches each time (at 1000
 * instances: thousands of RoleBindings per pass); the caches already index each object by its namespace.
 */
public final class Indexes {
  private Indexes() {
  }

  /** The cached objects of one namespace, by the namespace index every Fabric8 informer cache keeps. */
  public static <R extends HasMetadata> Stream<R> inNamespace(IndexedResourceCache<R> cache, String namespace) {
    return cache.byIndex(Cache.NAMESPACE_INDEX, namespace).stream();
  }
}
