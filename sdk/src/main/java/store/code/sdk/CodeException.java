package store.code.sdk;

/**
 * An error the API client should read: its message goes to {@code errors[].message} and its code to
 * {@code errors[].extensions.code} (e.g. {@code BAD_USER_INPUT}, {@code NOT_FOUND}, {@code CONFLICT}).
 */
public class CodeException extends RuntimeException {

  private final String code;

  public CodeException(String message) {
    this(message, "BAD_USER_INPUT");
  }

  public CodeException(String message, String code) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
