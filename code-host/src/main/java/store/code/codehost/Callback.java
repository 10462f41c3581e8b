package store.code.codehost;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import store.code.codehost.wire.Call;
import store.code.codehost.wire.DataCall;
import store.code.codehost.wire.Reply;
import store.code.codehost.wire.Wire;
import store.code.sdk.CodeException;

/**
 * A handler's line back to the runtime for one call: each {@link DataCall} carries the call's token, and waits no
 * longer than the call's deadline. The runtime's refusals come back as {@link CodeException} with its code, so a
 * handler can catch them as it could when it ran inside the runtime.
 */
final class Callback {

  private final HttpClient http;
  private final URI uri;
  private final String token;
  private final long deadline;

  Callback(HttpClient http, Call call, long startedNanos) {
    this.http = http;
    this.uri = URI.create(call.callbackUrl() + Wire.DATA);
    this.token = call.token();
    this.deadline = startedNanos + Duration.ofMillis(call.timeoutMillis()).toNanos();
  }

  Object send(DataCall call) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new CodeException("the call ran past its deadline", "TIMEOUT");
    }
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
          .header(Wire.TOKEN_HEADER, token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.JSON.writeValueAsBytes(call))).build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      Reply reply = Wire.JSON.readValue(response.body(), Reply.class);
      if (reply.error() != null) {
        throw new CodeException(reply.error().message(), reply.error().code());
      }
      return reply.result();
    } catch (IOException e) {
      throw new CodeException("the runtime did not answer " + call.op() + ": " + e.getMessage(), "CODE_ERROR");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CodeException("interrupted while waiting for the runtime", "CODE_ERROR");
    }
  }
}
