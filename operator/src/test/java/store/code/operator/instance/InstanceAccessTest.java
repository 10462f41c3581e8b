package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import store.code.api.Labels;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceRef;

class InstanceAccessTest {

  static RoleBinding binding(String name, String kind, String role, Map<String, String> labels, Subject... subjects) {
    return new RoleBindingBuilder().withMetadata(new ObjectMetaBuilder().withNamespace("acme").withName(name)
            .withLabels(labels).build())
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind(kind).withName(role).endRoleRef()
        .withSubjects(subjects).build();
  }

  static Subject user(String name) {
    return new Subject("rbac.authorization.k8s.io", "User", name, null);
  }

  static Subject group(String name) {
    return new Subject("rbac.authorization.k8s.io", "Group", name, null);
  }

  static Subject serviceAccount(String name, String namespace) {
    return new Subject(null, "ServiceAccount", name, namespace);
  }

  @Test
  void adminEditCodestoreEditAndLabelledBindingsAreMirroredViewAndOthersAreNot() {
    List<Subject> subjects = InstanceAccess.subjects(List.of(
        binding("owners", "ClusterRole", "admin", Map.of(), user("ann"), group("shop-devs")),
        binding("devs", "ClusterRole", "edit", Map.of(), user("bob"), user("ann")),
        binding("readers", "ClusterRole", "view", Map.of(), user("vic")),
        binding("platform-clients", "ClusterRole", "codestore-edit", Map.of(), user("fay")),
        binding("platform-readers", "ClusterRole", "codestore-view", Map.of(), user("gus")),
        binding("custom", "Role", "shop-operator", Map.of(Labels.INSTANCE_ACCESS, "true"), user("cat"),
            serviceAccount("ci", null)),
        binding("custom-off", "Role", "shop-operator", Map.of(Labels.INSTANCE_ACCESS, "false"), user("dan")),
        // a namespaced Role that happens to be called admin is not the built-in ClusterRole
        binding("fake-admin", "Role", "admin", Map.of(), user("eve")),
        binding("no-subjects", "ClusterRole", "edit", Map.of())));
    assertThat(subjects).extracting(s -> s.getKind() + ":" + s.getName() + ":" + s.getNamespace()).containsExactly(
        "Group:shop-devs:null", "ServiceAccount:ci:acme", "User:ann:null", "User:bob:null", "User:cat:null",
        "User:fay:null");
    assertThat(subjects).filteredOn(s -> !s.getKind().equals("ServiceAccount"))
        .allSatisfy(s -> assertThat(s.getApiGroup()).isEqualTo("rbac.authorization.k8s.io"));
    assertThat(InstanceAccess.subjects(List.of())).isEmpty();
  }

  @Test
  void theRoleReadsPodsAndLogsAndProxiesToTheApiPortOnly() {
    ServiceInstance si = new ServiceInstance();
    si.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-cart-dev").build());
    si.setSpec(new ServiceInstanceSpec());
    si.getSpec().setProject("webshop");
    si.getSpec().setEnvironment("dev");
    si.getSpec().setServiceRef(new ServiceRef());
    si.getSpec().getServiceRef().setName("cart");
    Target t = Target.of(si);
    var role = InstanceAccess.role(t);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(t.namespace());
    assertThat(role.getRules()).flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("pods", "pods/log", "services/proxy");
    assertThat(role.getRules()).flatExtracting(PolicyRule::getVerbs).doesNotContain("*", "delete", "update", "patch");
    PolicyRule proxy = role.getRules().stream().filter(r -> r.getResources().contains("services/proxy")).findFirst()
        .orElseThrow();
    assertThat(proxy.getResourceNames()).allSatisfy(n -> assertThat(n).contains("runtime")
        .doesNotContain(String.valueOf(RuntimeManifests.MANAGEMENT_PORT)).doesNotContain("management"))
        .doesNotContain("runtime");
    var bound = InstanceAccess.binding(t, List.of(user("ann")));
    assertThat(bound.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(bound.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(InstanceAccess.binding(t, List.of()).getSubjects()).as("the last subject removed is revoked").isEmpty();
  }
}
