package store.code.runtime.auth;

/** A credential that is missing where one is needed, or that does not hold: HTTP 401, never billed. */
public final class Unauthenticated extends RuntimeException {
  public Unauthenticated(String message) {
    super(message, null, false, false);
  }
}
