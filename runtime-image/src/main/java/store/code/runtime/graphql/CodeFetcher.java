package store.code.runtime.graphql;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import store.code.runtime.ApiError;
import store.code.runtime.sql.Access;
import store.code.runtime.sql.Reads;
import store.code.schema.ApiSchema;
import store.code.schema.Model;
import store.code.sdk.Caller;
import store.code.sdk.CodeContext;
import store.code.sdk.CodeException;
import store.code.sdk.CodeHandler;
import store.code.sdk.Data;
import store.code.sdk.Row;
import store.code.sdk.Storage;

/**
 * Serves a {@code @code} field: calls the maker's handler (in a transaction for mutations), then shapes what it
 * returned. A model result (row, map with id, or id) is loaded again with the client's selection, so relations work
 * as on generated fields.
 */
final class CodeFetcher implements DataFetcher<Object> {

  private static final java.util.Set<String> ROOTS = java.util.Set.of("Query", "Mutation");

  private final ApiSchema.CodeField field;
  private final Engine engine;
  private final System.Logger log;

  CodeFetcher(ApiSchema.CodeField field, Engine engine) {
    this.field = field;
    this.engine = engine;
    this.log = System.getLogger("maker." + field.handler());
  }

  @Override
  public Object get(DataFetchingEnvironment env) {
    CodeHandler handler = engine.code().handler(field.handler()).orElseThrow(() -> new ApiError(ApiError.CODE_ERROR,
        field.type() + "." + field.field() + " is served by maker code \"" + field.handler()
            + "\", which this instance does not have (maker jars: " + engine.code().jars()
            + "): check the Service's code.image and the handler names it registers"));
    RequestScope scope = Engine.scope(env);
    if (ROOTS.contains(field.type()) && !scope.access().mayCall(engine.compiled().rootRules(field.type(), field.field()))) {
      throw new ApiError(Access.FORBIDDEN, field.type() + "." + field.field() + ": " + scope.access().who()
          + " may not call it (" + engine.compiled().rootRules(field.type(), field.field()).stream()
              .map(store.code.schema.AuthRule::describe).toList() + ")");
    }
    Row parent = parent(env.getSource());
    boolean write = field.type().equals("Mutation");
    return write
        ? scope.transaction(c -> shape(env, c, call(handler, env, c, parent, scope)))
        : shape(env, scope.connection(), call(handler, env, scope.connection(), parent, scope));
  }

  private Object call(CodeHandler handler, DataFetchingEnvironment env, Connection c, Row parent, RequestScope scope) {
    CodeContext ctx = new Context(env.getArguments(), parent, new ModelData(c, scope.access()), new BucketStorage(c),
        engine.config(), log, scope.requestId(), scope.access().caller());
    try {
      return handler.handle(ctx);
    } catch (ApiError | CodeException e) {
      throw e;
    } catch (Exception | LinkageError e) {
      log.log(System.Logger.Level.ERROR, "handler " + field.handler() + " failed (request " + scope.requestId() + ")", e);
      throw new ApiError(ApiError.CODE_ERROR, "maker code \"" + field.handler() + "\" failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Row parent(Object source) {
    if (!(source instanceof Map<?, ?> map)) {
      return null;
    }
    Object row = map.get(Reads.ROW_KEY);
    Map<String, Object> values = (Map<String, Object>) (row instanceof Map<?, ?> ? row : map);
    return () -> values;
  }

  private Object shape(DataFetchingEnvironment env, Connection c, Object result) {
    GraphQLType type = GraphQLTypeUtil.unwrapNonNull(env.getFieldType());
    GraphQLNamedType named = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(type);
    Optional<Model> model = engine.compiled().model(named.getName());
    if (result == null) {
      return null;
    }
    if (model.isEmpty()) {
      return plain(result);
    }
    if (type instanceof GraphQLList) {
      if (!(result instanceof Iterable<?> items)) {
        throw new ApiError(ApiError.CODE_ERROR, "maker code \"" + field.handler() + "\" returned one value for a list of "
            + named.getName());
      }
      List<Object> out = new java.util.ArrayList<>();
      for (Object item : items) {
        out.add(load(env, c, model.get(), item));
      }
      return out;
    }
    return load(env, c, model.get(), result);
  }

  private Object load(DataFetchingEnvironment env, Connection c, Model m, Object item) {
    String id = item instanceof Row r ? r.id() : item instanceof Map<?, ?> map ? String.valueOf(map.get("id")) : item.toString();
    return engine.reads().byId(c, Engine.access(env), m, id, Engine.selection(env));
  }

  private static Object plain(Object result) {
    if (result instanceof Row r) {
      return r.values();
    }
    if (result instanceof List<?> list) {
      return list.stream().map(CodeFetcher::plain).toList();
    }
    return result;
  }

  private record Context(Map<String, Object> arguments, Row parent, Data data, Storage storage,
      Map<String, String> config, System.Logger log, String requestId, Caller caller) implements CodeContext {}

  /** The data API, on the connection (and transaction) of the call, with the rights of the request's caller. */
  private final class ModelData implements Data {
    private final Connection c;
    private final Access a;

    ModelData(Connection c, Access a) {
      this.c = c;
      this.a = a;
    }

    private Model model(String name) {
      return engine.compiled().model(name).orElseThrow(() -> new CodeException("no model named " + name
          + "; models: " + engine.compiled().models().stream().map(Model::name).toList(), "CODE_ERROR"));
    }

    @Override
    public Optional<Row> get(String model, String id) {
      return engine.reads().row(c, a, model(model), id).map(CodeFetcher::row);
    }

    @Override
    public List<Row> list(String model, Map<String, Object> where, List<Map<String, String>> orderBy, int first) {
      List<Map<String, Object>> order = orderBy == null ? List.of()
          : orderBy.stream().map(o -> Map.<String, Object>copyOf(o)).toList();
      return engine.reads().rows(c, a, model(model), where, order, first).stream().map(CodeFetcher::row).toList();
    }

    @Override
    public Row create(String model, Map<String, Object> input) {
      Model m = model(model);
      String id = engine.writes().create(c, a, m, input);
      return engine.reads().row(c, a, m, id).map(CodeFetcher::row).orElseThrow();
    }

    @Override
    public Row update(String model, String id, Map<String, Object> input) {
      Model m = model(model);
      engine.writes().update(c, a, m, id, input);
      return engine.reads().row(c, a, m, id).map(CodeFetcher::row).orElseThrow();
    }

    @Override
    public boolean delete(String model, String id) {
      return engine.writes().delete(c, a, model(model), id);
    }
  }

  private static Row row(Map<String, Object> values) {
    Map<String, Object> copy = java.util.Collections.unmodifiableMap(values);
    return () -> copy;
  }

  private final class BucketStorage implements Storage {
    private final Connection c;

    BucketStorage(Connection c) {
      this.c = c;
    }

    @Override
    public boolean enabled() {
      return engine.files().enabled();
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
      engine.files().put(c, key, bytes, contentType);
    }

    @Override
    public Optional<byte[]> get(String key) {
      return engine.files().get(key);
    }

    @Override
    public void delete(String key) {
      engine.files().delete(key);
    }

    @Override
    public String downloadUrl(String key, Duration ttl) {
      return engine.files().downloadUrl(key, ttl);
    }
  }
}
