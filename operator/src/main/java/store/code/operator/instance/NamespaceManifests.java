package store.code.operator.instance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import store.code.operator.config.OperatorSettings;

/** The instance's namespace and its guardrails. Pure functions of the target and the settings. */
public final class NamespaceManifests {
  public static final String RUNTIME_SERVICE_ACCOUNT = "runtime";

  private NamespaceManifests() {}

  /** Pod Security "restricted" enforced: runtime pods cannot run as root or escalate. */
  public static Namespace namespace(Target t) {
    Map<String, String> labels = new LinkedHashMap<>(t.labels());
    labels.put("pod-security.kubernetes.io/enforce", "restricted");
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    labels.put("pod-security.kubernetes.io/warn", "restricted");
    labels.put("pod-security.kubernetes.io/audit", "restricted");
    return new NamespaceBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(t.namespace()).withLabels(labels)
            .withAnnotations(t.annotations()).build())
        .build();
  }

  public static ResourceQuota quota(Target t, OperatorSettings.Quota q) {
    Map<String, Quantity> hard = new LinkedHashMap<>();
    hard.put("pods", new Quantity(q.pods()));
    hard.put("requests.cpu", new Quantity(q.requestsCpu()));
    hard.put("requests.memory", new Quantity(q.requestsMemory()));
    hard.put("limits.memory", new Quantity(q.limitsMemory()));
    hard.put("requests.storage", new Quantity(q.requestsStorage()));
    hard.put("persistentvolumeclaims", new Quantity(q.persistentVolumeClaims()));
    return new ResourceQuotaBuilder().withMetadata(t.meta("codestore-quota"))
        .withNewSpec().withHard(hard).endSpec().build();
  }

  /** Defaults for containers that declare no resources, so the quota never rejects them for that. */
  public static LimitRange limitRange(Target t) {
    return new LimitRangeBuilder().withMetadata(t.meta("codestore-limits"))
        .withNewSpec().addNewLimit()
        .withType("Container")
        .withDefaultRequest(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
        .withDefault(Map.of("cpu", new Quantity("1"), "memory", new Quantity("512Mi")))
        .withMax(Map.of("memory", new Quantity("4Gi")))
        .endLimit().endSpec().build();
  }

  /**
   * Deny all ingress except from pods of this namespace (runtime to database) and from the
   * platform's namespaces (operator, ingress controller, CNPG).
   */
  public static NetworkPolicy networkPolicy(Target t, List<String> allowedNamespaces) {
    List<NetworkPolicyPeer> from = new ArrayList<>();
    from.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    for (String ns : allowedNamespaces) {
      // kubernetes.io/metadata.name is set by the API server from 1.21 on; older clusters label the namespace by hand.
      from.add(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
          .addToMatchLabels("kubernetes.io/metadata.name", ns).endNamespaceSelector().build());
    }
    from.add(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
        .addToMatchLabels("code.store/platform", "true").endNamespaceSelector().build());
    return new NetworkPolicyBuilder().withMetadata(t.meta("codestore-isolation"))
        .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
        .addNewIngress().withFrom(from).endIngress()
        .endSpec().build();
  }

  /** The runtime's identity: no RBAC binding and no mounted token, so it has no API rights. */
  public static ServiceAccount runtimeServiceAccount(Target t) {
    return new ServiceAccountBuilder().withMetadata(t.meta(RUNTIME_SERVICE_ACCOUNT))
        .withAutomountServiceAccountToken(false).build();
  }

}
