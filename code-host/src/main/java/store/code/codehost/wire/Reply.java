package store.code.codehost.wire;

/** An answer of either side: a result (possibly null), or an error with the GraphQL code the API client reads. */
public record Reply(Object result, Failure error) {

  public record Failure(String code, String message) {}

  public static Reply ok(Object result) {
    return new Reply(result, null);
  }

  public static Reply failed(String code, String message) {
    return new Reply(null, new Failure(code, message));
  }
}
