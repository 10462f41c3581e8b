package store.code.sdk;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One stored object, keyed by GraphQL field name: {@code id}, {@code createdAt}, {@code updatedAt}, every stored
 * field, and {@code <relation>Id} for each {@code @belongsTo}. Typed getters convert what JSON and SQL give.
 */
public interface Row {

  Map<String, Object> values();

  default Object get(String field) {
    return values().get(field);
  }

  default String id() {
    return getString("id");
  }

  default String getString(String field) {
    Object v = get(field);
    return v == null ? null : v.toString();
  }

  default Integer getInt(String field) {
    Object v = get(field);
    return v == null ? null : ((Number) v).intValue();
  }

  default Double getDouble(String field) {
    Object v = get(field);
    return v == null ? null : ((Number) v).doubleValue();
  }

  default Boolean getBoolean(String field) {
    return (Boolean) get(field);
  }

  default OffsetDateTime getDateTime(String field) {
    Object v = get(field);
    return v == null ? null : OffsetDateTime.parse(v.toString());
  }
}
