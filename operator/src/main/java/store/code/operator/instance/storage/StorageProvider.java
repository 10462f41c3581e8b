package store.code.operator.instance.storage;

import store.code.operator.instance.Target;
import store.code.operator.support.StepResult;

/**
 * Gives an instance an object bucket. Whatever the provider, the runtime reads one normalized
 * Secret {@code storage} with keys endpoint, region, bucket, accessKeyId, secretAccessKey.
 */
public interface StorageProvider {
  StepResult reconcile(Target target);

  /** For deletionPolicy Delete: remove what lives outside the namespace. */
  void deleteOutsideNamespace(Target target) throws Exception;

  /** No bucket at all; the runtime runs with storage off. */
  StorageProvider NONE = new StorageProvider() {
    @Override
    public StepResult reconcile(Target target) {
      return StepResult.ready("StorageDisabled", "this cluster provides no object storage (storage provider none); @file fields are unavailable");
    }

    @Override
    public void deleteOutsideNamespace(Target target) {}
  };
}
