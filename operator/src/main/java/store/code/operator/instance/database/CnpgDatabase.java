package store.code.operator.instance.database;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import store.code.api.Reasons;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceDefaults;
import store.code.operator.instance.Target;
import store.code.operator.support.Applier;
import store.code.operator.support.CrdPresence;
import store.code.operator.support.StepResult;

/** A CloudNativePG {@code Cluster} named {@code db} per instance; CNPG writes Secret {@code db-app}. */
public final class CnpgDatabase implements DatabaseProvider {
  public static final String CRD = "clusters.postgresql.cnpg.io";
  public static final ResourceDefinitionContext CLUSTER = new ResourceDefinitionContext.Builder()
      .withGroup("postgresql.cnpg.io").withVersion("v1").withKind("Cluster").withPlural("clusters").withNamespaced(true)
      .build();
  public static final String NAME = "db";
  public static final String CLUSTER_API_VERSION = "postgresql.cnpg.io/v1";

  private final Applier applier;
  private final CrdPresence crds;
  private final int instances;

  public CnpgDatabase(Applier applier, CrdPresence crds, int instances) {
    this.applier = applier;
    this.crds = crds;
    this.instances = instances;
  }

  /** The desired Cluster: database {@code app} owned by {@code app}, storage from the service defaults. */
  public static GenericKubernetesResource cluster(Target t, CodeService service, int instances) {
    ServiceDefaults d = service.getSpec().getDefaults();
    String size = d == null || d.getDatabaseSize() == null ? "1Gi" : d.getDatabaseSize();
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(CLUSTER_API_VERSION).withKind("Cluster")
        .withMetadata(t.meta(NAME))
        .addToAdditionalProperties("spec", Map.of(
            "instances", instances,
            "storage", Map.of("size", size),
            "bootstrap", Map.of("initdb", Map.of("database", "app", "owner", "app"))))
        .build();
  }

  @Override
  public StepResult reconcile(Target t, CodeService service) {
    if (!crds.isInstalled(CRD)) {
      return StepResult.waiting(Reasons.PROVIDER_NOT_INSTALLED, "the database provider is cnpg but CloudNativePG is not installed "
          + "(CRD " + CRD + " not found): install CloudNativePG, or set the operator's database provider to external");
    }
    GenericKubernetesResource desired = cluster(t, service, instances);
    GenericKubernetesResource actual = applier.apply(desired);
    return readiness(actual, instances);
  }

  /** Ready when the Cluster says Ready and all its instances are ready. */
  @SuppressWarnings("unchecked")
  public static StepResult readiness(GenericKubernetesResource cluster, int instances) {
    Map<String, Object> status = cluster == null ? null : (Map<String, Object>) cluster.getAdditionalProperties().get("status");
    if (status == null) {
      return StepResult.waiting(Reasons.DATABASE_PROVISIONING, "CNPG Cluster " + NAME + " has no status yet");
    }
    Object ready = status.get("readyInstances");
    boolean readyCondition = ((List<Map<String, Object>>) status.getOrDefault("conditions", List.of())).stream()
        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    int readyInstances = ready instanceof Number n ? n.intValue() : 0;
    if (readyCondition && readyInstances >= instances) {
      return StepResult.ready("DatabaseReady", "CNPG Cluster " + NAME + " is ready (" + readyInstances + "/" + instances + ")");
    }
    return StepResult.waiting(Reasons.DATABASE_PROVISIONING, "CNPG Cluster " + NAME + ": " + readyInstances + "/" + instances
        + " instances ready, phase " + status.getOrDefault("phase", "unknown"));
  }

  @Override
  public void deleteOutsideNamespace(Target target) {
    // Everything CNPG created lives in the instance namespace.
  }
}
