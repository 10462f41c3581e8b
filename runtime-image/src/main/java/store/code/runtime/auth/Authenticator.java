package store.code.runtime.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code Authorization} header: nothing is an anonymous caller (the schema's rules decide what that may
 * do); {@code Bearer csk_...} is a project API key; any other bearer credential is a token. A credential that is
 * given must hold: a bad one is {@link Unauthenticated}, never treated as anonymous.
 */
public final class Authenticator {

  private final Optional<ApiKeys> keys;
  private final Optional<Tokens> tokens;

  public Authenticator(Optional<ApiKeys> keys, Optional<Tokens> tokens) {
    this.keys = keys;
    this.tokens = tokens;
  }

  /** The API keys, when this instance accepts any (the operator hands changes over to them). */
  public Optional<ApiKeys> keys() {
    return keys;
  }

  public Identity authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Identity.ANONYMOUS;
    }
    String value = authorization.strip();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      throw new Unauthenticated("the Authorization header must be `Bearer <API key or token>`");
    }
    String credential = value.substring(space + 1).strip();
    if (credential.isEmpty()) {
      throw new Unauthenticated("the Authorization header has no credential after Bearer");
    }
    if (credential.startsWith(ApiKeys.PREFIX)) {
      if (keys.isEmpty()) {
        throw new Unauthenticated("this instance accepts no API keys");
      }
      return keys.get().keyIdOf(credential).map(Identity::key).orElseThrow(() -> new Unauthenticated(
          "the API key is not valid for this instance (unknown, revoked or expired; a key is for its project, and its "
              + "environments and services)"));
    }
    if (tokens.isEmpty()) {
      throw new Unauthenticated("this instance accepts no tokens (its project has no JWT issuer): use an API key");
    }
    return tokens.get().verify(credential);
  }
}
