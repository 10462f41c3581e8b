package store.code.operator.instance.storage;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import store.code.operator.instance.RuntimeManifests;
import store.code.operator.instance.Target;

/** Builds the normalized Secret {@code storage} the runtime reads, whatever the provider. */
public final class StorageSecrets {
  private StorageSecrets() {}

  public static Secret storage(Target t, String endpoint, String region, String bucket, String accessKeyId,
      String secretAccessKey) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("endpoint", endpoint);
    data.put("region", region);
    data.put("bucket", bucket);
    data.put("accessKeyId", accessKeyId);
    data.put("secretAccessKey", secretAccessKey);
    return new SecretBuilder().withMetadata(t.meta(RuntimeManifests.STORAGE_SECRET)).withType("Opaque")
        .withStringData(data).build();
  }
}
