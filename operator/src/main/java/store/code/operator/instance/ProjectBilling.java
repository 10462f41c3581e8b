package store.code.operator.instance;

import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import store.code.api.Labels;
import store.code.api.v1alpha1.ServiceInstance;

/**
 * Whether someone is billed for an instance. Usage is billed to its project's UsageReport, which the collector finds
 * by the {@code code.store/project} label; an instance whose label and {@code spec.project} do not name a Project of
 * its namespace (as a hand-made one may not) would run for free, so it is not provisioned at all.
 */
public final class ProjectBilling {

  private ProjectBilling() {}

  /** Why no one would be billed for {@code instance}, or empty when its project would be. */
  public static Optional<String> unbilledBecause(ServiceInstance instance, Predicate<String> projectExists) {
    String project = instance.getSpec().getProject();
    String ns = instance.getMetadata().getNamespace();
    Map<String, String> labels = instance.getMetadata().getLabels();
    String label = labels == null ? null : labels.get(Labels.PROJECT);
    if (project == null || project.isEmpty()) {
      return Optional.of("spec.project is empty: an instance is billed to a Project of namespace " + ns
          + "; list the service in a Project's spec.services instead of making the instance by hand");
    }
    if (!project.equals(label)) {
      return Optional.of("label " + Labels.PROJECT + " is " + (label == null ? "missing" : "\"" + label + "\"")
          + " but spec.project is \"" + project + "\": usage is billed by that label, so they must agree; "
          + "list the service in Project " + project + "'s spec.services instead of making the instance by hand");
    }
    if (!projectExists.test(project)) {
      return Optional.of("Project " + ns + "/" + project + " does not exist, so no one would be billed for this "
          + "instance and nothing is provisioned: create the Project (it makes its instances from spec.services)");
    }
    return Optional.empty();
  }
}
