package store.code.cli;

/** Something the user can fix: printed as {@code error: <message>}, exit code 1. The message says what and where. */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }
}
