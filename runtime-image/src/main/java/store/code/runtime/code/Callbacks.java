package store.code.runtime.code;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;

import store.code.codehost.wire.DataCall;
import store.code.codehost.wire.LoopbackServer;
import store.code.codehost.wire.Reply;
import store.code.codehost.wire.Wire;

/**
 * The runtime's end of the handlers' calls back ({@link Wire#DATA}), on the loopback interface only. Each maker-code
 * call opens a {@link Session} with a fresh random token; a data call is served only with a token whose call is still
 * running, on that call's connection (inside a mutation's transaction) and with its caller's rights. When the call
 * ends, or times out, the token dies: a handler left running cannot reach the request's data afterwards.
 */
public final class Callbacks implements AutoCloseable {

  /** Serves one data call for a session: the SDK's Data and Storage, on the request's connection. */
  public interface Callee {
    Reply serve(DataCall call);
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private volatile LoopbackServer server; // set once, by start, before any data call can arrive

  private Callbacks() {}

  /** @param port on 127.0.0.1; 0 for any free one */
  public static Callbacks start(int port) throws IOException {
    Callbacks callbacks = new Callbacks();
    callbacks.server = LoopbackServer.start(port, "code-callback", Map.of(Wire.DATA, callbacks::serve));
    return callbacks;
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A token valid until {@link Session#close()}. */
  public Session open(Callee callee) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), callee);
    sessions.put(s.token, s);
    return s;
  }

  /** One maker-code call's right to reach the request's data. */
  public final class Session implements AutoCloseable {
    private final String token;
    private final Callee callee;
    private boolean closed;

    private Session(String token, Callee callee) {
      this.token = token;
      this.callee = callee;
    }

    public String token() {
      return token;
    }

    /** Serialized with {@link #close()}: the connection is never used by a callback and the request at once. */
    private synchronized Reply serve(DataCall call) {
      if (closed) {
        return Reply.failed("CODE_ERROR", "this maker-code call has ended; its token is no longer valid");
      }
      return callee.serve(call);
    }

    /** Waits for a data call in progress (bounded by the statement timeout), then no more are served. */
    @Override
    public synchronized void close() {
      closed = true;
      sessions.remove(token);
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    Reply reply;
    Session session = sessions.get(String.valueOf(ex.getRequestHeaders().getFirst(Wire.TOKEN_HEADER)));
    if (!"POST".equals(ex.getRequestMethod())) {
      reply = Reply.failed("CODE_ERROR", "data calls are POSTed");
    } else if (session == null) {
      reply = Reply.failed("CODE_ERROR", "no maker-code call is running with this token");
    } else {
      try (InputStream in = ex.getRequestBody()) {
        reply = session.serve(Wire.JSON.readValue(in.readNBytes(Wire.MAX_BODY_BYTES), DataCall.class));
      } catch (IOException e) {
        reply = Reply.failed("BAD_USER_INPUT", "the data call cannot be read: " + e.getMessage());
      }
    }
    LoopbackServer.answer(ex, 200, Wire.JSON.writeValueAsBytes(reply));
  }

  @Override
  public void close() {
    server.close();
  }
}
