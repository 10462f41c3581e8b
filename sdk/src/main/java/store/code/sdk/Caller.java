package store.code.sdk;

import java.util.List;
import java.util.Map;

/** Who made the API request a handler serves, as the runtime authenticated it. */
public interface Caller {

  /** How the caller proved who it is. */
  enum Kind {
    /** A project API key ({@code Authorization: Bearer csk_...}): a program of the client's, not a person. */
    KEY,
    /** A token from the project's identity provider: a person or a service with a subject. */
    JWT,
    /** No credential: only what the schema marks {@code public}. */
    ANONYMOUS
  }

  Kind kind();

  /** The key's id, or the token's subject ({@code sub}); null for an anonymous caller. */
  String id();

  /** The token's groups (the project's groups claim); empty for keys and anonymous callers. */
  List<String> groups();

  /** Every claim of the token; empty for keys and anonymous callers. */
  Map<String, Object> claims();
}
