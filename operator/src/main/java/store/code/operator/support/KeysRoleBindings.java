package store.code.operator.support;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Labels;
import store.code.operator.config.OperatorSettings;

/**
 * The keys role bound to the operator in a project's namespace, before it writes key Secrets there or reads the
 * Secrets a Project's secretRefs name: the operator has no right on Secrets cluster-wide. Bound once per namespace
 * and process, never removed; nothing is bound without RBAC settings (a local run with the user's own kubeconfig).
 */
public final class KeysRoleBindings {
  public static final String NAME = "codestore-operator-keys";

  private final KubernetesClient client;
  private final Optional<OperatorSettings.Rbac> rbac;
  private final Set<String> bound = ConcurrentHashMap.newKeySet();

  public KeysRoleBindings(KubernetesClient client, Optional<OperatorSettings.Rbac> rbac) {
    this.client = client;
    this.rbac = rbac;
  }

  public void bindIn(String namespace) {
    if (rbac.isEmpty() || bound.contains(namespace)) {
      return;
    }
    var meta = new ObjectMetaBuilder().withName(NAME).withNamespace(namespace)
        .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)).build();
    new Applier(client).apply(OperatorBindings.binding(meta, rbac.get(), rbac.get().keysRole()));
    bound.add(namespace);
  }
}
