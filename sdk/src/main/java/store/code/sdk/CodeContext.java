package store.code.sdk;

import java.lang.System.Logger;
import java.util.Map;
import java.util.Optional;

/** What a handler gets for one call. */
public interface CodeContext {

  /** The field's arguments, as GraphQL coerced them (ID and String: String, Int: Integer, input objects: Map). */
  Map<String, Object> arguments();

  /** One argument, or empty when it was not given. */
  default <T> Optional<T> argument(String name, Class<T> type) {
    Object v = arguments().get(name);
    if (v != null && !type.isInstance(v)) {
      throw new CodeException("argument " + name + " is " + v.getClass().getSimpleName() + ", not " + type.getSimpleName(),
          "BAD_USER_INPUT");
    }
    return Optional.ofNullable(type.cast(v));
  }

  /** The object the field belongs to (all its stored fields), or null for fields of Query and Mutation. */
  Row parent();

  /** Reads and writes the instance's models; inside the mutation's transaction. */
  Data data();

  /** The instance bucket; {@link Storage#enabled()} is false when the instance has none. */
  Storage storage();

  /** The instance's settings: the project's {@code config} for this service. */
  Map<String, String> config();

  /**
   * A secret value the project hands this instance ({@code secretRefs} of the Project, resolved for its environment),
   * by the key it has in its Secret; empty when there is none. Never log it or return it in an answer.
   */
  default Optional<String> secret(String key) {
    return Optional.empty();
  }

  /** Goes to the instance log, tagged with the handler name and request id. */
  Logger log();

  /** The id of the API request, as written in the instance log. */
  String requestId();

  /**
   * Who made the request. {@link #data()} already reads and writes only what the schema's {@code @auth} rules let
   * this caller; a handler may apply rules of its own with it.
   */
  default Caller caller() {
    return new Caller() {
      public Kind kind() {
        return Kind.ANONYMOUS;
      }

      public String id() {
        return null;
      }

      public java.util.List<String> groups() {
        return java.util.List.of();
      }

      public Map<String, Object> claims() {
        return Map.of();
      }
    };
  }
}
