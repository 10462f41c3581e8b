package store.code.schema;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when an SDL does not compile; carries every error found, in source order. */
public class SchemaException extends Exception {
  private final transient List<SchemaError> errors;

  public SchemaException(List<SchemaError> errors) {
    super(errors.stream().map(SchemaError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<SchemaError> errors() {
    return errors;
  }
}
