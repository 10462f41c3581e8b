package store.code.cli.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.ConditionTypes;
import store.code.api.Conditions;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.cli.ClusterCommand;
import store.code.cli.Output;
import store.code.cli.UserError;

/**
 * {@code codestore keys create|list|revoke}: a project's API keys. The operator makes each key and writes it once into
 * the ApiKey's Secret; {@code create} waits for it and shows it, the only time the command prints a key.
 */
@Command(name = "keys", description = "A project's API keys: create (shown once), list, revoke.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public class KeysCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: create, list or revoke");
  }

  @Command(name = "create", description = "Make an API key of a project and print it (once).")
  public static class Create extends ClusterCommand {
    @Parameters(paramLabel = "PROJECT")
    String project;

    @Option(names = "--name", description = "The ApiKey's name (default: <project>-key-<random>).")
    String name;

    @Option(names = "--env", split = ",", description = "Only these environments (default: all).")
    List<String> environments = new ArrayList<>();

    @Option(names = "--service", split = ",", description = "Only these services (aliases; default: all).")
    List<String> services = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "INSTANT", description = "When it stops working, e.g. 2027-01-31T00:00:00Z.")
    String expires;

    @Option(names = "--description")
    String description;

    @Override
    protected void run() {
      if (expires != null) {
        try {
          Instant.parse(expires);
        } catch (DateTimeParseException e) {
          throw new UserError("--expires \"" + expires + "\" is not an instant like 2027-01-31T00:00:00Z");
        }
      }
      var p = Projects.get(client, namespace, project);
      environments.forEach(e -> Projects.environment(p, e));
      services.forEach(s -> Projects.use(p, s));
      String keyName = name != null ? name : KeyMaking.randomName(project + "-key");
      if (client.resources(ApiKey.class).inNamespace(namespace).withName(keyName).get() != null) {
        throw new UserError("ApiKey " + keyName + " already exists in namespace " + namespace);
      }
      ApiKey key = new ApiKey();
      key.setMetadata(new ObjectMetaBuilder().withName(keyName).withNamespace(namespace).build());
      key.setSpec(new ApiKeySpec());
      key.getSpec().setProject(project);
      key.getSpec().setEnvironments(new ArrayList<>(environments));
      key.getSpec().setServices(new ArrayList<>(services));
      key.getSpec().setExpiresAt(expires);
      key.getSpec().setDescription(description);
      Secret secret = KeyMaking.create(client, key);
      Map<String, String> data = SecretData.decode(secret);
      output().print(out, List.of(Output.row("name", keyName, "keyId", data.get(ApiKey.SECRET_KEY_ID),
          "key", data.get(ApiKey.SECRET_KEY))), "");
      if (output() == Output.table) {
        out.println("(the key is shown once here; it stays in Secret " + keyName + ", key \"" + ApiKey.SECRET_KEY
            + "\", which only who may read Secrets of " + namespace + " can read)");
        out.flush();
      }
    }
  }

  @Command(name = "list", description = "A project's API keys: id, scope, expiry, the instances that accept each.")
  public static class ListKeys extends ClusterCommand {
    @Parameters(paramLabel = "PROJECT")
    String project;

    @Override
    protected void run() {
      Projects.get(client, namespace, project);
      List<Map<String, Object>> rows = client.resources(ApiKey.class).inNamespace(namespace).list().getItems().stream()
          .filter(k -> k.getSpec() != null && project.equals(k.getSpec().getProject()))
          .map(k -> {
            var s = k.getStatus();
            var ready = s == null ? null : Conditions.find(s.getConditions(), ConditionTypes.READY).orElse(null);
            return Output.row("name", k.getMetadata().getName(), "keyId", s == null ? null : s.getKeyId(),
                "environments", k.getSpec().getEnvironments().isEmpty() ? "all" : String.join(",", k.getSpec().getEnvironments()),
                "services", k.getSpec().getServices().isEmpty() ? "all" : String.join(",", k.getSpec().getServices()),
                "expires", k.getSpec().getExpiresAt(), "instances", s == null ? null : s.getInstances().size(),
                "ready", ready == null ? null : ready.getReason(), "description", k.getSpec().getDescription());
          }).toList();
      output().print(out, rows, "Project " + project + " has no API keys (codestore keys create " + project + ").");
    }
  }

  @Command(name = "revoke", description = "Delete an API key: every instance refuses it within seconds.")
  public static class Revoke extends ClusterCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected void run() {
      if (client.resources(ApiKey.class).inNamespace(namespace).withName(name).get() == null) {
        throw new UserError("no ApiKey " + name + " in namespace " + namespace + " (codestore keys list <project>)");
      }
      client.resources(ApiKey.class).inNamespace(namespace).withName(name).delete();
      out.println("ApiKey " + name + " revoked: its Secret goes with it, and the instances refuse the key");
      out.flush();
    }
  }
}
