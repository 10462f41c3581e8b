package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import store.code.codehost.wire.Reply;
import store.code.codehost.wire.Wire;
import store.code.runtime.code.Callbacks;

/** The handlers' way back into the runtime: only with the token of a call that is still running, and only JSON. */
class CallbacksTest {

  Callbacks callbacks;

  @BeforeEach
  void start() throws Exception {
    callbacks = Callbacks.start(0);
  }

  @AfterEach
  void stop() {
    callbacks.close();
  }

  Reply send(String method, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(callbacks.url() + Wire.DATA))
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header(Wire.TOKEN_HEADER, token);
    }
    return Wire.JSON.readValue(HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body(),
        Reply.class);
  }

  @Test
  void aDataCallIsServedOnlyWithTheTokenOfARunningCall() throws Exception {
    Callbacks.Session session = callbacks.open(call -> Reply.ok(Map.of("op", call.op().name(), "model", call.model())));
    assertThat(send("POST", session.token(), "{\"op\":\"GET\",\"model\":\"Cart\",\"id\":\"1\"}").result())
        .isEqualTo(Map.of("op", "GET", "model", "Cart"));
    assertThat(send("POST", null, "{\"op\":\"GET\"}").error().message()).isEqualTo("no maker-code call is running with this token");
    assertThat(send("POST", session.token() + "x", "{\"op\":\"GET\"}").error().message())
        .isEqualTo("no maker-code call is running with this token");
    Callbacks.Session other = callbacks.open(call -> Reply.ok("other"));
    assertThat(other.token()).isNotEqualTo(session.token()).hasSizeGreaterThanOrEqualTo(43);
    session.close();
    assertThat(send("POST", session.token(), "{\"op\":\"GET\"}").error().message())
        .isEqualTo("no maker-code call is running with this token");
    assertThat(send("POST", other.token(), "{\"op\":\"LIST\"}").result()).isEqualTo("other");
  }

  @Test
  void aCallThatIsNotADataCallIsRefusedWithWhatWasWrong() throws Exception {
    Callbacks.Session session = callbacks.open(call -> Reply.ok("served"));
    assertThat(send("GET", session.token(), "").error().message()).isEqualTo("data calls are POSTed");
    Reply notJson = send("POST", session.token(), "{\"op\": ");
    assertThat(notJson.error().code()).isEqualTo("BAD_USER_INPUT");
    assertThat(notJson.error().message()).startsWith("the data call cannot be read: ");
    Reply unknownOp = send("POST", session.token(), "{\"op\":\"DROP_TABLE\"}");
    assertThat(unknownOp.error().code()).isEqualTo("BAD_USER_INPUT");
    assertThat(unknownOp.error().message()).contains("DROP_TABLE");
  }
}
