package store.code.schema;

import java.util.Map;
import java.util.Optional;

/** Field types a @model column can have, and the Postgres type each one is stored as. */
public enum ScalarType {
  ID("uuid"),
  STRING("text"),
  INT("integer"),
  FLOAT("double precision"),
  BOOLEAN("boolean"),
  DATE_TIME("timestamptz"),
  JSON("jsonb"),
  /** A value of a maker-defined GraphQL enum, stored as its name. */
  ENUM("text"),
  /** The object key of a file in the instance bucket. */
  FILE("text");

  private static final Map<String, ScalarType> BY_GRAPHQL_NAME = Map.of(
      "ID", ID, "String", STRING, "Int", INT, "Float", FLOAT, "Boolean", BOOLEAN,
      "DateTime", DATE_TIME, "JSON", JSON, "File", FILE);

  private final String sqlType;

  ScalarType(String sqlType) {
    this.sqlType = sqlType;
  }

  public String sqlType() {
    return sqlType;
  }

  static Optional<ScalarType> ofGraphqlName(String name) {
    return Optional.ofNullable(BY_GRAPHQL_NAME.get(name));
  }

  /** Scalars code.store adds to every schema (GraphQL's own five need no declaration). */
  static boolean isProvidedCustomScalar(String name) {
    return name.equals("DateTime") || name.equals("JSON");
  }
}
