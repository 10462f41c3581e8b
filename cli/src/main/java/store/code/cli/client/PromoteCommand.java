package store.code.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.ProjectChanges;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;
import store.code.schema.VersionRanges;

/**
 * {@code codestore promote <project>/<alias> --env prod --version 2.x}: pins one environment of one service to a
 * range. The operator moves the instance after a dry run of the migration against its database.
 */
@Command(name = "promote", description = "Pin one environment of a project's service to a version range.")
public class PromoteCommand extends ClusterCommand {
  @Parameters(paramLabel = "PROJECT/ALIAS")
  String ref;

  @Option(names = "--env", required = true, description = "The environment to promote, e.g. prod.")
  String environment;

  @Option(names = "--version", required = true, paramLabel = "RANGE", description = "e.g. 2.x, ^2.1, 2.1.0, or * for any.")
  String version;

  @Override
  protected void run() {
    String[] pa = Projects.projectAndAlias(ref);
    VersionRanges.problem(version).ifPresent(why -> {
      throw new UserError("--version " + why);
    });
    Projects.get(client, namespace, pa[0]);
    ProjectChanges.promote(client, namespace, pa[0], pa[1], environment, version);
    out.println(ref + " in " + environment + " now runs versions " + version
        + "; the move waits for a dry run of the migration: codestore status " + pa[0]);
    out.flush();
  }
}
