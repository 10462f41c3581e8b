package store.code.codehost.wire;

import java.util.List;
import java.util.Map;

/**
 * One call of a handler, for one field of one request.
 *
 * @param field         {@code Type.field} the call serves, for messages
 * @param token         what the handler's data and storage calls back with; dies when the call ends
 * @param callbackUrl   where those calls go (the runtime, on the pod's loopback interface)
 * @param timeoutMillis the call's deadline: the runtime stops waiting then, and the host restarts itself if the
 *                      handler is still running well after it
 * @param parent        the stored fields of the object the field belongs to, or null on Query and Mutation
 * @param storage       whether the instance has a bucket
 */
public record Call(String handler, String field, String requestId, String token, String callbackUrl, long timeoutMillis,
    Map<String, Object> arguments, Map<String, Object> parent, Map<String, String> config, Caller caller,
    boolean storage) {

  /** Who made the request, as the runtime authenticated it. */
  public record Caller(String kind, String id, List<String> groups, Map<String, Object> claims) {}
}
