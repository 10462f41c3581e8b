package store.code.operator.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import store.code.api.Reasons;
import store.code.api.v1alpha1.UpgradeCheck;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompatibility;
import store.code.schema.SchemaException;

/**
 * Whether an instance may move from the schema it serves to another: pure, from the API diff and the runtime's
 * migration dry run. A plan with refusals keeps the instance where it is; no plan (nothing running to ask) lets the
 * runtime's own start-up migration decide, as it always did.
 */
final class UpgradeGate {
  private UpgradeGate() {}

  /** How schemas are compiled (the reconciler's cache; the compiler itself in tests). */
  interface Compiler {
    CompiledSchema compile(String sdl) throws SchemaException;
  }

  static UpgradeCheck check(String fromVersion, String fromSchema, String toVersion, String toSchema,
      Optional<MigrationDryRuns.Plan> plan, Compiler compiler) {
    UpgradeCheck c = new UpgradeCheck();
    c.setFromVersion(fromVersion);
    c.setToVersion(toVersion);
    c.setBreakingChanges(breakingChanges(fromSchema, toSchema, compiler));
    if (plan.isEmpty()) {
      c.setResult(UpgradeCheck.NOT_CHECKED);
      return c;
    }
    c.setStatements(new ArrayList<>(plan.get().statements()));
    c.setRefused(new ArrayList<>(plan.get().refused()));
    c.setResult(plan.get().refused().isEmpty() ? UpgradeCheck.PLANNED : UpgradeCheck.REFUSED);
    return c;
  }

  /** The RuntimeReady message of a refused check: what would be lost, and what keeps serving. */
  static String refusal(UpgradeCheck c) {
    return "the migration to version " + c.getToVersion() + " would be refused by this instance's database (dry run): "
        + String.join("; ", c.getRefused()) + ". The instance keeps serving version " + c.getFromVersion()
        + "; publish a version that keeps that data, or pin the environment to a range without " + c.getToVersion();
  }

  private static List<String> breakingChanges(String fromSchema, String toSchema, Compiler compiler) {
    try {
      CompiledSchema before = compiler.compile(fromSchema);
      CompiledSchema after = compiler.compile(toSchema);
      return new ArrayList<>(SchemaCompatibility.breakingChanges(before, after));
    } catch (SchemaException e) {
      return new ArrayList<>(List.of("the API diff could not be computed: " + e.getMessage()));
    }
  }
}
