package store.code.runtime;

import java.util.Map;

/**
 * An error an API client can act on: its message goes to {@code errors[].message}, its code to
 * {@code errors[].extensions.code}. Anything else thrown while serving a request is an INTERNAL error whose details
 * go to the log only.
 */
public class ApiError extends RuntimeException {

  public static final String BAD_USER_INPUT = "BAD_USER_INPUT";
  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String CONFLICT = "CONFLICT";
  public static final String TIMEOUT = "TIMEOUT";
  public static final String CODE_ERROR = "CODE_ERROR";
  public static final String UNAVAILABLE = "UNAVAILABLE";

  private final String code;
  private final Map<String, Object> details;

  public ApiError(String code, String message) {
    this(code, message, Map.of());
  }

  public ApiError(String code, String message, Map<String, Object> details) {
    super(message);
    this.code = code;
    this.details = details;
  }

  public static ApiError badInput(String message) {
    return new ApiError(BAD_USER_INPUT, message);
  }

  public String code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }
}
