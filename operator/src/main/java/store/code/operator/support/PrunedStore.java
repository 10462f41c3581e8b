package store.code.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * An informer cache that keeps objects without their {@code metadata.managedFields}: the record of which field
 * manager set which field, which the server keeps for server-side apply and the operator never reads. With every
 * write made by server-side apply it is often the largest part of an object's metadata, held once per cached object.
 */
public class PrunedStore<R extends HasMetadata> extends TransformingItemStore<R> {
  public PrunedStore() {
    super(PrunedStore::prune);
  }

  static <R extends HasMetadata> R prune(R object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return object;
  }
}
