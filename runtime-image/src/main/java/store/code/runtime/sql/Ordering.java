package store.code.runtime.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;

import store.code.runtime.ApiError;
import store.code.schema.Model;

/**
 * A total order over a model's rows ({@code orderBy} entries, then {@code id} to break ties) and the keyset cursors
 * that page through it. A cursor is the sort values of a row plus a signature of the order it was made for, so a
 * cursor from another orderBy is refused instead of silently skipping rows. Nulls sort as the greatest values.
 */
public final class Ordering {

  record Key(Fields.Stored field, boolean desc) {}

  private static final List<Map<String, Object>> DEFAULT = List.of(Map.of("createdAt", "ASC"));

  private final Model model;
  private final List<Key> keys;

  private Ordering(Model model, List<Key> keys) {
    this.model = model;
    this.keys = keys;
  }

  static Ordering of(Model m, List<Map<String, Object>> orderBy) {
    Map<String, Fields.Stored> fields = Fields.of(m);
    List<Key> keys = new ArrayList<>();
    List<Map<String, Object>> entries = orderBy == null || orderBy.isEmpty() ? DEFAULT : orderBy;
    for (Map<String, Object> entry : entries) {
      var given = entry.entrySet().stream().filter(e -> e.getValue() != null).toList();
      if (given.size() != 1) {
        throw ApiError.badInput("each orderBy entry of " + m.name() + " names exactly one field (e.g. {createdAt: DESC}); got "
            + given.stream().map(Map.Entry::getKey).toList() + ". Use several entries to sort by several fields");
      }
      Fields.Stored f = fields.get(given.get(0).getKey());
      if (f == null || !f.comparable()) {
        throw ApiError.badInput(m.name() + " cannot be sorted by " + given.get(0).getKey());
      }
      if (keys.stream().noneMatch(k -> k.field().equals(f))) {
        keys.add(new Key(f, "DESC".equals(given.get(0).getValue().toString())));
      }
    }
    if (keys.stream().noneMatch(k -> k.field().field().equals("id"))) {
      keys.add(new Key(fields.get("id"), false));
    }
    return new Ordering(m, List.copyOf(keys));
  }

  void appendOrderBy(Sql sql, String alias) {
    for (int i = 0; i < keys.size(); i++) {
      Key k = keys.get(i);
      sql.append(i == 0 ? "" : ", ").append(alias).append('.').ident(k.field().column())
          .append(k.desc() ? " DESC NULLS FIRST" : " ASC NULLS LAST");
    }
  }

  /** The values a cursor for a row needs, as a json array. */
  void appendCursorValues(Sql sql, String alias) {
    sql.append("json_build_array(");
    for (int i = 0; i < keys.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(alias).append('.').ident(keys.get(i).field().column());
    }
    sql.append(')');
  }

  /**
   * The row's cursor as a JSON string, rendered by Postgres byte for byte as {@link #encode} writes it (base64url,
   * without padding, of {@code ["<signature>", values...]} as Jackson writes the values it reads from Postgres), or
   * {@link Reads#GIVE_UP} where Jackson's round trip would change a value's text: a string with a control character
   * it escapes in upper-case hex (Postgres: lower-case), a character beyond the Basic Multilingual Plane (Jackson
   * escapes its UTF-16 halves), a float it would write in exponent form.
   */
  void appendAnswerCursor(Sql sql, String alias) {
    List<String> giveUps = new ArrayList<>();
    StringBuilder json = new StringBuilder(Sql.literal("[" + '"' + signature() + '"'));
    for (Key k : keys) {
      String col = alias + "." + Sql.quote(k.field().column());
      String value = "coalesce(to_json(" + col + ")::text, 'null')";
      switch (k.field().type()) {
        case STRING, ENUM -> giveUps.add(col + " ~ '[\\x01-\\x07\\x0b\\x0e-\\x1f\\U00010000-\\U0010ffff]'");
        case FLOAT -> {
          giveUps.add("NOT (" + col + " = trunc(" + col + ") AND abs(" + col + ") < 1e15 OR abs(" + col + ") >= 1e-3 AND abs("
              + col + ") < 1e7)");
          value = "CASE WHEN " + col + " = 0 THEN '0' ELSE " + value + " END"; // -0 reads back as the integer 0
        }
        default -> { }
      }
      json.append(" || ',' || ").append(value);
    }
    json.append(" || ']'");
    String cursor = "'\"' || rtrim(translate(encode(convert_to(" + json + ", 'UTF8'), 'base64'), '+/' || chr(10), '-_'), '=') || '\"'";
    if (giveUps.isEmpty()) {
      sql.append(cursor);
    } else {
      sql.append("CASE WHEN ").append(String.join(" OR ", giveUps)).append(" THEN ").append(Reads.GIVE_UP_SQL)
          .append(" ELSE ").append(cursor).append(" END");
    }
  }

  String signature() {
    return keys.stream().map(k -> k.field().field() + (k.desc() ? ":DESC" : ":ASC")).collect(Collectors.joining(","));
  }

  String encode(List<?> values) {
    List<Object> all = new ArrayList<>();
    all.add(signature());
    all.addAll(values);
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Db.JSON.writeValueAsBytes(all));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Restricts to rows strictly after the cursor's row in this order. */
  void appendAfter(Sql sql, String alias, String cursor) {
    List<?> values = decode(cursor);
    boolean simple = keys.stream().allMatch(k -> !k.desc() && !k.field().nullable());
    if (simple) {
      // one row comparison: an index on the sort columns serves it directly
      sql.append("(");
      for (int i = 0; i < keys.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(alias).append('.').ident(keys.get(i).field().column());
      }
      sql.append(") > (");
      for (int i = 0; i < keys.size(); i++) {
        sql.append(i == 0 ? "" : ", ").param(values.get(i), keys.get(i).field().sqlType());
      }
      sql.append(")");
      return;
    }
    after(sql, alias, values, 0);
  }

  private void after(Sql sql, String alias, List<?> values, int i) {
    if (i == keys.size()) {
      sql.append("FALSE");
      return;
    }
    Key k = keys.get(i);
    String col = alias + "." + Sql.quote(k.field().column());
    Object v = values.get(i);
    String type = k.field().sqlType();
    if (v == null) {
      sql.append(k.desc() ? "(" + col + " IS NOT NULL OR (" + col + " IS NULL AND " : "(" + col + " IS NULL AND ");
      after(sql, alias, values, i + 1);
      sql.append(k.desc() ? "))" : ")");
      return;
    }
    sql.append("(").append(col).append(k.desc() ? " < " : " > ").param(v, type);
    if (!k.desc() && k.field().nullable()) {
      sql.append(" OR ").append(col).append(" IS NULL");
    }
    sql.append(" OR (").append(col).append(" = ").param(v, type).append(" AND ");
    after(sql, alias, values, i + 1);
    sql.append("))");
  }

  private List<?> decode(String cursor) {
    List<?> all;
    try {
      all = Db.JSON.readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)), List.class);
    } catch (IllegalArgumentException | java.io.IOException e) {
      all = null;
    }
    if (all == null) { // not base64, not JSON, not a list, or the JSON null
      throw ApiError.badInput("after: \"" + cursor + "\" is not a cursor of " + model.name()
          + "; pass an endCursor or an edge cursor this API returned");
    }
    if (all.isEmpty() || !signature().equals(all.get(0)) || all.size() != keys.size() + 1) {
      throw ApiError.badInput("after: this cursor was made for another orderBy of " + model.name()
          + "; page with the orderBy the cursor came from (" + (all.isEmpty() ? "?" : all.get(0)) + ")");
    }
    List<?> values = all.subList(1, all.size());
    for (int i = 0; i < keys.size(); i++) {
      if (values.get(i) instanceof Map || values.get(i) instanceof List) {
        throw ApiError.badInput("after: the cursor is damaged; pass a cursor this API returned");
      }
      if (keys.get(i).field().field().equals("id")) {
        Where.uuid(values.get(i), "after");
      }
    }
    return values;
  }
}
