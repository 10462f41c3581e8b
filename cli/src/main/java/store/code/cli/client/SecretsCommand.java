package store.code.cli.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.SecretData;
import store.code.api.v1alpha1.EnvironmentSettings;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.SecretRef;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;

/**
 * {@code codestore secrets set <project> [--env prod] KEY=VALUE...}: writes the values into a Secret of the project's
 * namespace ({@code <project>-secrets}, or {@code <project>-<env>-secrets}) and makes the Project hand it to its
 * instances (spec.secretRefs, or that environment's). Values are never printed.
 */
@Command(name = "secrets", description = "Secrets handed to a project's instances.",
    subcommands = SecretsCommand.Set.class)
public class SecretsCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: set");
  }

  @Command(name = "set", description = "Set KEY=VALUE pairs for every instance of a project, or of one environment.")
  public static class Set extends ClusterCommand {
    static final Pattern KEY = Pattern.compile(SecretRef.KEY);

    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
    List<String> pairs;

    @Option(names = "--env", description = "Only this environment's instances (default: all of them).")
    String environment;

    @Override
    protected void run() {
      Map<String, String> values = new LinkedHashMap<>();
      for (String pair : pairs) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        if (eq <= 0 || !KEY.matcher(key).matches()) {
          throw new UserError("\"" + key + "\" is not KEY=VALUE with a Secret key (letters, digits, '-', '_', '.')");
        }
        values.put(key, pair.substring(eq + 1));
      }
      Project p = Projects.get(client, namespace, project);
      if (environment != null) {
        Projects.environment(p, environment);
      }
      String name = environment == null ? project + "-secrets" : project + "-" + environment + "-secrets";
      Map<String, String> encoded = new LinkedHashMap<>();
      values.forEach((k, v) -> encoded.put(k, SecretData.encode(v)));
      Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
      if (existing == null) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
            .withType("Opaque").withData(encoded).build()).create();
      } else {
        client.secrets().inNamespace(namespace).withName(name).edit(s -> {
          Map<String, String> data = s.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(s.getData());
          data.putAll(encoded);
          s.setData(data);
          return s;
        });
      }
      client.resources(Project.class).inNamespace(namespace).withName(project).edit(edited -> {
        List<SecretRef> refs;
        if (environment == null) {
          refs = edited.getSpec().getSecretRefs();
        } else {
          refs = edited.getSpec().getEnvironmentSettings().computeIfAbsent(environment, e -> new EnvironmentSettings())
              .getSecretRefs();
        }
        if (refs.stream().noneMatch(r -> r.getName().equals(name))) {
          refs.add(new SecretRef(name, null));
        }
        return edited;
      });
      out.println("Secret " + name + ": " + values.keySet() + " set; Project " + project + " hands it to "
          + (environment == null ? "every instance" : "its " + environment + " instances")
          + " (they roll within a minute)");
      out.flush();
    }
  }
}
