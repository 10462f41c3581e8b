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
import store.code.schema.Column;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/**
 * Create, update and delete of one row, with the database's constraint errors turned into messages that name the
 * GraphQL fields involved. Callers own the transaction.
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
  public String create(Connection c, Model m, Map<String, Object> input) {
    Map<String, Assignment> values = assignments(c, m, input, true);
    Sql sql = new Sql().append("INSERT INTO ").ident(m.table());
    if (values.isEmpty()) {
      sql.append(" DEFAULT VALUES");
    } else {
      sql.append(" (");
      int i = 0;
      for (Assignment a : values.values()) {
        sql.append(i++ == 0 ? "" : ", ").ident(a.column());
      }
      sql.append(") VALUES (");
      i = 0;
      for (Assignment a : values.values()) {
        sql.append(i++ == 0 ? "" : ", ").param(a.value(), a.sqlType());
      }
      sql.append(")");
    }
    sql.append(" RETURNING \"id\"");
    return single(c, m, sql, "create");
  }

  /** Changes the fields given; throws NOT_FOUND when no row has this id. */
  public void update(Connection c, Model m, String id, Map<String, Object> input) {
    String uuid = Where.uuid(id, "id");
    Map<String, Assignment> values = assignments(c, m, input, false);
    Sql sql = new Sql();
    if (values.isEmpty()) {
      sql.append("SELECT \"id\" FROM ").ident(m.table()).append(" WHERE \"id\" = ").param(uuid, "uuid");
    } else {
      sql.append("UPDATE ").ident(m.table()).append(" SET ");
      for (Assignment a : values.values()) {
        sql.ident(a.column()).append(" = ").param(a.value(), a.sqlType()).append(", ");
      }
      sql.append("\"updated_at\" = now() WHERE \"id\" = ").param(uuid, "uuid").append(" RETURNING \"id\"");
    }
    if (single(c, m, sql, "update") == null) {
      throw new ApiError(ApiError.NOT_FOUND, "no " + m.name() + " has id " + uuid);
    }
  }

  /** Deletes a row; false when none had this id. Rows that still reference it make it fail with their count. */
  public boolean delete(Connection c, Model m, String id) {
    String uuid = Where.uuid(id, "id");
    Sql sql = new Sql().append("DELETE FROM ").ident(m.table()).append(" WHERE \"id\" = ").param(uuid, "uuid");
    try {
      return db.updateOrThrow(c, sql) > 0;
    } catch (SQLException e) {
      if ("23503".equals(e.getSQLState())) {
        throw new ApiError(ApiError.CONFLICT, m.name() + " " + uuid + " is still referenced by " + references(m, uuid)
            + ": delete or re-point those first, or declare the relation @belongsTo(onDelete: CASCADE) or SET_NULL");
      }
      throw db.translate(e);
    }
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
