package store.code.sdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The instance's models, by GraphQL type name ({@code "Cart"}). {@code where} has the shape of the generated
 * {@code <Model>Where} input, e.g. {@code Map.of("cartId", Map.of("eq", id))}; {@code orderBy} entries have the shape
 * of {@code <Model>OrderBy}, e.g. {@code Map.of("createdAt", "DESC")}. Inputs have the shape of the generated create
 * and update inputs. Errors (unknown model or field, a missing required field, a broken reference) are thrown as
 * {@link CodeException} with the same message the generated API gives.
 */
public interface Data {

  Optional<Row> get(String model, String id);

  List<Row> list(String model, Map<String, Object> where, List<Map<String, String>> orderBy, int first);

  default List<Row> list(String model, Map<String, Object> where) {
    return list(model, where, List.of(), 1000);
  }

  Row create(String model, Map<String, Object> input);

  /** Changes only the fields in {@code input}; throws when no row has this id. */
  Row update(String model, String id, Map<String, Object> input);

  /** True when a row was deleted, false when none had this id. */
  boolean delete(String model, String id);
}
