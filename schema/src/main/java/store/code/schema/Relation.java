package store.code.schema;

/**
 * A relation field of a model. For {@link Kind#BELONGS_TO} the foreign key column lives on this
 * model ({@code column}); for HAS_MANY and HAS_ONE it lives on {@code target}, in the column of the
 * target's belongsTo field named {@code inverseField}.
 */
public record Relation(
    String field, Kind kind, String target, String column, String inverseField, boolean nullable, OnDelete onDelete) {

  public enum Kind { BELONGS_TO, HAS_MANY, HAS_ONE }

  /** What deleting the referenced row does to rows that belong to it. */
  public enum OnDelete { RESTRICT, CASCADE, SET_NULL }
}
