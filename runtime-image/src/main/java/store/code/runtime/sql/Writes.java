package store.code.runtime.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;

import store.code.runtime.ApiError;
import store.code.schema.AuthRule;
import store.code.schema.AuthRule.Operation;
import store.code.schema.Column;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/**
 * Create, update and delete of one row, with the database's constraint errors turned into messages that name the
 * GraphQL fields involved. Callers own the transaction. The caller's {@link Access} decides: a create its rules do
 * not allow, a field it may not write, an owner field set to someone else, or an update or delete of a row it may
 * read but not change is FORBIDDEN with the rules that would have allowed it; the UPDATE and DELETE statements carry
 * the owner condition themselves, so what is checked is what is changed.
 */
public final class Writes {

  /** Checks that a file key set on a @file field names an uploaded object, and records its size and type. */
  public interface FileClaims {
    void claim(Connection c, String key);
  }

  private static final Pattern KEY_DETAIL = Pattern.compile("Key \\((.+?)\\)=\\((.*)\\)");

  private final CompiledSchema schema;
  private final Db db;
  private final FileClaims files;

  public Writes(CompiledSchema schema, Db db, FileClaims files) {
    this.schema = schema;
    this.db = db;
    this.files = files;
  }

  /** Inserts a row; returns its id. */
  public String create(Connection c, Access a, Model m, Map<String, Object> input) {
    Access.Condition allowed = a.row(m, Operation.CREATE);
    if (allowed.never()) {
      throw a.forbidden(Operation.CREATE, m.name(), m.rules());
    }
    Map<String, Object> owned = withOwners(a, m, input, allowed);
    Map<String, Assignment> values = assignments(c, m, owned, true);
    checkFieldRules(a, m, owned, Operation.CREATE, owned);
    Sql sql = new Sql().append("INSERT INTO ").ident(m.table());
    if (values.isEmpty()) {
      sql.append(" DEFAULT VALUES");
    } else {
      sql.append(" (");
      int i = 0;
      for (Assignment v : values.values()) {
        sql.append(i++ == 0 ? "" : ", ").ident(v.column());
      }
      sql.append(") VALUES (");
      i = 0;
      for (Assignment v : values.values()) {
        sql.append(i++ == 0 ? "" : ", ").param(v.value(), v.sqlType());
      }
      sql.append(")");
    }
    sql.append(" RETURNING \"id\"");
    return single(c, m, sql, "create");
  }

  /** Changes the fields given; throws NOT_FOUND when no row the caller may read has this id. */
  public void update(Connection c, Access a, Model m, String id, Map<String, Object> input) {
    String uuid = Where.uuid(id, "id");
    Access.Condition allowed = a.row(m, Operation.UPDATE);
    if (!allowed.never()) {
      checkOwnerChange(a, m, input, allowed);
    }
    Map<String, Assignment> values = assignments(c, m, input, false);
    Map<String, Access.Condition> fieldConditions = allowed.never() ? Map.of()
        : checkFieldRules(a, m, input, Operation.UPDATE, null);
    Sql sql = new Sql();
    String t = sql.alias();
    if (values.isEmpty()) {
      sql.append("SELECT ").append(t).append(".\"id\" FROM ").ident(m.table()).append(' ').append(t);
    } else {
      sql.append("UPDATE ").ident(m.table()).append(' ').append(t).append(" SET ");
      for (Assignment v : values.values()) {
        sql.ident(v.column()).append(" = ").param(v.value(), v.sqlType()).append(", ");
      }
      sql.append("\"updated_at\" = now()");
    }
    sql.append(" WHERE ").append(t).append(".\"id\" = ").param(uuid, "uuid").append(" AND ");
    a.append(sql, allowed, t);
    for (Access.Condition f : fieldConditions.values()) {
      sql.append(" AND ");
      a.append(sql, f, t);
    }
    if (!values.isEmpty()) {
      sql.append(" RETURNING ").append(t).append(".\"id\"");
    }
    if (single(c, m, sql, "update") == null) {
      if (readable(c, a, m, uuid)) {
        if (!fieldConditions.isEmpty() && holds(c, a, m, uuid, allowed)) { // the row may change, these fields not
          String field = fieldConditions.keySet().iterator().next();
          throw a.forbidden(Operation.UPDATE, m.name() + "." + field, m.column(field).orElseThrow().rules());
        }
        throw a.forbidden(Operation.UPDATE, m.name() + " " + uuid, m.rules());
      }
      throw new ApiError(ApiError.NOT_FOUND, "no " + m.name() + " has id " + uuid);
    }
  }

  /**
   * Deletes a row; false when no row the caller may read has this id. Rows that still reference it make it fail
   * with their count.
   */
  public boolean delete(Connection c, Access a, Model m, String id) {
    String uuid = Where.uuid(id, "id");
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("DELETE FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ").append(t).append(".\"id\" = ")
        .param(uuid, "uuid").append(" AND ");
    a.append(sql, a.row(m, Operation.DELETE), t);
    try {
      if (db.updateOrThrow(c, sql) > 0) {
        return true;
      }
      if (readable(c, a, m, uuid)) {
        throw a.forbidden(Operation.DELETE, m.name() + " " + uuid, m.rules());
      }
      return false;
    } catch (SQLException e) {
      if ("23503".equals(e.getSQLState())) {
        throw new ApiError(ApiError.CONFLICT, m.name() + " " + uuid + " is still referenced by " + references(m, uuid)
            + ": delete or re-point those first, or declare the relation @belongsTo(onDelete: CASCADE) or SET_NULL");
      }
      throw db.translate(e);
    }
  }

  /** Whether the caller may read the row: then a refused change is FORBIDDEN, else the row is not found. */
  private boolean readable(Connection c, Access a, Model m, String uuid) {
    return holds(c, a, m, uuid, a.row(m, Operation.READ));
  }

  private boolean holds(Connection c, Access a, Model m, String uuid, Access.Condition condition) {
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT 1 FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ").append(t).append(".\"id\" = ")
        .param(uuid, "uuid").append(" AND ");
    a.append(sql, condition, t);
    return !db.strings(c, sql).isEmpty();
  }

  /**
   * The input with the type's owner fields filled in for a token caller that did not give them; a token caller whose
   * create only an owner rule allows may set them to its own subject only.
   */
  private static Map<String, Object> withOwners(Access a, Model m, Map<String, Object> input, Access.Condition allowed) {
    if (a.caller().kind() != store.code.sdk.Caller.Kind.JWT) {
      return input;
    }
    Map<String, Object> out = new LinkedHashMap<>(input);
    for (AuthRule r : m.rules()) {
      if (r.allow() != AuthRule.Allow.OWNER) {
        continue;
      }
      Object given = out.get(r.ownerField());
      if (given == null) {
        out.put(r.ownerField(), a.caller().id());
      } else if (!given.equals(a.caller().id()) && !allowed.always()) {
        throw new ApiError(Access.FORBIDDEN, m.name() + "." + r.ownerField() + ": " + a.who() + " may only make rows "
            + "it owns itself (rule " + r.describe() + "), not rows of " + given);
      }
    }
    return out;
  }

  /** A token caller whose update only an owner rule allows cannot give the row away. */
  private static void checkOwnerChange(Access a, Model m, Map<String, Object> input, Access.Condition allowed) {
    if (allowed.always()) {
      return;
    }
    for (AuthRule r : m.rules()) {
      if (r.allow() == AuthRule.Allow.OWNER && input.containsKey(r.ownerField())
          && !java.util.Objects.equals(input.get(r.ownerField()), a.caller().id())) {
        throw new ApiError(Access.FORBIDDEN, m.name() + "." + r.ownerField() + ": " + a.who() + " may not give its rows "
            + "to another owner (rule " + r.describe() + ")");
      }
    }
  }

  /**
   * Fields with rules of their own: one the caller may never write is FORBIDDEN; one it may write as an owner adds
   * that condition (returned, for the UPDATE's WHERE; on create, checked against {@code newRow}'s owner fields).
   */
  private static Map<String, Access.Condition> checkFieldRules(Access a, Model m, Map<String, Object> input, Operation op,
      Map<String, Object> newRow) {
    Map<String, Access.Condition> conditions = new LinkedHashMap<>();
    for (String field : input.keySet()) {
      Column col = m.column(field).orElse(null);
      if (col == null || col.rules().isEmpty()) {
        continue;
      }
      Access.Condition c = a.field(m, col, op);
      boolean ownNewRow = newRow != null && !c.never() && c.ownerColumns().stream().anyMatch(column -> m.columns().stream()
          .anyMatch(x -> x.name().equals(column) && a.caller().id() != null && a.caller().id().equals(newRow.get(x.field()))));
      if (c.never() || (newRow != null && !c.always() && !ownNewRow)) {
        throw a.forbidden(op, m.name() + "." + field, col.rules());
      }
      if (!c.always() && newRow == null) {
        conditions.put(field, c);
      }
    }
    return conditions;
  }

  private String single(Connection c, Model m, Sql sql, String op) {
    try {
      List<String> ids = db.stringsOrThrow(c, sql);
      return ids.isEmpty() ? null : ids.get(0);
    } catch (SQLException e) {
      throw explain(m, e, op);
    }
  }

  private record Assignment(String column, Object value, String sqlType) {}

  private Map<String, Assignment> assignments(Connection c, Model m, Map<String, Object> input, boolean create) {
    Map<String, Assignment> out = new LinkedHashMap<>();
    for (var e : input.entrySet()) {
      String field = e.getKey();
      Object v = e.getValue();
      if (field.equals("_")) {
        continue;
      }
      var column = m.column(field);
      if (column.isPresent()) {
        Column col = column.get();
        if (v == null && !col.nullable()) {
          if (create && col.defaultLiteral() != null) {
            continue; // explicit null on a defaulted field: the default applies
          }
          throw ApiError.badInput(m.name() + "." + field + " cannot be null");
        }
        if (v != null && col.type() == ScalarType.FILE) {
          for (Object key : col.list() ? Where.list(v) : List.of(v)) {
            files.claim(c, key.toString());
          }
        }
        out.put(field, new Assignment(col.name(), bindable(col, v), col.sqlType()));
        continue;
      }
      Relation r = field.endsWith("Id") ? m.relation(field.substring(0, field.length() - 2))
          .filter(rel -> rel.kind() == Relation.Kind.BELONGS_TO).orElse(null) : null;
      if (r == null) {
        throw ApiError.badInput(m.name() + " has no stored field " + field);
      }
      if (v == null && !r.nullable()) {
        throw ApiError.badInput(m.name() + "." + field + " cannot be null: every " + m.name() + " belongs to a " + r.target());
      }
      out.put(field, new Assignment(r.column(), v == null ? null : Where.uuid(v, m.name() + "." + field), "uuid"));
    }
    return out;
  }

  private static Object bindable(Column col, Object v) {
    if (v == null) {
      return null;
    }
    if (col.type() == ScalarType.JSON) {
      try {
        return col.list() ? Where.list(v).stream().map(Writes::json).toList() : json(v);
      } catch (RuntimeException e) {
        throw ApiError.badInput("a JSON value of " + col.field() + " cannot be stored: " + e.getMessage());
      }
    }
    if (col.list()) {
      return Where.list(v).stream().map(x -> x == null ? null : x.toString()).toList();
    }
    return v.toString();
  }

  private static String json(Object v) {
    try {
      return Db.JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage());
    }
  }

  private RuntimeException explain(Model m, SQLException e, String op) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String detail = e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
        ? p.getServerErrorMessage().getDetail() : null;
    Matcher key = detail == null ? null : KEY_DETAIL.matcher(detail);
    boolean hasKey = key != null && key.find();
    switch (state) {
      case "23505" -> {
        String field = hasKey ? fieldOf(m, key.group(1)) : "a unique field";
        return new ApiError(ApiError.CONFLICT, m.name() + "." + field + " must be unique: "
            + (hasKey ? "\"" + key.group(2) + "\" is already taken" : "the value is already taken"));
      }
      case "23503" -> {
        String field = hasKey ? fieldOf(m, key.group(1)) : "a reference";
        Relation r = hasKey ? m.relations().stream().filter(x -> key.group(1).equals(x.column())).findFirst().orElse(null) : null;
        return ApiError.badInput(m.name() + "." + field + ": no " + (r == null ? "row" : r.target()) + " has id "
            + (hasKey ? key.group(2) : "given"));
      }
      case "23502" -> {
        return ApiError.badInput("cannot " + op + " " + m.name() + ": a required field is missing (" + Db.firstLine(e.getMessage()) + ")");
      }
      default -> {
        return db.translate(e);
      }
    }
  }

  private static String fieldOf(Model m, String column) {
    for (Column c : m.columns()) {
      if (c.name().equals(column)) {
        return c.field();
      }
    }
    for (Relation r : m.relations()) {
      if (column.equals(r.column()) && r.kind() == Relation.Kind.BELONGS_TO) {
        return r.field() + "Id";
      }
    }
    return column;
  }

  /** "2 CartItem (CartItem.cart)": counted on a connection of its own, the caller's transaction is aborted. */
  private String references(Model m, String id) {
    List<String> parts = new ArrayList<>();
    try (Connection other = db.connect()) {
      for (Model source : schema.models()) {
        for (Relation r : source.relations()) {
          if (r.kind() == Relation.Kind.BELONGS_TO && r.target().equals(m.name()) && r.onDelete() == Relation.OnDelete.RESTRICT) {
            Sql count = new Sql().append("SELECT count(*) FROM ").ident(source.table()).append(" WHERE ").ident(r.column())
                .append(" = ").param(id, "uuid");
            long n = Long.parseLong(db.strings(other, count).get(0));
            if (n > 0) {
              parts.add(n + " " + source.name() + " (" + source.name() + "." + r.field() + ")");
            }
          }
        }
      }
    } catch (SQLException e) {
      return "other rows";
    }
    return parts.isEmpty() ? "other rows" : String.join(", ", parts);
  }
}
