package store.code.cli.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceUse;
import store.code.cli.UserError;

/** Reading a Project and one of its services, with the errors a user needs when either is not there. */
final class Projects {
  private Projects() {}

  static Project get(KubernetesClient client, String namespace, String name) {
    Project p = client.resources(Project.class).inNamespace(namespace).withName(name).get();
    if (p == null) {
      throw new UserError("no Project " + name + " in namespace " + namespace
          + " (codestore project create " + name + " --env dev,prod makes one)");
    }
    return p;
  }

  static ServiceUse use(Project p, String alias) {
    return p.getSpec().getServices().stream().filter(u -> u.getName().equals(alias)).findFirst()
        .orElseThrow(() -> new UserError("Project " + p.getMetadata().getName() + " has no service " + alias
            + "; it has " + p.getSpec().getServices().stream().map(ServiceUse::getName).toList()));
  }

  static void environment(Project p, String env) {
    if (!p.getSpec().getEnvironments().contains(env)) {
      throw new UserError("Project " + p.getMetadata().getName() + " has no environment " + env + "; it has "
          + p.getSpec().getEnvironments());
    }
  }

  /** {@code project/alias}, as promote takes it. */
  static String[] projectAndAlias(String ref) {
    String[] parts = ref.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new UserError("\"" + ref + "\" is not <project>/<alias> (e.g. webshop/cart)");
    }
    return parts;
  }
}
