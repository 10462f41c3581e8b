package store.code.codehost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import store.code.codehost.wire.Call;
import store.code.codehost.wire.Inventory;
import store.code.codehost.wire.Reply;
import store.code.codehost.wire.Wire;
import store.code.sdk.CodeContext;
import store.code.sdk.CodeException;
import store.code.sdk.CodeHandler;
import store.code.sdk.Row;

/** The host over its HTTP protocol: results, errors a client reads, bad calls, and the watchdog. */
class CodeHostTest {

  final CountDownLatch restarts = new CountDownLatch(1);
  CodeHost host;

  static CodeHandler handler(String name, Body body) {
    return new CodeHandler() {
      public String name() {
        return name;
      }

      public Object handle(CodeContext ctx) throws Exception {
        return body.handle(ctx);
      }
    };
  }

  interface Body {
    Object handle(CodeContext ctx) throws Exception;
  }

  void start(CodeHandler... handlers) throws Exception {
    host = CodeHost.start(Handlers.of(List.of(handlers)), 0, Duration.ofMillis(300), restarts::countDown);
  }

  @AfterEach
  void stop() {
    if (host != null) {
      host.close();
    }
  }

  HttpResponse<String> post(String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + Wire.CALL))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  Reply call(String handler, long timeoutMillis) throws Exception {
    Call call = new Call(handler, "Query.f", "r-1", "t", "http://127.0.0.1:1", timeoutMillis, Map.of("n", 2),
        Map.of("id", "p-1"), Map.of("CURRENCY", "CHF"), Map.of("STRIPE_KEY", "sk_test_1"), new Call.Caller("JWT", "ann", List.of("staff"), Map.of()), false);
    return Wire.JSON.readValue(post(Wire.JSON.writeValueAsString(call)).body(), Reply.class);
  }

  @Test
  void aHandlerSeesItsCallAndItsResultComesBackAsJson() throws Exception {
    start(handler("echo", ctx -> Map.of("n", ctx.arguments().get("n"), "parent", ctx.parent().id(), "currency",
        ctx.config().get("CURRENCY"), "who", ctx.caller().kind() + ":" + ctx.caller().id() + ":" + ctx.caller().groups(),
        "row", (Row) () -> Map.of("id", "r-9"), "storage", ctx.storage().enabled(),
        "secret", ctx.secret("STRIPE_KEY").orElse("none") + "/" + ctx.secret("OTHER").orElse("none"))));
    assertThat(call("echo", 1000).result()).isEqualTo(Map.of("n", 2, "parent", "p-1", "currency", "CHF",
        "who", "JWT:ann:[staff]", "row", Map.of("id", "r-9"), "storage", false, "secret", "sk_test_1/none"));
  }

  @Test
  void errorsKeepTheMakersCodeAndAnythingElseIsCodeErrorWithItsClass() throws Exception {
    start(handler("refuses", ctx -> {
      throw new CodeException("no such cart", "NOT_FOUND");
    }), handler("breaks", ctx -> {
      throw new IllegalStateException("bug");
    }), handler("overflows", ctx -> overflow(0)));
    assertThat(call("refuses", 1000).error()).isEqualTo(new Reply.Failure("NOT_FOUND", "no such cart"));
    assertThat(call("breaks", 1000).error())
        .isEqualTo(new Reply.Failure("CODE_ERROR", "maker code \"breaks\" failed: IllegalStateException: bug"));
    assertThat(call("overflows", 1000).error().message()).startsWith("maker code \"overflows\" failed: StackOverflowError");
    assertThat(call("absent", 1000).error().message()).isEqualTo("Query.f is served by maker code \"absent\", which this "
        + "instance does not have (handlers: [refuses, breaks, overflows], maker jars: []): check the Service's code.image "
        + "and the handler names it registers");
    assertThat(restarts.getCount()).as("none of these needs a new process").isEqualTo(1);
  }

  static int overflow(int n) {
    return overflow(n + 1) + 1;
  }

  @Test
  void aCallThatIsNotJsonIsRefusedWithWhatWasWrong() throws Exception {
    start();
    HttpResponse<String> r = post("{\"handler\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Wire.JSON.readValue(r.body(), Reply.class).error().message()).startsWith("the host could not read the call: ");
    HttpResponse<String> inventory = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + host.port() + Wire.INVENTORY)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(Wire.JSON.readValue(inventory.body(), Inventory.class).handlers()).isEmpty();
  }

  @Test
  void aHandlerStillRunningPastItsDeadlineAndTheGraceMakesTheHostAskForANewProcess() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(handler("hangs", ctx -> release.await(30, TimeUnit.SECONDS)), handler("quick", ctx -> 1));
    Thread caller = new Thread(() -> {
      try {
        call("hangs", 200);
      } catch (Exception ignored) {
        // the host is closed under it
      }
    });
    caller.start();
    assertThat(call("quick", 1000).result()).as("other calls are served meanwhile").isEqualTo(1);
    assertThat(restarts.await(5, TimeUnit.SECONDS)).as("200 ms deadline + 300 ms grace, checked every 200 ms").isTrue();
    release.countDown();
  }

  @Test
  void durationsAreReadAsTheRuntimeWritesThemAndABadOneSaysWhich() {
    assertThat(CodeHostMain.duration("G", "5")).isEqualTo(Duration.ofSeconds(5));
    assertThat(CodeHostMain.duration("G", "5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(CodeHostMain.duration("G", "1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(CodeHostMain.duration("G", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(CodeHostMain.duration("G", "PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> CodeHostMain.duration("CODESTORE_CODE_GRACE", "five"))
        .hasMessage("CODESTORE_CODE_GRACE=\"five\" is not a duration: write 5, 5s, 500ms or PT5S");
    assertThatThrownBy(() -> CodeHostMain.duration("CODESTORE_CODE_GRACE", "-1")).hasMessageContaining("is negative");
  }
}
