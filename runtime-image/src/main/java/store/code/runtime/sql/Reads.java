package store.code.runtime.sql;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import store.code.runtime.ApiError;
import store.code.runtime.sql.ReadPlan.Style;
import store.code.schema.AuthRule.Operation;
import store.code.schema.Column;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/**
 * Compiles a root read ({@link ReadPlan}) with its whole selection into one SQL statement that returns JSON text:
 * nested relations are correlated subqueries aggregated with {@code string_agg}, so a query costs one statement
 * however many rows and levels it touches (the approach of PostGraphile and Hasura). Objects come back keyed by the
 * client's result keys (aliases), either as data the data fetchers read or as the finished answer
 * ({@link ReadPlan.Style}). The caller's {@link Access} is part of the same statement: every level selects only the
 * rows the caller may read, and a field whose own rules do not hold for a row reads as null.
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

  /**
   * Written by an answer where SQL cannot render a value as graphql-java would (see {@link Style#ANSWER}): a
   * character that never appears in JSON text Postgres renders (it escapes control characters).
   */
  public static final char GIVE_UP = '\u0001';
  static final String GIVE_UP_SQL = "chr(1)";

  private final CompiledSchema schema;
  private final Db db;

  public Reads(CompiledSchema schema, Db db) {
    this.schema = schema;
    this.db = db;
  }

  public Model model(String name) {
    return schema.model(name).orElseThrow(() -> ApiError.badInput("no model named " + name));
  }

  /** {@code book(id:)} as data for graphql-java: the object or null. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> byId(Connection c, Access a, ReadPlan.ById plan) {
    return (Map<String, Object>) db.json(c, byId(a, plan, Style.DATA));
  }

  /**
   * A root read rendered as its part of the response, byte for byte as graphql-java would write it, or text
   * containing {@link #GIVE_UP} where it cannot be (see {@link Style#ANSWER}).
   */
  public String answer(Connection c, Access a, ReadPlan.Root root) {
    if (root instanceof ReadPlan.ById byId) {
      String text = db.text(c, byId(a, byId, Style.ANSWER));
      return text == null ? "null" : text;
    }
    return db.text(c, answerConnection(a, (ReadPlan.Connection) root));
  }

  private Sql byId(Access a, ReadPlan.ById plan, Style style) {
    Model m = plan.obj().model();
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT ");
    object(sql, a, plan.obj(), t, style);
    sql.append(" FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ").append(t).append(".\"id\" = ")
        .param(Where.uuid(plan.id(), "id"), "uuid").append(" AND ");
    a.append(sql, a.row(m, Operation.READ), t);
    return sql;
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
    Sql sql = new Sql();
    String t = sql.alias();
    Ordering order = ordering(a, m, orderBy);
    sql.append("SELECT ");
    jsonArray(sql, t, order, () -> rowObject(sql, a, m, t));
    sql.append(" FROM ");
    page(sql, a, m, t, order, new ReadPlan.Rows(where, null, null, null), pageSize(first, m.plural()));
    return (List<Map<String, Object>>) db.json(c, sql);
  }

  /**
   * {@code books(where, orderBy, first, after)} as data for graphql-java: up to first+1 rows, each with its cursor
   * values under "c" and each (edges, node) selection under {@link #nodeKey}; totalCount when asked, which costs a
   * count over every matching row.
   */
  @SuppressWarnings("unchecked")
  public Page connection(Connection c, Access a, ReadPlan.Connection plan) {
    Model m = plan.model();
    Ordering order = ordering(a, m, plan.rows().orderBy());
    int first = pageSize(plan.rows().first(), m.plural());
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT ");
    Concat result = new Concat(sql).text("{").key("rows");
    jsonArray(result.value(), t, order, () -> {
      Concat row = new Concat(sql).text("{").key("c");
      order.appendCursorValues(row.value(), t);
      sql.append("::text");
      for (ReadPlan.Part part : plan.parts()) {
        if (part instanceof ReadPlan.Edges edges) {
          for (ReadPlan.Part e : edges.parts()) {
            if (e instanceof ReadPlan.Node node) {
              row.key(nodeKey(edges.key(), node.key()));
              object(row.value(), a, node.obj(), t, Style.DATA);
            }
          }
        }
      }
      row.text("}").close();
    });
    if (plan.parts().stream().anyMatch(p -> p instanceof ReadPlan.TotalCount)) {
      result.key("total");
      totalCount(result.value(), a, m, plan.rows());
    }
    result.text("}").close();
    sql.append(" FROM ");
    page(sql, a, m, t, order, plan.rows(), first + 1);
    Map<String, Object> json = (Map<String, Object>) db.json(c, sql);
    Number count = (Number) json.get("total");
    return new Page(m, order, (List<Map<String, Object>>) json.get("rows"), first, count == null ? null : count.intValue());
  }

  /** Where a connection's row keeps the node selected under one (edges alias, node alias) pair. */
  public static String nodeKey(String edgesKey, String nodeKey) {
    return "n:" + edgesKey + "/" + nodeKey;
  }

  /**
   * A connection as its answer: the page of first+1 rows numbered in order ({@code __n}), aggregated into edges (the
   * first {@code first}), pageInfo (hasNextPage: the extra row is there) and totalCount.
   */
  private Sql answerConnection(Access a, ReadPlan.Connection plan) {
    Model m = plan.model();
    Ordering order = ordering(a, m, plan.rows().orderBy());
    int first = pageSize(plan.rows().first(), m.plural());
    String visible = "(WHERE \"__n\" <= " + first + ")";
    Sql sql = new Sql();
    String t = sql.alias();
    sql.append("SELECT ");
    Concat answer = new Concat(sql).text("{");
    for (ReadPlan.Part part : plan.parts()) {
      answer.key(part.key());
      if (part instanceof ReadPlan.Edges edges) {
        Sql v = answer.value();
        v.append("coalesce('[' || string_agg(");
        Concat edge = new Concat(v).text("{");
        for (ReadPlan.Part e : edges.parts()) {
          edge.key(e.key());
          if (e instanceof ReadPlan.Cursor) {
            order.appendAnswerCursor(edge.value(), t);
          } else if (e instanceof ReadPlan.Node node) {
            object(edge.value(), a, node.obj(), t, Style.ANSWER);
          } else {
            edge.text(typeName(e));
          }
        }
        edge.text("}").close();
        v.append(", ',' ORDER BY \"__n\") FILTER ").append(visible).append(" || ']', '[]')");
      } else if (part instanceof ReadPlan.PageInfo info) {
        Concat page = new Concat(answer.value()).text("{");
        for (ReadPlan.Part p : info.parts()) {
          page.key(p.key());
          if (p instanceof ReadPlan.HasNextPage) {
            page.value().append("CASE WHEN count(*) > ").append(Integer.toString(first)).append(" THEN 'true' ELSE 'false' END");
          } else if (p instanceof ReadPlan.EndCursor) {
            Sql v = page.value().append("coalesce((array_agg(");
            order.appendAnswerCursor(v, t);
            v.append(" ORDER BY \"__n\" DESC) FILTER ").append(visible).append(")[1], 'null')");
          } else {
            page.text(typeName(p));
          }
        }
        page.text("}").close();
      } else if (part instanceof ReadPlan.TotalCount) {
        Sql v = answer.value();
        totalCount(v, a, m, plan.rows());
        v.append("::text");
      } else {
        answer.text(typeName(part));
      }
    }
    answer.text("}").close();
    sql.append(" FROM (SELECT ").append(t).append(".*, row_number() OVER (ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append(") AS \"__n\" FROM ");
    page(sql, a, m, t, order, plan.rows(), first + 1);
    sql.append(") ").append(t).append(" GROUP BY ()"); // one row, also when no row matches and nothing is aggregated
    return sql;
  }

  private static String typeName(ReadPlan.Part p) {
    if (p instanceof ReadPlan.TypeName n) {
      return '"' + n.type() + '"';
    }
    throw new IllegalStateException(p + " has no place here");
  }

  /** {@code (SELECT * FROM <table> t WHERE <readable> AND <where> [AND <after>] ORDER BY .. LIMIT n) t}. */
  private static void page(Sql sql, Access a, Model m, String t, Ordering order, ReadPlan.Rows rows, int limit) {
    sql.append("(SELECT * FROM ").ident(m.table()).append(' ').append(t).append(" WHERE ");
    a.append(sql, a.row(m, Operation.READ), t);
    sql.append(" AND ");
    Where.append(sql, m, t, rows.where(), a);
    if (rows.after() != null) {
      sql.append(" AND ");
      order.appendAfter(sql, t, rows.after());
    }
    sql.append(" ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append(" LIMIT ").append(Integer.toString(limit)).append(") ").append(t);
  }

  /** {@code (SELECT count(*) ...)}: every row the caller may read that matches. */
  private static void totalCount(Sql sql, Access a, Model m, ReadPlan.Rows rows) {
    String ct = sql.alias();
    sql.append("(SELECT count(*) FROM ").ident(m.table()).append(' ').append(ct).append(" WHERE ");
    a.append(sql, a.row(m, Operation.READ), ct);
    sql.append(" AND ");
    Where.append(sql, m, ct, rows.where(), a);
    sql.append(')');
  }

  /** A JSON array (text, never null) of {@code element} over the rows aliased {@code t}, in order. */
  private static void jsonArray(Sql sql, String t, Ordering order, Runnable element) {
    sql.append("coalesce('[' || string_agg(");
    element.run();
    sql.append(", ',' ORDER BY ");
    order.appendOrderBy(sql, t);
    sql.append(") || ']', '[]')");
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

  /**
   * The JSON object (text, never null) of the row aliased {@code t}: one entry per part, under the client's keys, in
   * the client's order. Built by concatenation, not json_build_object: its text is the answer's own (no spaces), and
   * it has no limit on the number of entries.
   */
  void object(Sql sql, Access a, ReadPlan.Obj o, String t, Style style) {
    Model m = o.model();
    Map<String, Fields.Stored> stored = Fields.of(m); // once per object, not per field
    Concat json = new Concat(sql).text("{");
    for (ReadPlan.Part p : o.parts()) {
      json.key(p.key());
      if (p instanceof ReadPlan.Stored s) {
        Sql v = json.value();
        v.append("coalesce(");
        guarded(v, a, m, t, s.field(), () -> storedValue(v, m, stored.get(s.field()), t, s, style));
        v.append(", ").append(style == Style.ANSWER && s.nonNull() ? GIVE_UP_SQL : "'null'").append(')');
      } else if (p instanceof ReadPlan.Related r) {
        Sql v = json.value();
        v.append("coalesce(");
        related(v, a, m, t, r, style);
        v.append(", ").append(style == Style.ANSWER && r.nonNull() ? GIVE_UP_SQL : "'null'").append(')');
      } else {
        json.text(typeName(p));
      }
    }
    if (o.needsRow()) {
      json.key(ROW_KEY);
      rowObject(json.value(), a, m, t);
    }
    json.text("}").close();
  }

  /** Every stored field of the row, by field name (those the caller may not read in this row as null). */
  void rowObject(Sql sql, Access a, Model m, String t) {
    Concat json = new Concat(sql).text("{");
    for (Fields.Stored f : Fields.of(m).values()) {
      json.key(f.field());
      Sql v = json.value();
      v.append("coalesce(");
      guarded(v, a, m, t, f.field(), () -> v.append("to_json(").append(t).append('.').ident(f.column()).append(")::text"));
      v.append(", 'null')");
    }
    json.text("}").close();
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

  /**
   * A stored field's JSON text, or null. As data: Postgres's JSON of the column (graphql-java's scalars complete it).
   * As the answer: what those scalars and the response writer make of it, where SQL can say it exactly.
   */
  private static void storedValue(Sql sql, Model m, Fields.Stored f, String t, ReadPlan.Stored s, Style style) {
    String col = t + "." + Sql.quote(f.column());
    Optional<Column> column = m.column(f.field());
    if (column.isPresent() && column.get().type() == ScalarType.FILE) {
      if (style == Style.ANSWER) {
        throw new IllegalStateException(m.name() + "." + f.field() + " is a file: its URL is signed in Java");
      }
      file(sql, t, column.get());
      sql.append("::text");
      return;
    }
    if (style == Style.DATA) {
      sql.append("to_json(").append(col).append(")::text");
      return;
    }
    if (f.list()) {
      throw new IllegalStateException(m.name() + "." + f.field() + " is a list: not rendered as an answer in SQL");
    }
    switch (f.type()) {
      case ID, STRING, INT, BOOLEAN -> sql.append("to_json(").append(col).append(")::text");
      case ENUM -> {
        sql.append("CASE WHEN ").append(col).append(" IS NULL THEN NULL WHEN ").append(col).append(" IN (");
        for (int i = 0; i < s.enumValues().size(); i++) {
          sql.append(i == 0 ? "" : ", ").append(Sql.literal(s.enumValues().get(i)));
        }
        sql.append(") THEN to_json(").append(col).append(")::text ELSE ").append(GIVE_UP_SQL).append(" END");
      }
      // Java writes a double plainly, with at least one decimal, from 1e-3 up to 1e7, as Postgres does with
      // its shortest digits (so does Jackson's writer: Db.JSON); elsewhere Java uses its own exponent form
      case FLOAT -> sql.append("CASE WHEN ").append(col).append(" IS NULL THEN NULL WHEN ").append(col)
          .append(" = 0 THEN '0.0' WHEN abs(").append(col).append(") >= 1e-3 AND abs(").append(col)
          .append(") < 1e7 THEN CASE WHEN ").append(col).append(" = trunc(").append(col).append(") THEN ").append(col)
          .append("::text || '.0' ELSE ").append(col).append("::text END ELSE ").append(GIVE_UP_SQL).append(" END");
      // the DateTime scalar answers in UTC with microseconds; years outside 1..9999 are written otherwise by Java
      case DATE_TIME -> sql.append("CASE WHEN ").append(col).append(" IS NULL THEN NULL WHEN ").append(col)
          .append(" >= '0001-01-01 00:00:00+00' AND ").append(col).append(" < '10000-01-01 00:00:00+00' THEN '\"' || to_char(")
          .append(col).append(" AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || '\"' ELSE ")
          .append(GIVE_UP_SQL).append(" END");
      default -> throw new IllegalStateException(m.name() + "." + f.field() + " (" + f.type()
          + ") is not rendered as an answer in SQL");
    }
  }

  /** A relation's JSON text: the object (or null) for belongsTo and hasOne, the list for hasMany. */
  private void related(Sql sql, Access a, Model m, String t, ReadPlan.Related r, Style style) {
    Relation rel = m.relation(r.field())
        .orElseThrow(() -> new IllegalStateException(m.name() + "." + r.field() + " is not a relation of the model"));
    Model target = r.obj().model();
    String s = sql.alias();
    switch (rel.kind()) {
      case BELONGS_TO -> {
        sql.append("(SELECT ");
        object(sql, a, r.obj(), s, style);
        sql.append(" FROM ").ident(target.table()).append(' ').append(s).append(" WHERE ").append(s).append(".\"id\" = ")
            .append(t).append('.').ident(rel.column()).append(" AND ");
        a.append(sql, a.row(target, Operation.READ), s);
        sql.append(')');
      }
      case HAS_ONE -> {
        sql.append("(SELECT ");
        object(sql, a, r.obj(), s, style);
        sql.append(" FROM ").ident(target.table()).append(' ').append(s).append(" WHERE ").append(s).append('.')
            .ident(rel.column()).append(" = ").append(t).append(".\"id\" AND ");
        a.append(sql, a.row(target, Operation.READ), s);
        sql.append(" ORDER BY ").append(s).append(".\"created_at\" LIMIT 1)");
      }
      case HAS_MANY -> {
        Ordering order = ordering(a, target, r.rows().orderBy());
        sql.append("(SELECT ");
        jsonArray(sql, s, order, () -> object(sql, a, r.obj(), s, style));
        sql.append(" FROM (SELECT * FROM ").ident(target.table()).append(' ').append(s).append(" WHERE ")
            .append(s).append('.').ident(rel.column()).append(" = ").append(t).append(".\"id\" AND ");
        a.append(sql, a.row(target, Operation.READ), s);
        sql.append(" AND ");
        Where.append(sql, target, s, r.rows().where(), a);
        sql.append(" ORDER BY ");
        order.appendOrderBy(sql, s);
        // without first, a page: an unbounded nested list multiplies rows level by level
        sql.append(" LIMIT ").append(Integer.toString(pageSize(r.rows().first(), m.name() + "." + r.field())));
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

  /**
   * A text concatenation being appended to a statement: constant text is gathered into one literal, each value is
   * an expression the caller appends (text, never null).
   */
  static final class Concat {
    private final Sql sql;
    private final StringBuilder constant = new StringBuilder();
    private int operands;
    private boolean entries;

    Concat(Sql sql) {
      this.sql = sql;
      sql.append('(');
    }

    Concat text(String s) {
      constant.append(s);
      return this;
    }

    /** The next entry's key, {@code "key":}, after a comma unless it is the object's first. */
    Concat key(String key) {
      constant.append(entries ? ",\"" : "\"").append(key).append("\":");
      entries = true;
      return this;
    }

    /** Where the next value's expression goes. */
    Sql value() {
      flush();
      return sql.append(operands++ == 0 ? "" : " || ");
    }

    void close() {
      flush();
      sql.append(operands == 0 ? "''" : "").append(')');
    }

    private void flush() {
      if (constant.length() > 0) {
        sql.append(operands++ == 0 ? "" : " || ").append(Sql.literal(constant.toString()));
        constant.setLength(0);
      }
    }
  }
}
