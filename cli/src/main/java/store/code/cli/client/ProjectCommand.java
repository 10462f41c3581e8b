package store.code.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.Marketplace;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ProjectSpec;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.ServiceUse;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;
import store.code.schema.VersionRanges;

/** {@code codestore project create|add|remove}: a client's Project, without writing its YAML. */
@Command(name = "project", description = "Create a Project, add a service to it, remove one.",
    subcommands = {ProjectCommand.Create.class, ProjectCommand.Add.class, ProjectCommand.Remove.class})
public class ProjectCommand implements Runnable {
  static final Pattern SHORT_NAME = Pattern.compile(ProjectSpec.SHORT_NAME);

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: create, add or remove");
  }

  static void checkName(String what, String name) {
    if (!SHORT_NAME.matcher(name).matches()) {
      throw new UserError(what + " \"" + name + "\" is not a lower-case DNS label of at most 24 characters "
          + "(letters, digits, '-'; starting with a letter)");
    }
  }

  @Command(name = "create", description = "Create a Project with its environments.")
  public static class Create extends ClusterCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--env", split = ",", required = true, description = "Its environments, e.g. dev,prod.")
    List<String> environments;

    @Override
    protected void run() {
      checkName("project name", name);
      environments.forEach(e -> checkName("environment", e));
      if (client.resources(Project.class).inNamespace(namespace).withName(name).get() != null) {
        throw new UserError("Project " + name + " already exists in namespace " + namespace);
      }
      Project p = new Project();
      p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
      p.setSpec(new ProjectSpec());
      p.getSpec().setEnvironments(new ArrayList<>(environments));
      client.resource(p).create();
      out.println("Project " + name + " created in namespace " + namespace + " with environments " + environments
          + "; add a service: codestore project add " + name + " <alias> --service <namespace>/<name>");
      out.flush();
    }
  }

  @Command(name = "add", description = "Reuse a Service in a Project under an alias (an instance per environment).")
  public static class Add extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "ALIAS")
    String alias;

    @Option(names = "--service", required = true, paramLabel = "NAMESPACE/NAME",
        description = "The Service (codestore marketplace lists those you may reuse).")
    String service;

    @Option(names = "--version", paramLabel = "RANGE",
        description = "Semver range of its versions to run (1.x, ^1.2, 1.4.0); default: the published one, whatever it is.")
    String version;

    @Override
    protected void run() {
      checkName("alias", alias);
      VersionRanges.problem(version).ifPresent(why -> {
        throw new UserError("--version " + why);
      });
      String[] ref = service.split("/", -1);
      if (ref.length > 2 || ref[ref.length - 1].isEmpty()) {
        throw new UserError("--service \"" + service + "\" is not <namespace>/<name> (or <name> in this namespace)");
      }
      String serviceNamespace = ref.length == 2 ? ref[0] : namespace;
      String serviceName = ref[ref.length - 1];
      Project p = Projects.get(client, namespace, project);
      if (p.getSpec().getServices().stream().anyMatch(u -> u.getName().equals(alias))) {
        throw new UserError("Project " + project + " already has a service named " + alias + "; choose another alias");
      }
      CodeService s = client.resources(CodeService.class).inNamespace(serviceNamespace).withName(serviceName).get();
      if (s == null) {
        throw new UserError("no Service " + serviceName + " in namespace " + serviceNamespace
            + " (codestore marketplace lists the services you may reuse)");
      }
      if (!Marketplace.admits(s, namespace)) {
        throw new UserError("Service " + serviceNamespace + "/" + serviceName + " is " + s.getSpec().getVisibility()
            + " and not shared with namespace " + namespace + ": ask its maker to make it Public or to add " + namespace
            + " to spec.sharedWith");
      }
      client.resources(Project.class).inNamespace(namespace).withName(project).edit(edited -> {
        ServiceUse use = new ServiceUse();
        use.setName(alias);
        use.setServiceRef(new ServiceRef(serviceName, serviceNamespace));
        use.setVersion(version);
        edited.getSpec().getServices().add(use);
        return edited;
      });
      out.println("Project " + project + ": " + alias + " (" + serviceNamespace + "/" + serviceName
          + (version == null ? "" : ", versions " + version) + ") added in " + p.getSpec().getEnvironments()
          + "; watch it: codestore status " + project);
      out.flush();
    }
  }

  @Command(name = "remove", description = "Stop reusing a service in a Project (its instances go, as deletionPolicy says).")
  public static class Remove extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "ALIAS")
    String alias;

    @Override
    protected void run() {
      Project p = Projects.get(client, namespace, project);
      Projects.use(p, alias);
      client.resources(Project.class).inNamespace(namespace).withName(project).edit(edited -> {
        edited.getSpec().getServices().removeIf(u -> u.getName().equals(alias));
        return edited;
      });
      out.println("Project " + project + ": " + alias + " removed; its instances are deleted (deletionPolicy "
          + p.getSpec().getDeletionPolicy() + " decides what happens to their data)");
      out.flush();
    }
  }
}
