package store.code.runtime.sql;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.schema.SelectedField;

import store.code.runtime.ApiError;
import store.code.schema.AuthRule.Operation;
import store.code.schema.Column;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/**
 * Compiles a root query field with its whole selection into one SQL statement that returns the answer as JSON:
 * nested relations are correlated subqueries aggregated with {@code json_agg}, so a query costs one statement however
 * many rows and levels it touches (the approach of PostGraphile and Hasura). Objects come back keyed by the client's
 * result keys (aliases), which is how the data fetchers read them. The caller's {@link Access} is part of the same
 * statement: every level selects only the rows the caller may read, and a field whose own rules do not hold for a row
 * reads as null.
 */
public final class Reads {

  /** Page size when {@code first} is not given (connections and nested lists), and the most a client may ask for. */
  public static final int DEFAULT_PAGE = 100;
  public static final int MAX_PAGE = 1000;

  /** The parent row with every stored field, for @code fields of a model (their handler gets it). */
  public static final String ROW_KEY = "__row";

  /** A page of a connection: up to first+1 rows (the extra one only says there is a next page). */
  public record Page(Model model, Ordering ordering, List<Map<String, Object>> rows, int first, Integer total) {
    /** The opaque cursor of one of this page's rows. */
    public String cursor(Map<String, Object> row) {
      return ordering.encode((List<?>) row.get("c"));
    }

    public boolean hasNextPage() {
      return rows.size() > first;
    }

    public List<Map<String, Object>> visible() {
      return rows.size() > first ? rows.subList(0, first) : rows;
    }
  }

  /** Postgres allows 100 arguments to json_build_object: bigger objects are built in parts and merged. */
  private static final int PAIRS_PER_CALL = 50;

  private final CompiledSchema schema;
  private final Db db;

  public Reads(CompiledSchema schema, Db db) {
    this.schema = schema;
    this.db = db;
  }

  public Model model(String name) {
    return schema.model(name).orElseThrow(() -> ApiError.badInput("no model named " + name));
  }

  /** {@code book(id:)}: the object or null. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> byId(Connection c, Access a, Model m, String id, List<SelectedField> selection) {
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT ");
    object(sql, a, m, t, selection);
    sql.append(" FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ").append(t).append(".\"id\" = ")
        .param(Where.uuid(id, "id"), "uuid").append(" AND ");
    a.append(sql, a.row(m, Operation.READ), t);
    return (Map<String, Object>) db.json(c, sql);
  }

  /** Every stored field of one row, keyed by field name (what maker code gets). */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> row(Connection c, Access a, Model m, String id) {
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT ");
    rowObject(sql, a, m, t);
    sql.append(" FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ").append(t).append(".\"id\" = ")
        .param(Where.uuid(id, m.name() + ".id"), "uuid").append(" AND ");
    a.append(sql, a.row(m, Operation.READ), t);
    return Optional.ofNullable((Map<String, Object>) db.json(c, sql));
  }

  /** Rows for maker code: every stored field, filtered and sorted like the generated API. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> rows(Connection c, Access a, Model m, Map<String, Object> where,
      List<Map<String, Object>> orderBy, int first) {
    Ordering order = ordering(a, m, orderBy);
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT coalesce(json_agg(");
    rowObject(sql, a, m, t);
    sql.append(" ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append("), '[]'::json) FROM (SELECT * FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ");
    a.append(sql, a.row(m, Operation.READ), t);
    sql.append(" AND ");
    Where.append(sql, m, t, where, a);
    sql.append(" ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append(" LIMIT ").append(Integer.toString(pageSize(first, m.plural()))).append(") ").append(t);
    return (List<Map<String, Object>>) db.json(c, sql);
  }

  /**
   * {@code books(where, orderBy, first, after)}. {@code nodes} maps a key per (edges alias, node alias) pair to the
   * node selection under it; {@code total} asks for totalCount, which costs a count over every matching row.
   */
  @SuppressWarnings("unchecked")
  public Page connection(Connection c, Access a, Model m, Map<String, Object> args, Map<String, List<SelectedField>> nodes,
      boolean total) {
    Ordering order = ordering(a, m, (List<Map<String, Object>>) args.get("orderBy"));
    int first = pageSize((Integer) args.get("first"), m.plural());
    Map<String, Object> where = (Map<String, Object>) args.get("where");
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT json_build_object('rows', coalesce(json_agg(json_build_object('c', ");
    order.appendCursorValues(sql, t);
    for (var node : nodes.entrySet()) {
      sql.append(", ").append(Sql.literal(node.getKey())).append(", ");
      object(sql, a, m, t, node.getValue());
    }
    sql.append(") ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append("), '[]'::json)");
    if (total) {
      String ct = sql.alias();
      sql.append(", 'total', (SELECT count(*) FROM ").ident(m.table()).append(' ').append(ct).append(" WHERE ");
      a.append(sql, a.row(m, Operation.READ), ct);
      sql.append(" AND ");
      Where.append(sql, m, ct, where, a);
      sql.append(')');
    }
    sql.append(") FROM (SELECT * FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ");
    a.append(sql, a.row(m, Operation.READ), t);
    sql.append(" AND ");
    Where.append(sql, m, t, where, a);
    if (args.get("after") != null) {
      sql.append(" AND ");
      order.appendAfter(sql, t, args.get("after").toString());
    }
    sql.append(" ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append(" LIMIT ").append(Integer.toString(first + 1)).append(") ").append(t);
    Map<String, Object> result = (Map<String, Object>) db.json(c, sql);
    List<Map<String, Object>> rows = (List<Map<String, Object>>) result.get("rows");
    Number count = (Number) result.get("total");
    return new Page(m, order, rows, first, count == null ? null : count.intValue());
  }

  /** The order asked for; sorting by a field the caller may not read in every row is refused. */
  private static Ordering ordering(Access a, Model m, List<Map<String, Object>> orderBy) {
    if (orderBy != null) {
      orderBy.forEach(entry -> entry.keySet().forEach(field -> a.requireReadable(m, field, "sort by")));
    }
    return Ordering.of(m, orderBy);
  }

  static int pageSize(Integer first, String what) {
    if (first == null) {
      return DEFAULT_PAGE;
    }
    if (first < 0 || first > MAX_PAGE) {
      throw ApiError.badInput("first: " + first + " is out of range for " + what + ": ask for 0 to " + MAX_PAGE
          + " rows and page with after");
    }
    return first;
  }

  /** A json object with one entry per selected field, read from the row aliased {@code t}. */
  void object(Sql sql, Access a, Model m, String t, List<SelectedField> selection) {
    Map<String, Fields.Stored> stored = Fields.of(m); // once per object, not per selected field
    List<Runnable> pairs = new ArrayList<>();
    boolean needsRow = false;
    for (SelectedField f : selection) {
      String name = f.getName();
      if (name.startsWith("__")) {
        continue;
      }
      String key = Sql.literal(f.getResultKey());
      if (m.codeFields().contains(name)) {
        needsRow = true;
        continue;
      }
      pairs.add(() -> {
        sql.append(key).append(", ");
        guarded(sql, a, m, t, name, () -> fieldValue(sql, a, m, stored, t, f));
      });
    }
    if (needsRow) {
      pairs.add(() -> {
        sql.append(Sql.literal(ROW_KEY)).append(", ");
        rowObject(sql, a, m, t);
      });
    }
    buildObject(sql, pairs);
  }

  /** Every stored field of the row, by field name (those the caller may not read in this row as null). */
  void rowObject(Sql sql, Access a, Model m, String t) {
    List<Runnable> pairs = new ArrayList<>();
    for (Fields.Stored f : Fields.of(m).values()) {
      pairs.add(() -> {
        sql.append(Sql.literal(f.field())).append(", ");
        guarded(sql, a, m, t, f.field(), () -> sql.append(t).append('.').ident(f.column()));
      });
    }
    buildObject(sql, pairs);
  }

  /** The value {@code value} appends, or null where the field's own rules do not let the caller read it. */
  private static void guarded(Sql sql, Access a, Model m, String t, String field, Runnable value) {
    Access.Condition readable = m.column(field).map(c -> a.field(m, c, Operation.READ)).orElse(null);
    if (readable == null || readable.always()) {
      value.run();
      return;
    }
    sql.append("CASE WHEN ");
    a.append(sql, readable, t);
    sql.append(" THEN ");
    value.run();
    sql.append(" END");
  }

  private static void buildObject(Sql sql, List<Runnable> pairs) {
    if (pairs.isEmpty()) {
      sql.append("json_build_object()");
      return;
    }
    int parts = (pairs.size() + PAIRS_PER_CALL - 1) / PAIRS_PER_CALL;
    if (parts > 1) {
      sql.append("(");
    }
    for (int p = 0; p < parts; p++) {
      sql.append(p == 0 ? "" : " || ").append("json_build_object(");
      List<Runnable> chunk = pairs.subList(p * PAIRS_PER_CALL, Math.min(pairs.size(), (p + 1) * PAIRS_PER_CALL));
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ");
        chunk.get(i).run();
      }
      sql.append(parts > 1 ? ")::jsonb" : ")");
    }
    if (parts > 1) {
      sql.append(")::json");
    }
  }

  @SuppressWarnings("unchecked")
  private void fieldValue(Sql sql, Access a, Model m, Map<String, Fields.Stored> fields, String t, SelectedField f) {
    String name = f.getName();
    Fields.Stored stored = fields.get(name);
    Optional<Column> column = m.column(name);
    if (column.isPresent() && column.get().type() == ScalarType.FILE) {
      file(sql, t, column.get());
      return;
    }
    if (stored != null) {
      sql.append(t).append('.').ident(stored.column());
      return;
    }
    Relation r = m.relation(name).orElseThrow(() -> new IllegalStateException(m.name() + "." + name + " is not in the model"));
    Model target = model(r.target());
    List<SelectedField> sub = f.getSelectionSet().getImmediateFields();
    String s = sql.alias();
    switch (r.kind()) {
      case BELONGS_TO -> {
        sql.append("(SELECT ");
        object(sql, a, target, s, sub);
        sql.append(" FROM ").ident(target.table()).append(' ').append(s).append(" WHERE ").append(s).append(".\"id\" = ")
            .append(t).append('.').ident(r.column()).append(" AND ");
        a.append(sql, a.row(target, Operation.READ), s);
        sql.append(')');
      }
      case HAS_ONE -> {
        sql.append("(SELECT ");
        object(sql, a, target, s, sub);
        sql.append(" FROM ").ident(target.table()).append(' ').append(s).append(" WHERE ").append(s).append('.')
            .ident(r.column()).append(" = ").append(t).append(".\"id\" AND ");
        a.append(sql, a.row(target, Operation.READ), s);
        sql.append(" ORDER BY ").append(s).append(".\"created_at\" LIMIT 1)");
      }
      case HAS_MANY -> {
        Map<String, Object> args = f.getArguments();
        Ordering order = ordering(a, target, (List<Map<String, Object>>) args.get("orderBy"));
        Integer first = (Integer) args.get("first");
        sql.append("(SELECT coalesce(json_agg(");
        object(sql, a, target, s, sub);
        sql.append(" ORDER BY ");
        order.appendOrderBy(sql, s);
        sql.append("), '[]'::json) FROM (SELECT * FROM ").ident(target.table()).append(' ').append(s).append(" WHERE ")
            .append(s).append('.').ident(r.column()).append(" = ").append(t).append(".\"id\" AND ");
        a.append(sql, a.row(target, Operation.READ), s);
        sql.append(" AND ");
        Where.append(sql, target, s, (Map<String, Object>) args.get("where"), a);
        sql.append(" ORDER BY ");
        order.appendOrderBy(sql, s);
        // without first, a page: an unbounded nested list multiplies rows level by level
        sql.append(" LIMIT ").append(Integer.toString(pageSize(first, m.name() + "." + name)));
        sql.append(") ").append(s).append(')');
      }
    }
  }

  /** A @file column as {key, contentType, size}; the download URL is signed when asked for. */
  private static void file(Sql sql, String t, Column c) {
    String col = t + "." + Sql.quote(c.name());
    String one = "json_build_object('key', k.key, 'contentType', f.\"content_type\", 'size', f.\"size\")";
    if (c.list()) {
      sql.append("(SELECT json_agg(").append(one).append(" ORDER BY k.n) FROM unnest(").append(col)
          .append(") WITH ORDINALITY k(key, n) LEFT JOIN \"codestore_files\" f ON f.\"key\" = k.key)");
    } else {
      sql.append("(SELECT ").append(one).append(" FROM (SELECT ").append(col)
          .append(" AS key) k LEFT JOIN \"codestore_files\" f ON f.\"key\" = k.key WHERE k.key IS NOT NULL)");
    }
  }
}
