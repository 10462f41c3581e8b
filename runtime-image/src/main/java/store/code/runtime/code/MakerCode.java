package store.code.runtime.code;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import store.code.codehost.wire.Call;
import store.code.codehost.wire.Inventory;
import store.code.codehost.wire.Reply;
import store.code.codehost.wire.Wire;
import store.code.runtime.ApiError;

/**
 * The runtime's side of maker code, which runs in another process (the pod's {@code code} container, or a child
 * process locally): sends each call of a {@code @code} field to the host with a deadline, and serves the handler's
 * data calls back through {@link Callbacks} while it runs. Whatever happens to the host, a call ends in the caller's
 * time: a result, the handler's own error, {@code TIMEOUT}, or {@code CODE_ERROR} when the host is not there.
 */
public final class MakerCode implements AutoCloseable {

  private final URI host;
  private final Duration timeout;
  private final Callbacks callbacks;
  private final AutoCloseable process;
  private final HttpClient http;

  private MakerCode(URI host, Duration timeout, Callbacks callbacks, AutoCloseable process) {
    this.host = host;
    this.timeout = timeout;
    this.callbacks = callbacks;
    this.process = process;
    this.http = host == null ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run)
        .connectTimeout(Duration.ofSeconds(1)).build();
  }

  /**
   * Where maker code runs and how long a call may take (the runtime's CODESTORE_CODE_* settings).
   *
   * @param host         the pod's code container (CODESTORE_CODE_URL); empty: a child process over {@code dir}
   * @param callbackPort where handlers call back on the loopback interface when {@code host} is given (0 otherwise)
   */
  public record Settings(Optional<URI> host, Path dir, int callbackPort, Duration timeout, Path hostJar, Duration grace,
      String memory) {}

  private static final System.Logger LOG = System.getLogger("codestore.code");

  /**
   * Maker code always runs in a process of its own: the pod's {@code code} container, or else a child process over
   * the jars of {@code dir}; none when there are no jars. Waits a while for the host to answer, to log what it serves
   * (calls before it answers fail with CODE_ERROR).
   */
  public static MakerCode start(Settings s) throws IOException {
    boolean jars;
    try (var list = Files.isDirectory(s.dir()) ? Files.list(s.dir()) : java.util.stream.Stream.<Path>empty()) {
      jars = list.anyMatch(p -> p.toString().endsWith(".jar"));
    }
    if (s.host().isEmpty() && !jars) {
      LOG.log(System.Logger.Level.INFO, "maker code: none (no jars in " + s.dir() + ")");
      return none();
    }
    Callbacks callbacks = Callbacks.start(s.host().isPresent() ? s.callbackPort() : 0);
    MakerCode made;
    if (s.host().isPresent()) {
      made = at(s.host().get(), s.timeout(), callbacks, null);
    } else {
      int port = CodeHostProcess.freePort();
      AutoCloseable process;
      try {
        process = CodeHostProcess.start(s.hostJar(), s.dir(), port, s.grace(), s.memory());
      } catch (IOException e) {
        callbacks.close();
        throw e;
      }
      made = at(URI.create("http://127.0.0.1:" + port), s.timeout(), callbacks, process);
    }
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Optional<Inventory> inventory = made.inventory(Duration.ofSeconds(1));
    while (inventory.isEmpty() && System.nanoTime() < until) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      inventory = made.inventory(Duration.ofSeconds(1));
    }
    inventory.ifPresentOrElse(i -> {
      i.problems().forEach(p -> LOG.log(System.Logger.Level.ERROR, "maker code: " + p));
      LOG.log(System.Logger.Level.INFO, "maker code: " + i.handlers().size() + " handlers " + i.handlers() + " from "
          + i.jars() + ", in " + (s.host().isPresent() ? "the code container" : "a child process"));
    }, () -> LOG.log(System.Logger.Level.WARNING,
        "maker code: the host does not answer yet; its fields answer CODE_ERROR until it does"));
    return made;
  }

  /** No maker code: a {@code @code} field answers CODE_ERROR saying so. */
  public static MakerCode none() {
    return new MakerCode(null, Duration.ZERO, null, null);
  }

  /**
   * @param host      the host's address (http://127.0.0.1:8090 in a pod)
   * @param timeout   of one call ({@code Service.spec.limits.codeTimeout})
   * @param callbacks where the handlers' data calls come in
   * @param process   closed with this (the local child process), or null
   */
  public static MakerCode at(URI host, Duration timeout, Callbacks callbacks, AutoCloseable process) {
    return new MakerCode(host, timeout, callbacks, process);
  }

  public boolean present() {
    return host != null;
  }

  public Duration timeout() {
    return timeout;
  }

  /** What the host loaded, or empty when it does not answer within {@code wait}. */
  public Optional<Inventory> inventory(Duration wait) {
    if (host == null) {
      return Optional.of(new Inventory(List.of(), List.of(), List.of()));
    }
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(host.resolve(Wire.INVENTORY)).timeout(wait).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200 ? Optional.of(Wire.JSON.readValue(r.body(), Inventory.class)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * What the handler returned, as JSON gave it back.
   *
   * @param budget how long this call may take: the code timeout, or less when the request has less time left
   */
  public Object call(CallBuilder call, Duration budget, Callbacks.Callee callee) {
    if (host == null) {
      throw new ApiError(ApiError.CODE_ERROR, call.field + " is served by maker code \"" + call.handler
          + "\", and this instance has none: set the Service's code.image");
    }
    try (Callbacks.Session session = callbacks.open(callee)) {
      byte[] wire;
      try {
        wire = Wire.JSON.writeValueAsBytes(call.build(session.token(), callbacks.url(), budget.toMillis()));
      } catch (com.fasterxml.jackson.core.JacksonException e) {
        throw new IllegalStateException("the call of \"" + call.handler + "\" cannot be written as JSON", e);
      }
      HttpRequest request = HttpRequest.newBuilder(host.resolve(Wire.CALL)).timeout(budget)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(wire)).build();
      HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (java.io.InputStream in = response.body()) {
        body = in.readNBytes(Wire.MAX_BODY_BYTES + 1); // the host runs the maker's code: its answer is bounded too
      }
      if (response.statusCode() != 200 || body.length > Wire.MAX_BODY_BYTES) {
        throw new ApiError(ApiError.CODE_ERROR, "the maker-code host answered the call of \"" + call.handler + "\" with "
            + (body.length > Wire.MAX_BODY_BYTES ? "more than " + Wire.MAX_BODY_BYTES + " bytes" : "status " + response.statusCode()));
      }
      Reply reply = Wire.JSON.readValue(body, Reply.class);
      if (reply.error() != null) {
        throw new ApiError(reply.error().code(), reply.error().message());
      }
      return reply.result();
    } catch (HttpTimeoutException e) {
      throw new ApiError(ApiError.TIMEOUT, "maker code \"" + call.handler + "\" did not answer within "
          + budget.toMillis() / 1000.0 + " s (the Service's limits.codeTimeout is " + timeout.toMillis() / 1000.0
          + " s); what it wrote is rolled back");
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ApiError(ApiError.CODE_ERROR, "the maker-code host answered the call of \"" + call.handler
          + "\" with something that is not a reply: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiError(ApiError.CODE_ERROR, "maker code \"" + call.handler + "\" is not answering (its process "
          + "ended or is starting again): " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(ApiError.CODE_ERROR, "interrupted while waiting for maker code \"" + call.handler + "\"");
    }
  }

  /** A call without its token, address and deadline, which {@link #call} adds. */
  public record CallBuilder(String handler, String field, String requestId, java.util.Map<String, Object> arguments,
      java.util.Map<String, Object> parent, store.code.runtime.graphql.ProjectValues values, Call.Caller caller,
      boolean storage) {
    Call build(String token, String callbackUrl, long timeoutMillis) {
      return new Call(handler, field, requestId, token, callbackUrl, timeoutMillis, arguments, parent, values.config(),
          values.secrets(), caller, storage);
    }
  }

  @Override
  public void close() throws Exception {
    if (callbacks != null) {
      callbacks.close();
    }
    if (process != null) {
      process.close();
    }
  }
}
