package store.code.cli;

import java.io.PrintWriter;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import store.code.cli.client.KeysCommand;
import store.code.cli.client.LogsCommand;
import store.code.cli.client.MarketplaceCommand;
import store.code.cli.client.ProjectCommand;
import store.code.cli.client.PromoteCommand;
import store.code.cli.client.QueryCommand;
import store.code.cli.client.SecretsCommand;
import store.code.cli.client.StatusCommand;
import store.code.cli.client.UsageCommand;
import store.code.cli.maker.DevCommand;
import store.code.cli.maker.InitCommand;
import store.code.cli.maker.PublishCommand;
import store.code.cli.maker.RevenueCommand;
import store.code.cli.maker.RevisionsCommand;
import store.code.cli.maker.ServicesCommand;
import store.code.cli.maker.ValidateCommand;

/**
 * {@code codestore}: makers publish and watch services, clients reuse them in projects, on the Kubernetes API alone
 * with the user's own kubeconfig and RBAC. Exit codes: 0 done, 1 a user error (the message says what and where), 2 a
 * usage error.
 */
@Command(name = "codestore", mixinStandardHelpOptions = true, version = "codestore 0.1.0",
    description = "code.store on Kubernetes: publish GraphQL services, reuse them in projects per environment.",
    subcommands = {
        // maker
        InitCommand.class, ValidateCommand.class, DevCommand.class, PublishCommand.class, ServicesCommand.class,
        RevisionsCommand.class, RevenueCommand.class,
        // client
        MarketplaceCommand.class, ProjectCommand.class, PromoteCommand.class, StatusCommand.class, SecretsCommand.class,
        UsageCommand.class, KeysCommand.class,
        // both
        LogsCommand.class, QueryCommand.class, CompletionCommand.class,
        HelpCommand.class})
public final class Codestore implements Runnable {
  public static final int USER_ERROR = 1;

  final Clients clients;
  /** What "this month" is (usage); UTC, as UsageReports are named. */
  final java.time.Clock clock;

  @Spec
  CommandSpec spec;

  public Codestore(Clients clients, java.time.Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command (codestore help lists them)");
  }

  public static void main(String[] args) {
    System.exit(commandLine(Clients.fromKubeconfig(), new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args));
  }

  /** The command line, with where it connects and prints: what tests drive. */
  public static CommandLine commandLine(Clients clients, PrintWriter out, PrintWriter err) {
    return commandLine(clients, java.time.Clock.systemUTC(), out, err);
  }

  public static CommandLine commandLine(Clients clients, java.time.Clock clock, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Codestore(clients, clock));
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("error: " + explain(e));
      line.getErr().flush();
      return USER_ERROR;
    });
    return cl;
  }

  /** What went wrong, in the words a user needs; an RBAC denial is said as one, with the API server's words. */
  static String explain(Exception e) {
    if (e instanceof UserError || e instanceof store.code.api.ProjectChanges.Refused) {
      return e.getMessage();
    }
    KubernetesClientException k = cause(e, KubernetesClientException.class);
    if (k != null) {
      String said = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage();
      if (k.getCode() <= 0 && cause(e, java.io.IOException.class) != null) {
        return "cannot reach the Kubernetes API server: " + rootMessage(e)
            + " (check --context, KUBECONFIG and that the cluster runs)";
      }
      return switch (k.getCode()) {
        case 403 -> "forbidden: your Kubernetes identity may not do this (RBAC): " + said;
        case 401 -> "the Kubernetes API server did not accept your credentials (check the kubeconfig context): " + said;
        default -> "the Kubernetes API server answered " + k.getCode() + ": " + said;
      };
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
