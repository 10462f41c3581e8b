package store.code.schema;

import java.util.List;

/**
 * A stored field of a model. {@code name} is the SQL column (snake_case, always quoted when used);
 * {@code field} is the GraphQL field it serves. {@code rules}, when not empty, narrow the type's {@code @auth} rules
 * for this field.
 */
public record Column(
    String field,
    String name,
    ScalarType type,
    String enumType,
    boolean list,
    boolean nullable,
    boolean unique,
    boolean indexed,
    String defaultLiteral,
    List<AuthRule> rules) {

  public String sqlType() {
    return list ? type.sqlType() + "[]" : type.sqlType();
  }
}
