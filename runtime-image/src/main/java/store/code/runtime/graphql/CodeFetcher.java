package store.code.runtime.graphql;

import java.sql.Connection;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import store.code.codehost.wire.Call;
import store.code.codehost.wire.DataCall;
import store.code.codehost.wire.Reply;
import store.code.runtime.ApiError;
import store.code.runtime.code.Callbacks;
import store.code.runtime.code.MakerCode;
import store.code.runtime.sql.Access;
import store.code.runtime.sql.ReadPlan;
import store.code.runtime.sql.Reads;
import store.code.schema.ApiSchema;
import store.code.schema.Model;
import store.code.sdk.Caller;
import store.code.sdk.CodeException;

/**
 * Serves a {@code @code} field: calls the maker's handler in its own process (in a transaction for mutations, which
 * the handler's writes join through {@link Callbacks}), then shapes what it returned. A model result (row, map with
 * id, or id) is loaded again with the client's selection, so relations work as on generated fields.
 */
final class CodeFetcher implements DataFetcher<Object> {

  private static final java.util.Set<String> ROOTS = java.util.Set.of("Query", "Mutation");
  private static final System.Logger LOG = System.getLogger("codestore.code");

  private final ApiSchema.CodeField field;
  private final Engine engine;

  CodeFetcher(ApiSchema.CodeField field, Engine engine) {
    this.field = field;
    this.engine = engine;
  }

  private String name() {
    return field.type() + "." + field.field();
  }

  @Override
  public Object get(DataFetchingEnvironment env) {
    RequestScope scope = Engine.scope(env);
    if (ROOTS.contains(field.type()) && !scope.access().mayCall(engine.compiled().rootRules(field.type(), field.field()))) {
      throw new ApiError(Access.FORBIDDEN, name() + ": " + scope.access().who()
          + " may not call it (" + engine.compiled().rootRules(field.type(), field.field()).stream()
              .map(store.code.schema.AuthRule::describe).toList() + ")");
    }
    Map<String, Object> parent = parent(env.getSource());
    boolean write = field.type().equals("Mutation");
    return write
        ? scope.transaction(c -> shape(env, c, call(env, c, parent, scope)))
        : shape(env, scope.connection(), call(env, scope.connection(), parent, scope));
  }

  private Object call(DataFetchingEnvironment env, Connection c, Map<String, Object> parent, RequestScope scope) {
    MakerCode code = engine.code();
    Caller caller = scope.access().caller();
    MakerCode.CallBuilder call = new MakerCode.CallBuilder(field.handler(), name(), scope.requestId(), env.getArguments(), parent,
        engine.values(), new Call.Caller(caller.kind().name(), caller.id(), caller.groups(), caller.claims()),
        engine.files().enabled());
    Duration budget = scope.timeLeft().compareTo(code.timeout()) < 0 ? scope.timeLeft() : code.timeout();
    if (budget.isZero() || budget.isNegative()) {
      throw scope.deadlineError();
    }
    return code.call(call, budget, new Callee(c, scope));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(Object source) {
    if (!(source instanceof Map<?, ?> map)) {
      return null;
    }
    Object row = map.get(Reads.ROW_KEY);
    return (Map<String, Object>) (row instanceof Map<?, ?> ? row : map);
  }

  private Object shape(DataFetchingEnvironment env, Connection c, Object result) {
    GraphQLType type = GraphQLTypeUtil.unwrapNonNull(env.getFieldType());
    GraphQLNamedType named = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(type);
    Optional<Model> model = engine.compiled().model(named.getName());
    if (result == null || model.isEmpty()) {
      return result;
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
    String id = item instanceof Map<?, ?> map ? String.valueOf(map.get("id")) : item.toString();
    return engine.reads().byId(c, Engine.access(env), new ReadPlan.ById(id, engine.selection(env, m)));
  }

  /**
   * The handler's data and storage calls: on the connection (and transaction) of the call, with the rights of the
   * request's caller, through the same checks as the generated API.
   */
  private final class Callee implements Callbacks.Callee {
    private final Connection c;
    private final RequestScope scope;

    Callee(Connection c, RequestScope scope) {
      this.c = c;
      this.scope = scope;
    }

    @Override
    public Reply serve(DataCall call) {
      try {
        return Reply.ok(run(call));
      } catch (ApiError e) {
        return Reply.failed(e.code(), e.getMessage());
      } catch (CodeException e) {
        return Reply.failed(e.code(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "maker code \"" + field.handler() + "\": " + call.op() + " failed (request "
            + scope.requestId() + ")", e);
        return Reply.failed("INTERNAL", "internal error; the instance log has the details under request id "
            + scope.requestId());
      }
    }

    private Object run(DataCall call) {
      Access a = scope.access();
      if (call.op() == null) {
        throw ApiError.badInput("a data call needs an op");
      }
      return switch (call.op()) {
        case GET -> engine.reads().row(c, a, model(call.model()), call.id()).orElse(null);
        case LIST -> engine.reads().rows(c, a, model(call.model()), call.where(),
            call.orderBy() == null ? List.of() : call.orderBy().stream().map(o -> Map.<String, Object>copyOf(o)).toList(),
            call.first() == null ? 1000 : call.first());
        case CREATE -> {
          Model m = model(call.model());
          yield engine.reads().row(c, a, m, engine.writes().create(c, a, m, call.input())).orElseThrow();
        }
        case UPDATE -> {
          Model m = model(call.model());
          engine.writes().update(c, a, m, call.id(), call.input());
          yield engine.reads().row(c, a, m, call.id()).orElseThrow();
        }
        case DELETE -> engine.writes().delete(c, a, model(call.model()), call.id());
        case PUT -> {
          bucket().put(c, call.key(), Base64.getDecoder().decode(call.bytes() == null ? "" : call.bytes()),
              call.contentType());
          yield null;
        }
        case READ -> bucket().get(call.key()).map(Base64.getEncoder()::encodeToString).orElse(null);
        case REMOVE -> {
          bucket().delete(call.key());
          yield null;
        }
        case DOWNLOAD_URL -> bucket().downloadUrl(call.key(), Duration.ofSeconds(call.ttlSeconds() == null ? 300
            : call.ttlSeconds()));
      };
    }

    private Model model(String name) {
      return engine.compiled().model(name).orElseThrow(() -> new CodeException("no model named " + name
          + "; models: " + engine.compiled().models().stream().map(Model::name).toList(), "CODE_ERROR"));
    }

    private store.code.runtime.files.Files bucket() {
      if (!engine.files().enabled()) {
        throw new CodeException("this instance has no bucket", "CODE_ERROR");
      }
      return engine.files();
    }
  }
}
