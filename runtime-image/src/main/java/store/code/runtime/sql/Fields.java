package store.code.runtime.sql;

import java.util.LinkedHashMap;
import java.util.Map;

import store.code.schema.Column;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/**
 * The stored scalar fields of a model by GraphQL field name: {@code id}, {@code createdAt}, {@code updatedAt}, every
 * column, and {@code <relation>Id} for each belongsTo. What filters, orderBy, cursors and rows are made of.
 */
final class Fields {

  record Stored(String field, String column, String sqlType, ScalarType type, boolean list, boolean nullable) {
    boolean comparable() {
      return !list && type != ScalarType.JSON && type != ScalarType.FILE;
    }
  }

  private Fields() {}

  static Map<String, Stored> of(Model m) {
    Map<String, Stored> out = new LinkedHashMap<>();
    out.put("id", new Stored("id", "id", "uuid", ScalarType.ID, false, false));
    out.put("createdAt", new Stored("createdAt", "created_at", "timestamptz", ScalarType.DATE_TIME, false, false));
    out.put("updatedAt", new Stored("updatedAt", "updated_at", "timestamptz", ScalarType.DATE_TIME, false, false));
    for (Column c : m.columns()) {
      out.put(c.field(), new Stored(c.field(), c.name(), c.sqlType(), c.type(), c.list(), c.nullable()));
    }
    for (Relation r : m.relations()) {
      if (r.kind() == Relation.Kind.BELONGS_TO) {
        out.put(r.field() + "Id", new Stored(r.field() + "Id", r.column(), "uuid", ScalarType.ID, false, r.nullable()));
      }
    }
    return out;
  }
}
