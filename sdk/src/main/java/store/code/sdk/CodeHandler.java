package store.code.sdk;

/**
 * Serves one {@code @code(handler: "...")} field. Implementations are found with {@link java.util.ServiceLoader}:
 * list them in {@code META-INF/services/store.code.sdk.CodeHandler} of the maker's jar.
 *
 * <p>For a field whose type is a {@code @model} type, return the row (a {@link Row}, a map with {@code id}) or just
 * its id: the runtime loads the object with whatever the API client selected, relations included. Other results
 * (scalars, lists, maps for plain object types) are returned as they are.
 *
 * <p>A mutation handler runs in one database transaction with everything it does through {@link CodeContext#data()}:
 * when it throws, nothing it wrote stays. Throw {@link CodeException} for an error the API client should read; any
 * other exception is reported as an internal error of the maker code, never as a crash of the instance.
 */
public interface CodeHandler {

  /** The name used in {@code @code(handler: ...)}, e.g. {@code "cart.checkout"}. */
  String name();

  Object handle(CodeContext context) throws Exception;
}
