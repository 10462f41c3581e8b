package store.code.schema;

/** One problem in a maker's SDL, at a 1-based line and column, with what to do about it. */
public record SchemaError(int line, int column, String message) {
  @Override
  public String toString() {
    return "line " + line + ", column " + column + ": " + message;
  }
}
