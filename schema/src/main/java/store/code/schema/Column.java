package store.code.schema;

/**
 * A stored field of a model. {@code name} is the SQL column (snake_case, always quoted when used);
 * {@code field} is the GraphQL field it serves.
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
    String defaultLiteral) {

  public String sqlType() {
    return list ? type.sqlType() + "[]" : type.sqlType();
  }
}
