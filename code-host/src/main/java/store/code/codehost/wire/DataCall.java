package store.code.codehost.wire;

import java.util.List;
import java.util.Map;

/**
 * A handler's call back to the runtime: one method of the SDK's {@code Data} or {@code Storage}. Only the fields its
 * {@link Op} names are set.
 *
 * @param bytes base64 of a stored object ({@link Op#PUT})
 */
public record DataCall(Op op, String model, String id, Map<String, Object> where, List<Map<String, String>> orderBy,
    Integer first, Map<String, Object> input, String key, String bytes, String contentType, Long ttlSeconds) {

  public enum Op {
    GET, LIST, CREATE, UPDATE, DELETE, PUT, READ, REMOVE, DOWNLOAD_URL
  }

  public static DataCall model(Op op, String model, String id, Map<String, Object> input) {
    return new DataCall(op, model, id, null, null, null, input, null, null, null, null);
  }

  public static DataCall object(Op op, String key) {
    return new DataCall(op, null, null, null, null, null, null, key, null, null, null);
  }
}
