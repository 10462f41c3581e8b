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
 * @param config        the project's plain settings for this instance
 * @param secrets       the project's secret values for this instance (never logged: see {@link #toString})
 * @param storage       whether the instance has a bucket
 */
public record Call(String handler, String field, String requestId, String token, String callbackUrl, long timeoutMillis,
    Map<String, Object> arguments, Map<String, Object> parent, Map<String, String> config,
    Map<String, String> secrets, Caller caller, boolean storage) {

  /** Without the secret values: a call may be logged when it fails. */
  @Override
  public String toString() {
    return "Call[" + handler + " for " + field + ", request " + requestId + ", secret keys "
        + (secrets == null ? "[]" : new java.util.TreeSet<>(secrets.keySet())) + "]";
  }

  /** Who made the request, as the runtime authenticated it. */
  public record Caller(String kind, String id, List<String> groups, Map<String, Object> claims) {}
}
