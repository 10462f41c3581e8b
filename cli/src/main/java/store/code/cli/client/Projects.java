package store.code.cli.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.ProjectChanges;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceUse;
import store.code.cli.UserError;

/**
 * Reading a Project and one of its services for a command, with the errors a user needs when either is not there
 * ({@link ProjectChanges}, shared with the console, says what; this adds the command that helps).
 */
final class Projects {
  private Projects() {}

  static Project get(KubernetesClient client, String namespace, String name) {
    try {
      return ProjectChanges.get(client, namespace, name);
    } catch (ProjectChanges.Refused e) {
      throw new UserError(e.getMessage() + " (codestore project create " + name + " --env dev,prod makes one)");
    }
  }

  static ServiceUse use(Project p, String alias) {
    return ProjectChanges.use(p, alias);
  }

  static void environment(Project p, String env) {
    ProjectChanges.environment(p, env);
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
