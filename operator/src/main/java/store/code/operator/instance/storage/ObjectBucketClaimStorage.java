package store.code.operator.instance.storage;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Reasons;
import store.code.operator.instance.Target;
import store.code.operator.support.Applier;
import store.code.operator.support.CrdPresence;
import store.code.api.SecretData;
import store.code.operator.support.StepResult;

/**
 * An {@code ObjectBucketClaim} named {@code files}; once Bound, the provisioner's ConfigMap and
 * Secret {@code files} are normalized into Secret {@code storage}. The bucket is deleted by the
 * provisioner with the claim, according to its StorageClass reclaim policy.
 */
public final class ObjectBucketClaimStorage implements StorageProvider {
  public static final String CRD = "objectbucketclaims.objectbucket.io";
  public static final String NAME = "files";

  private final KubernetesClient client;
  private final Applier applier;
  private final CrdPresence crds;
  private final String storageClass;

  public ObjectBucketClaimStorage(KubernetesClient client, Applier applier, CrdPresence crds, String storageClass) {
    this.client = client;
    this.applier = applier;
    this.crds = crds;
    this.storageClass = storageClass;
  }

  public static GenericKubernetesResource claim(Target t, String storageClass) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("generateBucketName", t.namespace());
    spec.put("storageClassName", storageClass);
    return new GenericKubernetesResourceBuilder().withApiVersion("objectbucket.io/v1alpha1").withKind("ObjectBucketClaim")
        .withMetadata(t.meta(NAME)).addToAdditionalProperties("spec", spec).build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public StepResult reconcile(Target t) {
    if (!crds.isInstalled(CRD)) {
      return StepResult.waiting(Reasons.PROVIDER_NOT_INSTALLED, "the storage provider is objectbucketclaim but no bucket provisioner "
          + "is installed (CRD " + CRD + " not found): install one (e.g. Rook, NooBaa), or set the operator's storage provider to external or none");
    }
    if (storageClass == null || storageClass.isBlank()) {
      return StepResult.waiting(Reasons.PROVIDER_MISCONFIGURED, "the storage provider is objectbucketclaim but no bucket "
          + "StorageClass is set: set codestore.storage.storage-class (CODESTORE_STORAGE_STORAGE_CLASS)");
    }
    GenericKubernetesResource actual = applier.apply(claim(t, storageClass));
    Map<String, Object> status = (Map<String, Object>) actual.getAdditionalProperties().get("status");
    Object phase = status == null ? null : status.get("phase");
    if (!"Bound".equals(phase)) {
      return StepResult.waiting(Reasons.BUCKET_PENDING, "ObjectBucketClaim " + NAME + " is " + (phase == null ? "not bound yet" : phase));
    }
    ConfigMap cm = client.configMaps().inNamespace(t.namespace()).withName(NAME).get();
    Secret secret = client.secrets().inNamespace(t.namespace()).withName(NAME).get();
    if (cm == null || secret == null) {
      return StepResult.waiting(Reasons.BUCKET_PENDING, "ObjectBucketClaim " + NAME + " is Bound but its ConfigMap/Secret " + NAME + " are not there yet");
    }
    Map<String, String> c = cm.getData();
    Map<String, String> keys = SecretData.decode(secret);
    String port = c.getOrDefault("BUCKET_PORT", "443");
    String scheme = "443".equals(port) ? "https" : "http";
    applier.apply(StorageSecrets.storage(t, scheme + "://" + c.get("BUCKET_HOST") + ":" + port,
        c.getOrDefault("BUCKET_REGION", "us-east-1"), c.get("BUCKET_NAME"),
        keys.get("AWS_ACCESS_KEY_ID"), keys.get("AWS_SECRET_ACCESS_KEY")));
    return StepResult.ready("StorageReady", "bucket " + c.get("BUCKET_NAME") + " claimed through ObjectBucketClaim " + NAME)
        .reaching(c.get("BUCKET_HOST"), port.matches("[0-9]{1,5}") ? Integer.parseInt(port) : 443);
  }

  @Override
  public void deleteOutsideNamespace(Target t) {
    // The provisioner reclaims the bucket when the claim goes with the namespace.
  }
}
