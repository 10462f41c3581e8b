package store.code.codehost;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import store.code.codehost.wire.Call;
import store.code.codehost.wire.LoopbackServer;
import store.code.codehost.wire.Reply;
import store.code.codehost.wire.Wire;
import store.code.sdk.CodeException;
import store.code.sdk.CodeHandler;

/**
 * Serves {@link Wire#CALL} on the loopback interface: runs the named handler with a {@link RemoteContext} and answers
 * what it returned, or its error. A {@link CodeException} keeps its code; anything else the handler throws (an
 * {@link Error} too) is {@code CODE_ERROR} with the exception's class and message, and its stack trace goes to this
 * process's log, never to the API client. A handler still running well past its call's deadline makes the
 * {@link Watchdog} end the process, which its {@link Supervisor} starts again clean.
 */
public final class CodeHost implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("codestore.code-host");

  private final Handlers handlers;
  private volatile LoopbackServer server; // set once, by start, before any call can arrive
  private final HttpClient http;
  private final Watchdog watchdog;
  private final Runnable restart;

  private CodeHost(Handlers handlers, Duration grace, Runnable restart) {
    this.handlers = handlers;
    this.restart = restart;
    this.watchdog = new Watchdog(grace, restart);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run)
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * @param port   on 127.0.0.1; 0 for any free one
   * @param restart what to do when a handler runs {@code grace} past its deadline or the JVM fails under it (out of
   *                memory): the process halts itself, and is started again clean
   */
  public static CodeHost start(Handlers handlers, int port, Duration grace, Runnable restart) throws IOException {
    CodeHost host = new CodeHost(handlers, grace, restart);
    host.server = LoopbackServer.start(port, "code-call", Map.of(Wire.CALL, host::call,
        Wire.INVENTORY, ex -> answer(ex, 200, handlers.inventory())));
    return host;
  }

  public int port() {
    return server.port();
  }

  private void call(HttpExchange ex) throws IOException {
    Call call;
    try (InputStream in = ex.getRequestBody()) {
      call = Wire.JSON.readValue(in.readNBytes(Wire.MAX_BODY_BYTES), Call.class);
    } catch (IOException e) {
      answer(ex, 400, Reply.failed("CODE_ERROR", "the host could not read the call: " + e.getMessage()));
      return;
    }
    Outcome outcome = run(call);
    answer(ex, 200, outcome.reply());
    if (outcome.fatal()) {
      restart.run();
    }
  }

  /** @param fatal the JVM failed under the handler (out of memory): nothing in this process can be trusted now */
  private record Outcome(Reply reply, boolean fatal) {}

  private Outcome run(Call call) {
    CodeHandler handler = handlers.handler(call.handler()).orElse(null);
    if (handler == null) {
      return new Outcome(Reply.failed("CODE_ERROR", call.field() + " is served by maker code \"" + call.handler()
          + "\", which this instance does not have (handlers: " + handlers.inventory().handlers() + ", maker jars: "
          + handlers.inventory().jars() + "): check the Service's code.image and the handler names it registers"), false);
    }
    long started = System.nanoTime();
    Watchdog.Running running = watchdog.begin(call, started);
    try {
      Object result = handler.handle(new RemoteContext(call, new Callback(http, call, started)));
      return new Outcome(Reply.ok(Results.plain(result)), false);
    } catch (CodeException e) {
      return new Outcome(Reply.failed(e.code(), e.getMessage()), false);
    } catch (Exception | Error e) {
      LOG.log(System.Logger.Level.ERROR, "handler " + call.handler() + " failed (request " + call.requestId() + ")", e);
      boolean fatal = e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
      return new Outcome(Reply.failed("CODE_ERROR", "maker code \"" + call.handler() + "\" failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())), fatal);
    } finally {
      running.end();
    }
  }

  private static void answer(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes;
    try {
      bytes = Wire.JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      status = 200;
      bytes = Wire.JSON.writeValueAsBytes(Reply.failed("CODE_ERROR", "the handler's result cannot be sent as JSON: "
          + e.getMessage()));
    }
    LoopbackServer.answer(ex, status, bytes);
  }

  @Override
  public void close() {
    server.close();
    watchdog.close();
  }
}
