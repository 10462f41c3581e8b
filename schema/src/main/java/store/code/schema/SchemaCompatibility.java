package store.code.schema;

import java.util.List;

import org.semver4j.Semver;

import graphql.schema.GraphQLSchema;
import graphql.schema.diff.DiffEvent;
import graphql.schema.diff.DiffSet;
import graphql.schema.diff.SchemaDiff;
import graphql.schema.diff.reporting.CapturingReporter;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;

/**
 * Whether API clients written against one version of a service keep working with the next: graphql-java's schema
 * diff of the two generated APIs ({@link ApiSchema}), so a removed model field, a changed type, or a field that became
 * required on create are breaking, and new types, fields and optional arguments are not; and {@code @auth} rules that
 * let fewer callers do something than before are breaking, while loosened or added ones are not.
 */
public final class SchemaCompatibility {

  private SchemaCompatibility() {}

  /** Each change of {@code after} that breaks clients of {@code before}, in words; empty when none does. */
  public static List<String> breakingChanges(CompiledSchema before, CompiledSchema after) {
    CapturingReporter reporter = new CapturingReporter();
    new SchemaDiff().diffSchema(DiffSet.diffSet(executable(before), executable(after)), reporter);
    return java.util.stream.Stream.concat(reporter.getBreakages().stream().map(SchemaCompatibility::describe),
        AuthRules.tightenings(before, after).stream()).distinct().sorted().toList();
  }

  /** True when {@code next} raises the major number of {@code previous} (semver), which allows breaking changes. */
  public static boolean majorBump(String previous, String next) {
    Semver p = previous == null ? null : Semver.parse(previous);
    Semver n = next == null ? null : Semver.parse(next);
    return p != null && n != null && n.getMajor() > p.getMajor();
  }

  /** The first version of the next major number ({@code 1.4.2} -> {@code 2.0.0}), to name in messages. */
  public static String nextMajor(String version) {
    Semver v = version == null ? null : Semver.parse(version);
    return v == null ? "a new major version" : Semver.of(v.getMajor() + 1, 0, 0).getVersion();
  }

  private static GraphQLSchema executable(CompiledSchema compiled) {
    return UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(ApiSchema.of(compiled).sdl()));
  }

  private static String describe(DiffEvent e) {
    String where = e.getTypeName() + (e.getFieldName() == null ? "" : "." + e.getFieldName());
    return where + ": " + e.getReasonMsg();
  }
}
