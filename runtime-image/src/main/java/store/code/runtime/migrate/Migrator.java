package store.code.runtime.migrate;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import store.code.runtime.sql.Sql;
import store.code.runtime.usage.UsageCounters;
import store.code.schema.Column;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * Brings the instance database to the schema the runtime serves. Runs under a transaction-scoped advisory lock, so
 * replicas starting together migrate once; applies additive changes (tables, nullable or defaulted columns, indexes,
 * relaxed constraints) in one transaction together with a row in {@code codestore_schema_history}. A change that
 * could lose data (a removed type or field, a changed type, a new required field on a table with rows) is refused as
 * a whole, listing each problem; nothing is applied then.
 */
public final class Migrator {

  private final LongSupplier epochs;

  /** Draws usage epochs at random. */
  public Migrator() {
    this(() -> new SecureRandom().nextLong() & Long.MAX_VALUE);
  }

  /** @param epochs where a new usage epoch comes from (tests give a fixed one) */
  public Migrator(LongSupplier epochs) {
    this.epochs = epochs;
  }

  /** Arbitrary, fixed: every runtime of an instance takes the same lock. */
  private static final long LOCK = 0x636f646573746f72L;

  public record Result(String fromHash, String toHash, List<String> statements) {
    public boolean changed() {
      return !statements.isEmpty();
    }
  }

  /** The schema change would lose data; {@code problems} says what, one entry per field or type. */
  public static final class Refused extends Exception {
    private final List<String> problems;

    Refused(List<String> problems) {
      super("the new schema would lose data, so it was not applied: " + String.join("; ", problems)
          + ". Keep those fields (mark them @deprecated(reason: \"...\")), or publish the change as a new service");
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private static final String PLATFORM_TABLES = """
      CREATE TABLE IF NOT EXISTS "codestore_schema_history" (
        "id" bigserial PRIMARY KEY, "schema_hash" text NOT NULL, "version" text,
        "applied_at" timestamptz NOT NULL DEFAULT now(), "sdl" text NOT NULL, "statements" text NOT NULL);
      CREATE TABLE IF NOT EXISTS "codestore_usage" (
        "counter" text PRIMARY KEY, "value" bigint NOT NULL, "updated_at" timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS "codestore_usage_flushes" (
        "id" text PRIMARY KEY, "at" timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS "codestore_files" (
        "key" text PRIMARY KEY, "content_type" text, "size" bigint, "created_at" timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS "codestore_uploads" (
        "key" text PRIMARY KEY, "content_type" text NOT NULL, "expires_at" timestamptz NOT NULL);
      """;

  public Result migrate(Connection c, CompiledSchema desired, String version) throws SQLException, Refused {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      // a migration may rewrite a large table: not bounded by the role's or session's default statement timeout
      st.execute("SET LOCAL statement_timeout = 0");
      st.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
      st.execute(PLATFORM_TABLES);
      drawUsageEpoch(c);
      Optional<String[]> latest = latest(c);
      if (latest.isPresent() && latest.get()[0].equals(desired.hash())) {
        c.commit();
        return new Result(desired.hash(), desired.hash(), List.of());
      }
      CompiledSchema previous = latest.isEmpty() ? null : compile(latest.get()[1]);
      List<String> problems = new ArrayList<>();
      List<String> statements = plan(c, previous, desired, problems);
      if (!problems.isEmpty()) {
        c.rollback();
        throw new Refused(problems);
      }
      for (String s : statements) {
        st.execute(s);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"codestore_schema_history\" "
          + "(\"schema_hash\", \"version\", \"sdl\", \"statements\") VALUES (?, ?, ?, ?)")) {
        ps.setString(1, desired.hash());
        ps.setString(2, version);
        ps.setString(3, desired.source());
        ps.setString(4, String.join(";\n", statements));
        ps.executeUpdate();
      }
      c.commit();
      return new Result(latest.map(l -> l[0]).orElse(null), desired.hash(), statements);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * What {@link #migrate} would do to reach {@code desired}: the statements, each run and then rolled back (so a
   * statement the data refuses, such as an index over duplicates, shows up too), and the problems that would refuse
   * it. Nothing is committed; no lock is held afterwards.
   */
  public record DryRun(String fromHash, String toHash, List<String> statements, List<String> refused) {}

  /**
   * A dry run of {@link #migrate}, for the operator before an instance moves to another version. It takes the locks
   * its statements need for as long as it runs, so it waits at most {@code lockTimeout} for each and gives up on a
   * statement after {@code statementTimeout} (said in {@code refused}, not applied either way).
   */
  public DryRun dryRun(Connection c, CompiledSchema desired, java.time.Duration lockTimeout,
      java.time.Duration statementTimeout) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SET LOCAL lock_timeout = " + lockTimeout.toMillis());
      st.execute("SET LOCAL statement_timeout = " + statementTimeout.toMillis());
      boolean hasHistory;
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('\"codestore_schema_history\"') IS NOT NULL")) {
        hasHistory = rs.next() && rs.getBoolean(1);
      }
      Optional<String[]> latest = hasHistory ? latest(c) : Optional.empty();
      String from = latest.map(l -> l[0]).orElse(null);
      if (latest.isPresent() && latest.get()[0].equals(desired.hash())) {
        return new DryRun(from, desired.hash(), List.of(), List.of());
      }
      List<String> problems = new ArrayList<>();
      List<String> statements = plan(c, latest.isEmpty() ? null : compile(latest.get()[1]), desired, problems);
      if (problems.isEmpty()) {
        for (String s : statements) {
          try {
            st.execute(s);
          } catch (SQLException e) {
            problems.add("the statement " + s + " fails on this database: " + e.getMessage().lines().findFirst().orElse(""));
            break;
          }
        }
      }
      return new DryRun(from, desired.hash(), statements, problems);
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * The usage counters' epoch, drawn when their table is created (and once, for a table made before epochs existed):
   * a random number stored as a row beside the counts, so a database re-created from nothing counts in a new epoch,
   * while one restored from a backup keeps the epoch its counts belong to.
   */
  private void drawUsageEpoch(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"codestore_usage\" (\"counter\", \"value\") "
        + "VALUES ('" + UsageCounters.EPOCH + "', ?) ON CONFLICT (\"counter\") DO NOTHING")) {
      ps.setLong(1, epochs.getAsLong());
      ps.executeUpdate();
    }
  }

  private static Optional<String[]> latest(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT \"schema_hash\", \"sdl\" FROM \"codestore_schema_history\" ORDER BY \"id\" DESC LIMIT 1")) {
      return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
    }
  }

  private static CompiledSchema compile(String sdl) {
    try {
      return SchemaCompiler.compile(sdl);
    } catch (SchemaException e) {
      throw new IllegalStateException("the schema recorded in codestore_schema_history no longer compiles: " + e.getMessage(), e);
    }
  }

  /** The statements from {@code previous} (null: empty database) to {@code desired}; problems collect refusals. */
  static List<String> plan(Connection c, CompiledSchema previous, CompiledSchema desired, List<String> problems)
      throws SQLException {
    List<String> creates = new ArrayList<>();
    List<String> alters = new ArrayList<>();
    List<String> constraints = new ArrayList<>();
    for (Model m : desired.models()) {
      Optional<Model> old = previous == null ? Optional.empty() : previous.model(m.name());
      if (old.isEmpty()) {
        creates.add(Ddl.createTable(m));
        constraints.add(Ddl.createIndex(m, "created_at"));
        for (Column col : m.columns()) {
          if (col.unique()) {
            constraints.add(Ddl.addUnique(m, col));
          } else if (col.indexed()) {
            constraints.add(Ddl.createIndex(m, col.name()));
          }
        }
        for (Relation r : m.relations()) {
          if (r.kind() == Relation.Kind.BELONGS_TO) {
            constraints.add(Ddl.addForeignKey(m, desired.model(r.target()).orElseThrow(), r));
            constraints.add(Ddl.createIndex(m, r.column()));
          }
        }
        continue;
      }
      alterTable(c, old.get(), m, desired, alters, constraints, problems);
    }
    if (previous != null) {
      for (Model old : previous.models()) {
        if (desired.model(old.name()).isEmpty()) {
          problems.add("type " + old.name() + " was removed, and table \"" + old.table() + "\" holds "
              + count(c, old.table(), null) + " rows");
        }
      }
    }
    List<String> all = new ArrayList<>(creates);
    all.addAll(alters);
    all.addAll(constraints);
    return all;
  }

  private static void alterTable(Connection c, Model old, Model m, CompiledSchema desired, List<String> alters,
      List<String> constraints, List<String> problems) throws SQLException {
    for (Column col : m.columns()) {
      Optional<Column> before = old.column(col.field());
      if (before.isEmpty()) {
        if (!col.nullable() && col.defaultLiteral() == null && count(c, m.table(), null) > 0) {
          problems.add("new field " + m.name() + "." + col.field() + " is required and has no @default, but " + m.name()
              + " has rows that would have no value: add @default(value: ...) or make it nullable");
        }
        alters.add(Ddl.addColumn(m, col));
        if (col.unique()) {
          constraints.add(Ddl.addUnique(m, col));
        } else if (col.indexed()) {
          constraints.add(Ddl.createIndex(m, col.name()));
        }
        continue;
      }
      Column b = before.get();
      if (!Ddl.sameType(b, col)) {
        problems.add("field " + m.name() + "." + col.field() + " changed type from " + b.sqlType() + " to " + col.sqlType()
            + " (" + count(c, m.table(), b.name()) + " values stored)");
        continue;
      }
      if (b.nullable() && !col.nullable()) {
        long nulls = count(c, m.table(), null) - count(c, m.table(), b.name());
        if (nulls > 0) {
          problems.add("field " + m.name() + "." + col.field() + " became required, but " + nulls + " rows have no value");
        } else {
          alters.add(Ddl.setNullable(m, col.name(), false));
        }
      } else if (!b.nullable() && col.nullable()) {
        alters.add(Ddl.setNullable(m, col.name(), true));
      }
      if (!java.util.Objects.equals(b.defaultLiteral(), col.defaultLiteral())) {
        alters.add(Ddl.setDefault(m, col));
      }
      if (b.unique() != col.unique()) {
        constraints.add(col.unique() ? Ddl.addUnique(m, col) : Ddl.dropUnique(m, col));
      }
      if (b.indexed() != col.indexed()) {
        constraints.add(col.indexed() ? Ddl.createIndex(m, col.name()) : Ddl.dropIndex(m, col.name()));
      }
    }
    for (Column b : old.columns()) {
      if (m.column(b.field()).isEmpty()) {
        problems.add("field " + old.name() + "." + b.field() + " was removed, and " + count(c, old.table(), b.name())
            + " rows have a value in it");
      }
    }
    for (Relation r : m.relations()) {
      if (r.kind() != Relation.Kind.BELONGS_TO) {
        continue;
      }
      Optional<Relation> before = old.relation(r.field()).filter(x -> x.kind() == Relation.Kind.BELONGS_TO);
      Model target = desired.model(r.target()).orElseThrow();
      if (before.isEmpty()) {
        if (!r.nullable() && count(c, m.table(), null) > 0) {
          problems.add("new relation " + m.name() + "." + r.field() + " is required, but " + m.name()
              + " has rows that would point nowhere: make it nullable first");
        }
        alters.add(Ddl.addReferenceColumn(m, r));
        constraints.add(Ddl.addForeignKey(m, target, r));
        constraints.add(Ddl.createIndex(m, r.column()));
        continue;
      }
      Relation b = before.get();
      if (!b.target().equals(r.target())) {
        problems.add("relation " + m.name() + "." + r.field() + " now points to " + r.target() + " instead of " + b.target());
        continue;
      }
      if (b.nullable() != r.nullable()) {
        long nulls = r.nullable() ? 0 : count(c, m.table(), null) - count(c, m.table(), r.column());
        if (nulls > 0) {
          problems.add("relation " + m.name() + "." + r.field() + " became required, but " + nulls + " rows point nowhere");
        } else {
          alters.add(Ddl.setNullable(m, r.column(), r.nullable()));
        }
      }
      if (b.onDelete() != r.onDelete()) {
        constraints.add(Ddl.dropForeignKey(m, b));
        constraints.add(Ddl.addForeignKey(m, target, r));
      }
    }
    for (Relation b : old.relations()) {
      if (b.kind() == Relation.Kind.BELONGS_TO
          && m.relation(b.field()).filter(x -> x.kind() == Relation.Kind.BELONGS_TO).isEmpty()) {
        problems.add("relation " + old.name() + "." + b.field() + " was removed, and " + count(c, old.table(), b.column())
            + " rows point to a " + b.target());
      }
    }
  }

  /** Rows of a table, or rows with a non-null value in {@code column}. */
  private static long count(Connection c, String table, String column) throws SQLException {
    String sql = "SELECT count(*) FROM " + Sql.quote(table)
        + (column == null ? "" : " WHERE " + Sql.quote(column) + " IS NOT NULL");
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
