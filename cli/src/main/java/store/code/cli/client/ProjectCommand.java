package store.code.cli.client;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.ProjectChanges;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ProjectSpec;
import store.code.api.v1alpha1.ServiceRef;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;
import store.code.schema.VersionRanges;

/** {@code codestore project create|add|remove}: a client's Project, without writing its YAML. */
@Command(name = "project", description = "Create a Project, add a service to it, remove one.",
    subcommands = {ProjectCommand.Create.class, ProjectCommand.Add.class, ProjectCommand.Remove.class})
public class ProjectCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: create, add or remove");
  }

  @Command(name = "create", description = "Create a Project with its environments.")
  public static class Create extends ClusterCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--env", split = ",", required = true, description = "Its environments, e.g. dev,prod.")
    List<String> environments;

    @Override
    protected void run() {
      ProjectChanges.checkName("project name", name);
      environments.forEach(e -> ProjectChanges.checkName("environment", e));
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
      VersionRanges.problem(version).ifPresent(why -> {
        throw new UserError("--version " + why);
      });
      Project p = Projects.get(client, namespace, project);
      ServiceRef ref = ProjectChanges.serviceRef(service, namespace);
      ProjectChanges.addService(client, namespace, project, alias, ref, version);
      out.println("Project " + project + ": " + alias + " (" + ref.getNamespace() + "/" + ref.getName()
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
      ProjectChanges.removeService(client, namespace, project, alias);
      out.println("Project " + project + ": " + alias + " removed; its instances are deleted (deletionPolicy "
          + p.getSpec().getDeletionPolicy() + " decides what happens to their data)");
      out.flush();
    }
  }
}
