package store.code.codehost;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;

import store.code.codehost.wire.Call;
import store.code.codehost.wire.DataCall;
import store.code.codehost.wire.DataCall.Op;
import store.code.sdk.Caller;
import store.code.sdk.CodeContext;
import store.code.sdk.CodeException;
import store.code.sdk.Data;
import store.code.sdk.Row;
import store.code.sdk.Storage;

/** The SDK's view of one call, with data and storage served by the runtime through {@link Callback}. */
final class RemoteContext implements CodeContext {

  private final Call call;
  private final Callback runtime;
  private final Logger log;

  RemoteContext(Call call, Callback runtime) {
    this.call = call;
    this.runtime = runtime;
    this.log = new RequestLogger(System.getLogger("maker." + call.handler()), call.requestId());
  }

  @Override
  public Map<String, Object> arguments() {
    return call.arguments() == null ? Map.of() : Collections.unmodifiableMap(call.arguments());
  }

  @Override
  public Row parent() {
    return call.parent() == null ? null : row(call.parent());
  }

  @Override
  public Data data() {
    return data;
  }

  @Override
  public Storage storage() {
    return storage;
  }

  @Override
  public Map<String, String> config() {
    return call.config() == null ? Map.of() : Map.copyOf(call.config());
  }

  @Override
  public java.util.Optional<String> secret(String key) {
    return java.util.Optional.ofNullable(call.secrets() == null ? null : call.secrets().get(key));
  }

  @Override
  public Logger log() {
    return log;
  }

  @Override
  public String requestId() {
    return call.requestId();
  }

  @Override
  public Caller caller() {
    Call.Caller c = call.caller();
    Caller.Kind kind = c == null ? Caller.Kind.ANONYMOUS : Caller.Kind.valueOf(c.kind());
    return new Caller() {
      public Kind kind() {
        return kind;
      }

      public String id() {
        return c == null ? null : c.id();
      }

      public List<String> groups() {
        return c == null || c.groups() == null ? List.of() : List.copyOf(c.groups());
      }

      public Map<String, Object> claims() {
        return c == null || c.claims() == null ? Map.of() : Collections.unmodifiableMap(c.claims());
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static Row row(Object values) {
    Map<String, Object> copy = Collections.unmodifiableMap((Map<String, Object>) values);
    return () -> copy;
  }

  private final Data data = new Data() {
    @Override
    public Optional<Row> get(String model, String id) {
      return Optional.ofNullable(runtime.send(DataCall.model(Op.GET, model, id, null))).map(RemoteContext::row);
    }

    @Override
    public List<Row> list(String model, Map<String, Object> where, List<Map<String, String>> orderBy, int first) {
      Object rows = runtime.send(new DataCall(Op.LIST, model, null, where, orderBy, first, null, null, null, null, null));
      return ((List<?>) rows).stream().map(RemoteContext::row).toList();
    }

    @Override
    public Row create(String model, Map<String, Object> input) {
      return row(runtime.send(DataCall.model(Op.CREATE, model, null, input)));
    }

    @Override
    public Row update(String model, String id, Map<String, Object> input) {
      return row(runtime.send(DataCall.model(Op.UPDATE, model, id, input)));
    }

    @Override
    public boolean delete(String model, String id) {
      return Boolean.TRUE.equals(runtime.send(DataCall.model(Op.DELETE, model, id, null)));
    }
  };

  private final Storage storage = new Storage() {
    @Override
    public boolean enabled() {
      return call.storage();
    }

    private void requireEnabled() {
      if (!call.storage()) {
        throw new CodeException("this instance has no bucket", "CODE_ERROR");
      }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
      requireEnabled();
      runtime.send(new DataCall(Op.PUT, null, null, null, null, null, null, key,
          Base64.getEncoder().encodeToString(bytes), contentType, null));
    }

    @Override
    public Optional<byte[]> get(String key) {
      requireEnabled();
      return Optional.ofNullable((String) runtime.send(DataCall.object(Op.READ, key))).map(Base64.getDecoder()::decode);
    }

    @Override
    public void delete(String key) {
      requireEnabled();
      runtime.send(DataCall.object(Op.REMOVE, key));
    }

    @Override
    public String downloadUrl(String key, Duration ttl) {
      requireEnabled();
      return (String) runtime.send(new DataCall(Op.DOWNLOAD_URL, null, null, null, null, null, null, key, null, null,
          ttl.toSeconds()));
    }
  };

  /** The handler's logger, with the request id in front of every message. */
  private record RequestLogger(Logger delegate, String requestId) implements Logger {
    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
      return delegate.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      delegate.log(level, bundle, "[request " + requestId + "] " + msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      delegate.log(level, bundle, "[request " + requestId + "] " + format, params);
    }
  }
}
