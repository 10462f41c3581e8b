package store.code.operator.instance;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import store.code.api.Labels;

/**
 * Who may look into an instance's namespace: the people of its project's namespace. Instance namespaces are the
 * operator's, named by a hash, so nobody holds a binding there; the subjects of the project namespace's RoleBindings
 * to {@code admin} or {@code edit} (the roles a namespace's owners and developers hold), to the chart's
 * {@code codestore-edit} (the platform's own role for who publishes and reuses services there) or labelled
 * {@code code.store/instance-access=true} (any other role) get a Role there that reads the runtime's pods and their
 * logs ({@code codestore logs}) and calls its API port through the API server's service proxy ({@code codestore
 * query}, the Console). Nothing else: not its Secrets, not its management port (usage counters, migration dry runs),
 * not another project's instances. Changes in the project namespace's bindings follow within a reconcile.
 */
final class InstanceAccess {
  static final String NAME = "codestore-instance-access";
  /** The user-facing ClusterRoles (Kubernetes' and the chart's) whose holders in a project namespace get this access. */
  static final Set<String> MIRRORED_CLUSTER_ROLES = Set.of("admin", "edit", "codestore-edit");
  /**
   * The names the API server's service proxy authorizes for the runtime's API port (8080, "http"), with and without
   * a scheme; {@code runtime} alone and the management port (9000) are not among them.
   */
  static final List<String> API_PORT_PROXY_NAMES = List.of("runtime:8080", "http:runtime:8080", "runtime:http",
      "http:runtime:http");

  private InstanceAccess() {}

  /** Whether {@code binding}'s subjects look into the instances of its namespace. */
  static boolean mirrors(RoleBinding binding) {
    Map<String, String> labels = binding.getMetadata().getLabels();
    if (labels != null && "true".equals(labels.get(Labels.INSTANCE_ACCESS))) {
      return true;
    }
    var ref = binding.getRoleRef();
    return ref != null && "ClusterRole".equals(ref.getKind()) && MIRRORED_CLUSTER_ROLES.contains(ref.getName());
  }

  /**
   * The subjects of the mirrored bindings among {@code projectNamespaceBindings}, each once, in a stable order (an
   * unchanged world applies nothing). A ServiceAccount named without a namespace is the binding's namespace's.
   */
  static List<Subject> subjects(List<RoleBinding> projectNamespaceBindings) {
    Map<String, Subject> unique = new TreeMap<>();
    for (RoleBinding b : projectNamespaceBindings) {
      if (!mirrors(b) || b.getSubjects() == null) {
        continue;
      }
      for (Subject s : b.getSubjects()) {
        SubjectBuilder copy = new SubjectBuilder().withKind(s.getKind()).withName(s.getName());
        if ("ServiceAccount".equals(s.getKind())) {
          copy.withNamespace(s.getNamespace() != null ? s.getNamespace() : b.getMetadata().getNamespace());
        } else {
          copy.withApiGroup("rbac.authorization.k8s.io");
        }
        Subject c = copy.build();
        unique.putIfAbsent(c.getKind() + "/" + c.getNamespace() + "/" + c.getName(), c);
      }
    }
    return unique.values().stream().sorted(Comparator.comparing(Subject::getKind).thenComparing(Subject::getName))
        .toList();
  }

  static Role role(Target t) {
    return new RoleBuilder().withMetadata(t.meta(NAME)).withRules(
        new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list").build(),
        new PolicyRuleBuilder().withApiGroups("").withResources("pods/log").withVerbs("get").build(),
        new PolicyRuleBuilder().withApiGroups("").withResources("services/proxy").withResourceNames(API_PORT_PROXY_NAMES)
            .withVerbs("get", "create").build())
        .build();
  }

  /** The Role bound to {@code subjects}; with none, a binding without subjects (the last one removed is revoked). */
  static RoleBinding binding(Target t, List<Subject> subjects) {
    return new RoleBindingBuilder().withMetadata(t.meta(NAME))
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(NAME).endRoleRef()
        .withSubjects(subjects).build();
  }
}
