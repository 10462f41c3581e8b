package store.code.operator.instance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.Reasons;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.support.Applier;
import store.code.operator.support.ProviderConfigException;
import store.code.operator.support.StepResult;

/**
 * Step 4 of provisioning: the runtime, once its database and bucket are ready. Its egress policy first, then the
 * schema (the instance's record and the version's own ConfigMap), config, Deployment, Service, autoscaler and
 * Ingress; ready when the rollout of the current template finished, else why not (from the pods).
 */
final class RuntimeStep {
  private final KubernetesClient client;
  private final Applier applier;
  private final OperatorSettings settings;
  private final RuntimeDiagnosis diagnosis;

  RuntimeStep(KubernetesClient client, Applier applier, OperatorSettings settings) {
    this.client = client;
    this.applier = applier;
    this.settings = settings;
    this.diagnosis = new RuntimeDiagnosis(client);
  }

  /**
   * @param served the schema to serve and the Service as it runs it
   * @param reaches what the runtime connects to (its database, bucket, identity provider), for its egress policy
   * @param secretsVersion the resourceVersion of the instance's copied Secrets, when it has some
   */
  public StepResult reconcile(Target t, ServiceInstance instance, SchemaChoice.Served served,
      List<StepResult.Endpoint> reaches, java.util.Optional<String> secretsVersion) {
    CodeService service = served.service();
    String schema = served.schema();
    String version = served.version();
    String hash = served.hash();
    // before the pods: a runtime never runs without its egress rules
    applier.apply(NamespaceManifests.runtimeEgress(t, reaches, RuntimeManifests.codeEgress(service)));
    Map<String, String> config = instance.getSpec().getConfig() == null ? Map.of() : new TreeMap<>(instance.getSpec().getConfig());
    applier.apply(RuntimeManifests.schemaConfigMap(t, schema, version, hash));
    // before the Deployment that mounts it
    applier.apply(RuntimeManifests.versionSchemaConfigMap(t, schema, version, hash));
    applier.apply(RuntimeManifests.instanceConfigMap(t, config));
    // New config or new secret values roll the pods; an instance without secrets keeps the hash it always had.
    String configHash = InstanceNames.shortHash(Serialization.asJson(config)
        + secretsVersion.map(v -> "\nsecrets " + v).orElse(""), 12);
    boolean autoscale = RuntimeManifests.wantsAutoscaler(service, instance);
    // The replica count is always ours (the autoscaler's minimum when there is one): a retained instance
    // scaled to zero must come back, and an autoscaler never scales up from zero.
    Deployment deployment = applier.apply(RuntimeManifests.deployment(t, service, instance, settings, hash, version,
        configHash));
    applier.apply(RuntimeManifests.service(t));
    var hpas = client.autoscaling().v1().horizontalPodAutoscalers().inNamespace(t.namespace()).withName(RuntimeManifests.NAME);
    if (autoscale) {
      applier.apply(RuntimeManifests.autoscaler(t, service, instance));
    } else {
      var none = new io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerBuilder()
          .withMetadata(t.meta(RuntimeManifests.NAME)).build();
      if (applier.mayExist(none)) {
        if (hpas.get() != null) {
          hpas.delete();
        }
        applier.rememberAbsent(none);
      }
    }
    settings.ingressDomain().ifPresent(domain -> {
      settings.ingressTlsSecret().ifPresent(ref -> {
        String[] at = ref.split("/", 2);
        Secret platform = client.secrets().inNamespace(at[0]).withName(at[1]).get();
        if (platform == null) {
          throw new ProviderConfigException("the ingress TLS Secret " + ref + " (codestore.ingress.tls-secret) does not exist");
        }
        applier.apply(RuntimeManifests.tlsSecret(t, platform));
      });
      applier.apply(RuntimeManifests.ingress(t, domain, settings));
    });
    StepResult readiness = runtimeReadiness(deployment, RuntimeManifests.replicas(service, instance));
    if (readiness.ready()) {
      forgetUnmountedSchemas(t, RuntimeManifests.schemaConfigMapName(version, hash));
      return readiness;
    }
    return diagnosis.diagnose(t).map(f -> StepResult.waiting(f.reason(), f.message())).orElse(readiness);
  }

  /**
   * Deletes the per-version schema ConfigMaps that no pod mounts any more, once a rollout finished: while one runs or
   * is refused, the pods of the previous version still mount theirs, and keep it.
   */
  private void forgetUnmountedSchemas(Target t, String current) {
    var all = applier.list(ConfigMap.class, t.namespace(), RuntimeManifests.VERSION_SCHEMA_LABEL, "true");
    if (all.size() <= 1) {
      return;
    }
    Set<String> mounted = new HashSet<>();
    for (var pod : client.pods().inNamespace(t.namespace()).withLabels(t.runtimeSelector()).list().getItems()) {
      pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
          .forEach(v -> mounted.add(v.getConfigMap().getName()));
    }
    for (ConfigMap cm : all) {
      String name = cm.getMetadata().getName();
      if (!name.equals(current) && !mounted.contains(name)) {
        client.configMaps().inNamespace(t.namespace()).withName(name).delete();
      }
    }
  }

  /**
   * Ready when the rollout of the current template finished, as `kubectl rollout status` judges it: every replica
   * runs the current template and is available, and no pod of an older template is left. While a new template's pods
   * are not ready, the old ones keep serving, but the instance is not Ready: what it serves is not what it should.
   */
  public static StepResult runtimeReadiness(Deployment d, int replicas) {
    if (replicas == 0) {
      return StepResult.ready("Suspended", "the runtime is scaled to zero (spec.suspended)");
    }
    var s = d.getStatus();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < d.getMetadata().getGeneration()) {
      return StepResult.waiting(Reasons.ROLLOUT_IN_PROGRESS, "Deployment runtime: the new template is not observed yet");
    }
    int updated = s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
    int total = s.getReplicas() == null ? 0 : s.getReplicas();
    int available = s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
    int ready = s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    if (updated >= replicas && total <= updated && available >= updated) {
      return StepResult.ready("RuntimeReady", "Deployment runtime: " + ready + "/" + replicas + " replicas ready");
    }
    return StepResult.waiting(Reasons.ROLLOUT_IN_PROGRESS, "Deployment runtime: " + updated + "/" + replicas
        + " replicas on the current template, " + available + " available, " + (total - updated)
        + " of an older one; see `kubectl -n " + d.getMetadata().getNamespace() + " get pods` if this lasts");
  }

}
