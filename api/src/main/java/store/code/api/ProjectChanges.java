package store.code.api;

import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ProjectSpec;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.ServiceUse;
import store.code.api.v1alpha1.ServiceUseEnvironment;

/**
 * What a client changes in a Project from the CLI or the console, with the person's own client: reuse a service
 * under an alias, stop reusing it, pin an environment to a version range. Each checks first and says what is wrong
 * ({@link Refused}), so nothing is half-applied; the write is one edit of the Project. Version ranges are checked by
 * the caller (the schema module's {@code VersionRanges}), which this module cannot see.
 */
public final class ProjectChanges {
  private static final Pattern SHORT_NAME = Pattern.compile(ProjectSpec.SHORT_NAME);

  private ProjectChanges() {}

  /** A change that cannot be made, with what is wrong and where. */
  public static final class Refused extends IllegalArgumentException {
    public Refused(String message) {
      super(message);
    }
  }

  /** A project's, an alias's or an environment's name: a lower-case DNS label of at most 24 characters. */
  public static void checkName(String what, String name) {
    if (name == null || !SHORT_NAME.matcher(name).matches()) {
      throw new Refused(what + " \"" + name + "\" is not a lower-case DNS label of at most 24 characters "
          + "(letters, digits, '-'; starting with a letter)");
    }
  }

  public static Project get(KubernetesClient client, String namespace, String name) {
    Project p = client.resources(Project.class).inNamespace(namespace).withName(name).get();
    if (p == null) {
      throw new Refused("no Project " + name + " in namespace " + namespace);
    }
    return p;
  }

  public static ServiceUse use(Project p, String alias) {
    return p.getSpec().getServices().stream().filter(u -> u.getName().equals(alias)).findFirst()
        .orElseThrow(() -> new Refused("Project " + p.getMetadata().getName() + " has no service " + alias
            + "; it has " + p.getSpec().getServices().stream().map(ServiceUse::getName).toList()));
  }

  public static void environment(Project p, String env) {
    if (!p.getSpec().getEnvironments().contains(env)) {
      throw new Refused("Project " + p.getMetadata().getName() + " has no environment " + env + "; it has "
          + p.getSpec().getEnvironments());
    }
  }

  /** {@code <namespace>/<name>}, or {@code <name>} of {@code defaultNamespace}. */
  public static ServiceRef serviceRef(String ref, String defaultNamespace) {
    String[] parts = ref == null ? new String[] {""} : ref.split("/", -1);
    if (parts.length > 2 || parts[parts.length - 1].isEmpty() || (parts.length == 2 && parts[0].isEmpty())) {
      throw new Refused("service \"" + ref + "\" is not <namespace>/<name> (or <name> in this namespace)");
    }
    return new ServiceRef(parts[parts.length - 1], parts.length == 2 ? parts[0] : defaultNamespace);
  }

  /**
   * Reuses {@code service} in the project as {@code alias}, running versions {@code range} (null: any): refused when
   * the alias is taken, the Service is not there or not shared with the project's namespace.
   */
  public static Project addService(KubernetesClient client, String namespace, String project, String alias,
      ServiceRef service, String range) {
    checkName("alias", alias);
    Project p = get(client, namespace, project);
    if (p.getSpec().getServices().stream().anyMatch(u -> u.getName().equals(alias))) {
      throw new Refused("Project " + project + " already has a service named " + alias + "; choose another alias");
    }
    CodeService s = client.resources(CodeService.class).inNamespace(service.getNamespace()).withName(service.getName())
        .get();
    if (s == null) {
      throw new Refused("no Service " + service.getName() + " in namespace " + service.getNamespace());
    }
    if (!Marketplace.admits(s, namespace)) {
      throw new Refused("Service " + service.getNamespace() + "/" + service.getName() + " is "
          + s.getSpec().getVisibility() + " and not shared with namespace " + namespace + ": ask its maker to make it "
          + "Public or to add " + namespace + " to spec.sharedWith");
    }
    return client.resources(Project.class).inNamespace(namespace).withName(project).edit(edited -> {
      ServiceUse use = new ServiceUse();
      use.setName(alias);
      use.setServiceRef(new ServiceRef(service.getName(), service.getNamespace()));
      use.setVersion(range);
      edited.getSpec().getServices().add(use);
      return edited;
    });
  }

  /** Stops reusing the service {@code alias}: its instances go, as the project's deletionPolicy says. */
  public static Project removeService(KubernetesClient client, String namespace, String project, String alias) {
    use(get(client, namespace, project), alias);
    return client.resources(Project.class).inNamespace(namespace).withName(project).edit(edited -> {
      edited.getSpec().getServices().removeIf(u -> u.getName().equals(alias));
      return edited;
    });
  }

  /** Pins environment {@code env} of the service {@code alias} to versions {@code range}. */
  public static Project promote(KubernetesClient client, String namespace, String project, String alias, String env,
      String range) {
    Project p = get(client, namespace, project);
    use(p, alias);
    environment(p, env);
    return client.resources(Project.class).inNamespace(namespace).withName(project).edit(edited -> {
      use(edited, alias).getEnvironments().computeIfAbsent(env, e -> new ServiceUseEnvironment()).setVersion(range);
      return edited;
    });
  }
}
