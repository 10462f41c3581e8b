package store.code.operator.instance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import store.code.api.Reasons;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.schema.SchemaException;

/**
 * Step 2 of provisioning, decided: which schema an instance serves. A schema that does not compile is never rolled
 * out, a running instance keeps what it serves until something better is there, and a pinned instance serves the
 * highest published version in its range. Pure: the reconciler hands it what it observed and acts on the answer.
 */
public final class SchemaChoice {
  private SchemaChoice() {}

  /** The hash of a schema, or why it does not compile. */
  @FunctionalInterface
  public interface Compiler {
    String hash(String sdl) throws SchemaException;
  }

  /** What an instance serves: the schema, its version and hash, and the Service as it runs it (that version's code). */
  public record Served(String schema, String version, String hash, CodeService service) {}

  /**
   * The decision: what to serve (absent: nothing, and the instance stops in {@code phase} saying {@code stopMessage}),
   * and the SchemaValid condition.
   */
  public record Decision(Optional<Served> served, boolean valid, String reason, String message, Phase phase,
      String stopMessage) {
    static Decision serve(Served s, boolean valid, String reason, String message) {
      return new Decision(Optional.of(s), valid, reason, message, null, null);
    }

    static Decision stop(Phase phase, String reason, String message, String stopMessage) {
      return new Decision(Optional.empty(), false, reason, message, phase, stopMessage);
    }
  }

  /**
   * @param serviceName namespace/name, for messages
   * @param range the instance's semver range; null: the version the Service publishes now
   * @param revisions the Service's revisions, read only for a pinned instance
   * @param running what the instance serves now (ConfigMap service-schema), null before its first runtime
   * @param project the instance's project, for messages
   */
  public static Decision decide(CodeService service, String serviceName, String range,
      Supplier<List<ServiceRevision>> revisions, Map<String, String> running, String project, Compiler compiler) {
    if (range != null) {
      RevisionChoice.Choice choice = RevisionChoice.choose(range, revisions.get());
      if (choice.revision().isPresent()) {
        ServiceRevision chosen = choice.revision().get();
        Served s = new Served(chosen.getSpec().getSchema(), chosen.getSpec().getVersion(), chosen.getSpec().getSchemaHash(),
            RevisionChoice.asPublished(service, chosen));
        return Decision.serve(s, true, "SchemaValid", "schema " + s.hash() + " of " + serviceName + " version "
            + s.version() + ", the highest published in range " + range);
      }
      if (running != null) {
        return Decision.serve(runningNow(running, service), false, choice.reason(), choice.message()
            + "; the instance keeps serving version " + running.get("version"));
      }
      return Decision.stop(Phase.Pending, choice.reason(), choice.message(), choice.message()
          + " (spec.services[].version of Project " + project + ")");
    }
    // unpinned: the version the Service publishes now, as every instance did before ranges
    String schema = service.getSpec().getSchema();
    String version = service.getSpec().getVersion();
    String published = service.getStatus() == null ? null : service.getStatus().getPublishedSchema();
    try {
      String hash = compiler.hash(schema);
      if (published != null && !published.equals(schema)) {
        // spec.schema compiles but is not published: a breaking change refused, or not checked yet
        return Decision.serve(new Served(published, service.getStatus().getVersion(), service.getStatus().getSchemaHash(),
            service), false, Reasons.SCHEMA_NOT_PUBLISHED, "version " + version + " of Service " + serviceName + " is not "
            + "published (see its SchemaCompatible condition); the instance serves version "
            + service.getStatus().getVersion() + " (schema " + service.getStatus().getSchemaHash() + ")");
      }
      return Decision.serve(new Served(schema, version, hash, service), true, "SchemaValid", "schema " + hash + " of "
          + serviceName + " version " + version);
    } catch (SchemaException e) {
      if (running == null) {
        return Decision.stop(Phase.Failed, Reasons.SCHEMA_INVALID, "the schema of Service " + serviceName
            + " does not compile, so no runtime is deployed: " + e.getMessage(), "Service " + serviceName
            + " has an invalid schema; see the SchemaValid condition");
      }
      return Decision.serve(runningNow(running, service), false, Reasons.SCHEMA_INVALID, "the new schema of Service "
          + serviceName + " does not compile; the instance keeps serving version " + running.get("version")
          + " (schema " + running.get("hash") + "): " + e.getMessage());
    }
  }

  private static Served runningNow(Map<String, String> running, CodeService service) {
    return new Served(running.get("schema.graphql"), running.get("version"), running.get("hash"), service);
  }
}
