package store.code.console;

import java.util.Optional;

/** Whose request this is: the bearer token of the {@code Authorization} header, else the sign-in cookie's. */
final class Person {
  /** The cookie the sign-in form sets: the person's token, sent back only to this console (HttpOnly, SameSite). */
  static final String COOKIE = "codestore-token";

  private Person() {}

  static Optional<String> token(String authorization, String cookie) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && !authorization.substring(7).isBlank()) {
      return Optional.of(authorization.substring(7).strip());
    }
    return cookie == null || cookie.isBlank() ? Optional.empty() : Optional.of(cookie);
  }

  /** No token on the request: the page asks to sign in (401). */
  static final class NotSignedIn extends RuntimeException {
    NotSignedIn() {
      super("sign in: no token on this request");
    }
  }
}
