package store.code.cli.maker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import store.code.api.ConditionTypes;
import store.code.api.Conditions;
import store.code.api.v1alpha1.CodeService;
import store.code.cli.ClusterCommand;
import store.code.cli.UserError;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * {@code codestore publish <service.yaml>}: checks the schema here (nothing is sent when it does not compile), applies
 * the Service, and waits for the operator's verdict: the version published (and its revision), or why not (the
 * breaking changes, a version already published with other content).
 */
@Command(name = "publish", description = "Apply a Service manifest and wait until its version is published, or say why not.")
public class PublishCommand extends ClusterCommand {
  @Parameters(paramLabel = "SERVICE.YAML")
  Path file;

  @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for the operator (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  protected void run() {
    ValidateCommand.Located located = ValidateCommand.read(file);
    try {
      SchemaCompiler.compile(located.sdl());
    } catch (SchemaException e) {
      throw new UserError("the schema does not compile, nothing was published:\n"
          + String.join("\n", located.where(e)));
    }
    CodeService desired;
    try {
      desired = Serialization.unmarshal(java.nio.file.Files.readString(file), CodeService.class);
    } catch (java.io.IOException | RuntimeException e) {
      throw new UserError(file + ": not a Service manifest: " + e.getMessage());
    }
    if (desired.getSpec().getSchema() == null) {
      desired.getSpec().setSchema(located.sdl()); // from schema.graphql beside the manifest
    }
    String ns = desired.getMetadata().getNamespace();
    if (ns != null && cluster.namespace() != null && !ns.equals(cluster.namespace())) {
      throw new UserError(file + " names namespace " + ns + " but -n says " + cluster.namespace());
    }
    String target = ns != null ? ns : namespace;
    desired.getMetadata().setNamespace(target);
    desired.setStatus(null);
    // create, or apply over what is there (as kubectl apply --server-side does, field manager codestore-cli)
    CodeService applied = client.resources(CodeService.class).inNamespace(target).withName(desired.getMetadata().getName())
        .get() == null ? client.resource(desired).create()
        : client.resource(desired).fieldManager("codestore-cli").forceConflicts().serverSideApply();
    String name = applied.getMetadata().getName();
    String version = applied.getSpec().getVersion();
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (System.nanoTime() < deadline) {
      CodeService now = client.resources(CodeService.class).inNamespace(target).withName(name).get();
      var s = now.getStatus();
      if (s != null && Objects.equals(s.getObservedGeneration(), now.getMetadata().getGeneration())) {
        var valid = Conditions.find(s.getConditions(), ConditionTypes.SCHEMA_VALID).orElse(null);
        var compatible = Conditions.find(s.getConditions(), ConditionTypes.SCHEMA_COMPATIBLE).orElse(null);
        if (valid != null && !Conditions.TRUE.equals(valid.getStatus())) {
          throw new UserError("Service " + target + "/" + name + ": " + valid.getReason() + ": " + valid.getMessage());
        }
        if (compatible != null && !Conditions.TRUE.equals(compatible.getStatus())) {
          throw new UserError("Service " + target + "/" + name + " version " + version + " not published: "
              + compatible.getReason() + ": " + compatible.getMessage());
        }
        if (compatible != null && version.equals(s.getVersion())) {
          out.println("Service " + target + "/" + name + " publishes version " + version
              + (s.getRevision() == null ? "" : " (ServiceRevision " + s.getRevision() + ")") + ": " + compatible.getMessage());
          out.flush();
          return;
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new UserError("Service " + target + "/" + name + " was applied, but the operator gave no verdict on version "
        + version + " within " + timeoutSeconds + " s: is the code.store operator running? (kubectl describe csvc " + name
        + " -n " + target + ")");
  }
}
