package store.code.runtime.auth;

import java.util.List;
import java.util.Map;

import store.code.sdk.Caller;

/** Who a request comes from, once its credential was checked ({@link Authenticator}). */
public record Identity(Kind kind, String id, List<String> groups, Map<String, Object> claims) implements Caller {

  public static final Identity ANONYMOUS = new Identity(Kind.ANONYMOUS, null, List.of(), Map.of());

  public Identity {
    groups = List.copyOf(groups);
    claims = Map.copyOf(claims);
  }

  public static Identity key(String keyId) {
    return new Identity(Kind.KEY, keyId, List.of(), Map.of());
  }

  public static Identity token(String subject, List<String> groups, Map<String, Object> claims) {
    return new Identity(Kind.JWT, subject, groups, claims);
  }

  public boolean authenticated() {
    return kind != Kind.ANONYMOUS;
  }

  /** How logs name the caller: {@code key:<keyId>}, {@code jwt:<subject>} or {@code anonymous}; never a secret. */
  public String logName() {
    return switch (kind) {
      case KEY -> "key:" + id;
      case JWT -> "jwt:" + id;
      case ANONYMOUS -> "anonymous";
    };
  }
}
