package store.code.operator.instance;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Labels;
import store.code.api.Reasons;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.apikey.ProjectKeys;
import store.code.operator.config.OperatorSettings;
import store.code.operator.support.Applier;
import store.code.api.SecretData;
import store.code.operator.support.StepResult;

/**
 * Step 1 of provisioning: the instance's namespace, then (through the operator's RoleBinding there) its guardrails:
 * quota, limits, network policies, the runtime's rightless ServiceAccount, the hashes of the project's keys, and
 * read access for the people of the project's namespace ({@link InstanceAccess}).
 * Not ready when the namespace belongs to someone else ({@code NamespaceConflict}, left untouched) or is still
 * being deleted ({@code NamespaceTerminating}).
 */
final class NamespaceStep {
  private final KubernetesClient client;
  private final Applier applier;
  private final OperatorSettings settings;
  private final Clock clock;
  private final KeyHandover keyHandover;
  private final SecureRandom random = new SecureRandom();

  NamespaceStep(KubernetesClient client, Applier applier, OperatorSettings settings, Clock clock) {
    this.client = client;
    this.applier = applier;
    this.settings = settings;
    this.clock = clock;
    this.keyHandover = new KeyHandover(client);
  }

  /**
   * {@code keys}: the ApiKeys of the instance's namespace; {@code bindings}: its RoleBindings (whose people may look
   * into the instance, {@link InstanceAccess}); both from the informers' caches.
   */
  StepResult reconcile(Target t, ServiceInstance instance, List<ApiKey> keys, List<RoleBinding> bindings) {
    Namespace desiredNamespace = NamespaceManifests.namespace(t);
    Namespace ns = applier.current(desiredNamespace);
    if (ns != null && !isOurs(ns, t)) {
      return StepResult.waiting(Reasons.NAMESPACE_CONFLICT, "namespace " + t.namespace()
          + " exists but does not belong to this instance; it is left untouched: remove or rename it");
    }
    if (ns != null && ns.getMetadata().getDeletionTimestamp() != null) {
      return StepResult.waiting(Reasons.NAMESPACE_TERMINATING, "namespace " + t.namespace()
          + " is still being deleted; provisioning resumes when it is gone");
    }
    applier.apply(desiredNamespace, ns);
    boolean created = ns == null; // read from the API server on a cache miss: it was not there
    if (created) {
      applier.namespaceCreated(t.namespace());
    }
    // first: the operator writes everything else in the namespace through this binding
    settings.rbac().ifPresent(rbac -> applier.apply(NamespaceManifests.operatorBinding(t, rbac)));
    if (ns != null && ns.getMetadata().getLabels() != null && ns.getMetadata().getLabels().containsKey(Labels.RETAINED)) {
      client.namespaces().withName(t.namespace()).edit(n -> {
        n.getMetadata().getLabels().remove(Labels.RETAINED);
        return n;
      });
    }
    applier.apply(NamespaceManifests.quota(t, settings.quota()));
    applier.apply(NamespaceManifests.limitRange(t));
    applier.apply(NamespaceManifests.networkPolicy(t, settings.network()));
    applier.apply(NamespaceManifests.runtimeCallers(t, settings.network(), settings.ingressDomain().isPresent()));
    applier.apply(NamespaceManifests.runtimeServiceAccount(t));
    applier.apply(InstanceAccess.role(t));
    applier.apply(InstanceAccess.binding(t, InstanceAccess.subjects(bindings)));
    applyKeys(t, instance, keys, created);
    return StepResult.ready("NamespaceReady", "namespace " + t.namespace()
        + " with quota, limits, network policies, runtime service account, the project's API key hashes, and "
        + "logs and API access for the people of namespace " + instance.getMetadata().getNamespace());
  }

  /**
   * The instance's key hashes; when they changed, handed to the running pods at once as well. In a namespace created
   * in this pass there is no Secret yet to read.
   */
  private void applyKeys(Target t, ServiceInstance instance, List<ApiKey> keys, boolean namespaceCreated) {
    String lines = ProjectKeys.keysFile(keys, instance, clock.instant());
    Secret current = namespaceCreated ? null
        : client.secrets().inNamespace(t.namespace()).withName(RuntimeManifests.KEYS_SECRET).get();
    Map<String, String> stored = current == null ? Map.of() : SecretData.decode(current);
    String token = stored.get(RuntimeManifests.PUSH_TOKEN);
    if (token == null || token.length() < 32) {
      token = ProjectKeys.newPushToken(random);
    }
    applier.apply(RuntimeManifests.keysSecret(t, lines, token), current);
    if (current != null && !lines.equals(stored.get(RuntimeManifests.KEYS_FILE))) {
      keyHandover.handOver(t, lines, token);
    }
  }

  static boolean isOurs(Namespace ns, Target t) {
    Map<String, String> a = ns.getMetadata().getAnnotations();
    return a != null && t.instanceNamespace().equals(a.get(Labels.INSTANCE_NAMESPACE_ANNOTATION))
        && t.instanceName().equals(a.get(Labels.INSTANCE_NAME_ANNOTATION));
  }
}
