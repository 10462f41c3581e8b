package store.code.operator.instance;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.IntOrString;
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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import store.code.api.v1alpha1.CodeEgress;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.support.OperatorBindings;
import store.code.operator.support.StepResult;

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

  /** Set by the API server on every namespace from 1.21 on; on older clusters, label the namespaces named here by hand. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
  public static final String ISOLATION_POLICY = "codestore-isolation";
  public static final String CALLERS_POLICY = "codestore-runtime-callers";
  public static final String EGRESS_POLICY = "codestore-runtime-egress";

  /**
   * Every pod of the namespace (runtime and database) admits only pods of this namespace (runtime to database) and
   * of the platform's namespaces (the operator reads usage and health; CloudNativePG manages its database pods).
   * Nothing of another tenant, and no client, reaches a database.
   */
  public static NetworkPolicy networkPolicy(Target t, OperatorSettings.Network network) {
    List<NetworkPolicyPeer> from = new ArrayList<>();
    from.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
    for (String ns : network.platformNamespaces()) {
      from.add(namespaceNamed(ns));
    }
    from.add(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
        .addToMatchLabels("code.store/platform", "true").endNamespaceSelector().build());
    return new NetworkPolicyBuilder().withMetadata(t.meta(ISOLATION_POLICY))
        .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress")
        .addNewIngress().withFrom(from).endIngress()
        .endSpec().build();
  }

  /**
   * The runtime's API port admits the instance's callers: the client's own namespace (the Project's, so its
   * workloads can call the instance in-cluster), and the ingress controller's when the instance has an Ingress.
   * Only the API port: health, metrics and usage stay with the platform.
   */
  public static NetworkPolicy runtimeCallers(Target t, OperatorSettings.Network network, boolean ingress) {
    List<NetworkPolicyPeer> from = new ArrayList<>();
    from.add(namespaceNamed(t.instanceNamespace()));
    if (ingress) {
      network.ingressControllerNamespace().ifPresent(ns -> from.add(namespaceNamed(ns)));
    }
    return new NetworkPolicyBuilder().withMetadata(t.meta(CALLERS_POLICY))
        .withNewSpec().withNewPodSelector().withMatchLabels(t.runtimeSelector()).endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress().withFrom(from).addNewPort().withProtocol("TCP").withPort(new IntOrString(RuntimeManifests.PORT))
        .endPort().endIngress()
        .endSpec().build();
  }

  /**
   * What the runtime may connect to, nothing else: pods of its own namespace (a CloudNativePG database), DNS, and
   * the endpoints its steps reported (an external database, its bucket, the project's identity provider). A policy
   * cannot name a host: an endpoint given as an IP address is admitted as that address; a cluster Service name
   * ({@code name.namespace.svc...}) as that namespace on that port; a bare name as this namespace; any other name
   * as that port on any address (write endpoints as IP addresses or Service names to narrow it).
   */
  public static NetworkPolicy runtimeEgress(Target t, List<StepResult.Endpoint> endpoints) {
    return runtimeEgress(t, endpoints, List.of());
  }

  /**
   * The same, plus what the maker's handlers may reach ({@code Service.spec.code.egress}): its containers share the
   * pod's network, and a policy selects pods, so these are the pod's too.
   */
  public static NetworkPolicy runtimeEgress(Target t, List<StepResult.Endpoint> endpoints, List<CodeEgress> code) {
    List<NetworkPolicyEgressRule> rules = new ArrayList<>();
    rules.add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewPodSelector().endPodSelector().endTo().build());
    rules.add(new NetworkPolicyEgressRuleBuilder()
        .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort().build());
    for (StepResult.Endpoint e : new java.util.LinkedHashSet<>(endpoints)) {
      NetworkPolicyEgressRuleBuilder rule = new NetworkPolicyEgressRuleBuilder()
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(e.port())).endPort();
      String host = e.host() == null ? "" : e.host().replaceAll("^\\[|\\]$", "");
      String[] labels = host.split("\\.");
      if (isIpLiteral(host)) {
        rule.addNewTo().withNewIpBlock().withCidr(host + (host.contains(":") ? "/128" : "/32")).endIpBlock().endTo();
      } else if (labels.length >= 3 && labels[2].equals("svc")) {
        rule.addNewTo().withNamespaceSelector(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
            .addToMatchLabels(NAMESPACE_NAME_LABEL, labels[1]).build()).endTo();
      } else if (labels.length == 1) { // a Service of this namespace, through the search path
        rule.addNewTo().withNewPodSelector().endPodSelector().endTo();
      } // else: a name outside the cluster (or "name.namespace", which cannot be told from one): the port anywhere
      rules.add(rule.build());
    }
    for (CodeEgress e : code) {
      rules.add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewIpBlock().withCidr(e.getCidr()).endIpBlock().endTo()
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(e.getPort())).endPort().build());
    }
    return new NetworkPolicyBuilder().withMetadata(t.meta(EGRESS_POLICY))
        .withNewSpec().withNewPodSelector().withMatchLabels(t.runtimeSelector()).endPodSelector()
        .withPolicyTypes("Egress").withEgress(rules)
        .endSpec().build();
  }

  /** The project's identity provider's key set, which the runtime fetches (an endpoint of its egress). */
  public static Optional<StepResult.Endpoint> identityProviderEndpoint(ServiceInstance instance) {
    var auth = instance.getSpec().getAuth();
    String uri = auth == null || auth.getJwt() == null ? null : auth.getJwt().getJwksUri();
    if (uri == null || uri.isBlank()) {
      return Optional.empty();
    }
    try {
      URI u = URI.create(uri);
      return u.getHost() == null ? Optional.empty() : Optional.of(StepResult.Endpoint.of(u));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the runtime refuses it and says so
    }
  }

  private static NetworkPolicyPeer namespaceNamed(String ns) {
    return new NetworkPolicyPeerBuilder().withNewNamespaceSelector().addToMatchLabels(NAMESPACE_NAME_LABEL, ns)
        .endNamespaceSelector().build();
  }

  /** An IPv4 or IPv6 address written out, told without a DNS lookup. */
  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.contains(":") && host.matches("[0-9a-fA-F:.]+");
  }

  /** The RoleBinding that lets the operator write in this instance namespace, and in no namespace it does not manage. */
  public static final String OPERATOR_BINDING = "codestore-operator";

  /** Binds the instance ClusterRole (Secrets, Deployments, ... of this namespace) to the operator's ServiceAccount. */
  public static RoleBinding operatorBinding(Target t, OperatorSettings.Rbac rbac) {
    return OperatorBindings.binding(t.meta(OPERATOR_BINDING), rbac, rbac.instanceRole());
  }

  /** The runtime's identity: no RBAC binding and no mounted token, so it has no API rights. */
  public static ServiceAccount runtimeServiceAccount(Target t) {
    return new ServiceAccountBuilder().withMetadata(t.meta(RUNTIME_SERVICE_ACCOUNT))
        .withAutomountServiceAccountToken(false).build();
  }

}
