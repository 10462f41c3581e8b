package store.code.runtime.sql;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import store.code.runtime.ApiError;
import store.code.schema.Model;
import store.code.schema.ScalarType;

/**
 * Compiles a {@code <Model>Where} input into a SQL predicate. An operator given as null is ignored (use
 * {@code isNull} to match nulls); {@code and: []} matches everything and {@code or: []} nothing; {@code ne} matches
 * nulls too (IS DISTINCT FROM).
 */
final class Where {

  private Where() {}

  /** A filter on a field the caller may not read in every row is refused ({@link Access#requireReadable}). */
  static void append(Sql sql, Model m, String alias, Map<String, Object> where, Access access) {
    if (where == null || where.isEmpty()) {
      sql.append("TRUE");
      return;
    }
    Map<String, Fields.Stored> fields = Fields.of(m);
    sql.append("(TRUE");
    for (var e : where.entrySet()) {
      Object value = e.getValue();
      if (value == null) {
        continue;
      }
      sql.append(" AND ");
      switch (e.getKey()) {
        case "and" -> junction(sql, m, alias, list(value), " AND ", "TRUE", access);
        case "or" -> junction(sql, m, alias, list(value), " OR ", "FALSE", access);
        case "not" -> {
          sql.append("NOT ");
          append(sql, m, alias, map(value), access);
        }
        default -> {
          Fields.Stored f = fields.get(e.getKey());
          if (f == null || !f.comparable()) {
            throw ApiError.badInput(m.name() + " cannot be filtered by " + e.getKey());
          }
          access.requireReadable(m, e.getKey(), "filter by");
          filter(sql, m, alias, f, map(value));
        }
      }
    }
    sql.append(')');
  }

  private static void junction(Sql sql, Model m, String alias, List<Object> parts, String op, String empty, Access access) {
    if (parts.isEmpty()) {
      sql.append(empty);
      return;
    }
    sql.append('(');
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        sql.append(op);
      }
      append(sql, m, alias, map(parts.get(i)), access);
    }
    sql.append(')');
  }

  private static void filter(Sql sql, Model m, String alias, Fields.Stored f, Map<String, Object> ops) {
    String col = alias + "." + Sql.quote(f.column());
    sql.append("(TRUE");
    for (var op : ops.entrySet()) {
      Object v = op.getValue();
      if (v == null) {
        continue;
      }
      sql.append(" AND ");
      switch (op.getKey()) {
        case "eq" -> sql.append(col).append(" = ").param(value(m, f, v), f.sqlType());
        case "ne" -> sql.append(col).append(" IS DISTINCT FROM ").param(value(m, f, v), f.sqlType());
        case "lt" -> sql.append(col).append(" < ").param(value(m, f, v), f.sqlType());
        case "lte" -> sql.append(col).append(" <= ").param(value(m, f, v), f.sqlType());
        case "gt" -> sql.append(col).append(" > ").param(value(m, f, v), f.sqlType());
        case "gte" -> sql.append(col).append(" >= ").param(value(m, f, v), f.sqlType());
        case "in" -> sql.append(col).append(" = ANY(")
            .param(list(v).stream().map(x -> value(m, f, x)).toList(), f.sqlType() + "[]").append(')');
        case "contains" -> sql.append("strpos(").append(col).append(", ").param(v, "text").append(") > 0");
        case "startsWith" -> sql.append("starts_with(").append(col).append(", ").param(v, "text").append(')');
        case "isNull" -> sql.append(col).append(Boolean.TRUE.equals(v) ? " IS NULL" : " IS NOT NULL");
        default -> throw ApiError.badInput("unknown filter " + op.getKey() + " on " + m.name() + "." + f.field());
      }
    }
    sql.append(')');
  }

  /** Checks what the database would refuse with a less helpful message, and gives the text to bind. */
  static String value(Model m, Fields.Stored f, Object v) {
    if (f.type() == ScalarType.ID) {
      return uuid(v, m.name() + "." + f.field());
    }
    return v.toString();
  }

  static String uuid(Object v, String where) {
    try {
      return UUID.fromString(v.toString()).toString();
    } catch (IllegalArgumentException e) {
      throw ApiError.badInput(where + ": \"" + v + "\" is not an ID (IDs are UUIDs, e.g. 0b7c6f0e-3f7a-4c1e-9a51-2d1f1b4e5c6d)");
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v) {
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object v) {
    return (List<Object>) v;
  }
}
