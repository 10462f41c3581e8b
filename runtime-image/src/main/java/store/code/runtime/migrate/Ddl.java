package store.code.runtime.migrate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import store.code.runtime.sql.Sql;
import store.code.schema.Column;
import store.code.schema.Model;
import store.code.schema.Names;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/** The DDL for models, columns, foreign keys and indexes. Every name comes from the compiled model, quoted. */
final class Ddl {

  private Ddl() {}

  static String createTable(Model m) {
    StringBuilder sb = new StringBuilder("CREATE TABLE ").append(Sql.quote(m.table())).append(" (\n")
        .append("  \"id\" uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n")
        .append("  \"created_at\" timestamptz NOT NULL DEFAULT now(),\n")
        .append("  \"updated_at\" timestamptz NOT NULL DEFAULT now()");
    for (Column c : m.columns()) {
      sb.append(",\n  ").append(columnDefinition(c));
    }
    for (Relation r : m.relations()) {
      if (r.kind() == Relation.Kind.BELONGS_TO) {
        sb.append(",\n  ").append(Sql.quote(r.column())).append(" uuid").append(r.nullable() ? "" : " NOT NULL");
      }
    }
    return sb.append("\n)").toString();
  }

  static String columnDefinition(Column c) {
    StringBuilder sb = new StringBuilder(Sql.quote(c.name())).append(' ').append(c.sqlType());
    if (!c.nullable()) {
      sb.append(" NOT NULL");
    }
    if (c.defaultLiteral() != null) {
      sb.append(" DEFAULT ").append(defaultExpression(c));
    }
    return sb.toString();
  }

  static String defaultExpression(Column c) {
    String v = c.defaultLiteral();
    return switch (c.type()) {
      // the compiler checked these are numbers and booleans; quoting them anyway keeps SQL text out of reach
      case INT, FLOAT, BOOLEAN -> Sql.literal(v) + "::" + c.sqlType();
      case DATE_TIME -> v.equals("now") ? "now()" : Sql.literal(v) + "::timestamptz";
      default -> Sql.literal(v);
    };
  }

  static String addColumn(Model m, Column c) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " ADD COLUMN " + columnDefinition(c);
  }

  static String addReferenceColumn(Model m, Relation r) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " ADD COLUMN " + Sql.quote(r.column()) + " uuid"
        + (r.nullable() ? "" : " NOT NULL");
  }

  static String addForeignKey(Model m, Model target, Relation r) {
    String action = switch (r.onDelete()) {
      case CASCADE -> " ON DELETE CASCADE";
      case SET_NULL -> " ON DELETE SET NULL";
      case RESTRICT -> "";
    };
    return "ALTER TABLE " + Sql.quote(m.table()) + " ADD CONSTRAINT " + Sql.quote(foreignKeyName(m, r))
        + " FOREIGN KEY (" + Sql.quote(r.column()) + ") REFERENCES " + Sql.quote(target.table()) + " (\"id\")" + action;
  }

  static String dropForeignKey(Model m, Relation r) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " DROP CONSTRAINT IF EXISTS " + Sql.quote(foreignKeyName(m, r));
  }

  /** belongsTo columns are indexed: hasMany reads and ON DELETE checks go through them. */
  static String createIndex(Model m, String column) {
    return "CREATE INDEX IF NOT EXISTS " + Sql.quote(name(m.table() + "_" + column + "_idx")) + " ON "
        + Sql.quote(m.table()) + " (" + Sql.quote(column) + ")";
  }

  static String dropIndex(Model m, String column) {
    return "DROP INDEX IF EXISTS " + Sql.quote(name(m.table() + "_" + column + "_idx"));
  }

  static String addUnique(Model m, Column c) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " ADD CONSTRAINT " + Sql.quote(name(m.table() + "_" + c.name() + "_key"))
        + " UNIQUE (" + Sql.quote(c.name()) + ")";
  }

  static String dropUnique(Model m, Column c) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " DROP CONSTRAINT IF EXISTS " + Sql.quote(name(m.table() + "_" + c.name() + "_key"));
  }

  static String setDefault(Model m, Column c) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " ALTER COLUMN " + Sql.quote(c.name())
        + (c.defaultLiteral() == null ? " DROP DEFAULT" : " SET DEFAULT " + defaultExpression(c));
  }

  static String setNullable(Model m, String column, boolean nullable) {
    return "ALTER TABLE " + Sql.quote(m.table()) + " ALTER COLUMN " + Sql.quote(column) + (nullable ? " DROP NOT NULL" : " SET NOT NULL");
  }

  private static String foreignKeyName(Model m, Relation r) {
    return name(m.table() + "_" + r.column() + "_fkey");
  }

  /** Postgres cuts identifiers at 63 bytes; long ones keep a hash so two never collide. */
  static String name(String wanted) {
    if (wanted.length() <= Names.MAX_IDENTIFIER) {
      return wanted;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(wanted.getBytes(StandardCharsets.UTF_8));
      return wanted.substring(0, Names.MAX_IDENTIFIER - 9) + "_" + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean sameType(Column a, Column b) {
    return a.sqlType().equals(b.sqlType()) && (a.type() == ScalarType.FILE) == (b.type() == ScalarType.FILE);
  }
}
