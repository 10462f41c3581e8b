package store.code.operator.support;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import store.code.operator.config.OperatorSettings;

/**
 * RoleBindings of one of the operator's ClusterRoles to its own ServiceAccount, in a namespace where it writes. The
 * operator's ClusterRole has no write on Secrets, Deployments and the like anywhere; it may create RoleBindings of
 * these roles only ({@code bind} is limited to their names), and creates them in the namespaces it manages.
 */
public final class OperatorBindings {

  private OperatorBindings() {}

  public static RoleBinding binding(ObjectMeta meta, OperatorSettings.Rbac rbac, String clusterRole) {
    return new RoleBindingBuilder().withMetadata(meta)
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(rbac.serviceAccountName())
        .withNamespace(rbac.serviceAccountNamespace()).endSubject()
        .build();
  }
}
