package store.code.runtime.graphql;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AsyncSerialExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.parser.ParserOptions;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphqlTypeComparatorRegistry;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.TypeRuntimeWiring;

import store.code.runtime.ApiError;
import store.code.runtime.auth.Identity;
import store.code.runtime.sql.Access;
import store.code.runtime.code.MakerCode;
import store.code.runtime.files.Files;
import store.code.runtime.sql.Db;
import store.code.runtime.sql.ReadPlan;
import store.code.runtime.sql.Reads;
import store.code.runtime.sql.Writes;
import store.code.schema.ApiSchema;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.ScalarType;
import store.code.sdk.CodeException;

/**
 * The executable GraphQL API of one instance: the generated schema ({@link ApiSchema}) wired to SQL ({@link Reads},
 * {@link Writes}), files and maker code, behind depth, complexity and parser limits.
 */
public final class Engine {

  /**
   * Bounds on what one request may ask and take; see docs/runtime.md section Limits. Every one of them is checked
   * before a statement runs, except time and size, which are checked while it runs.
   */
  public record Limits(int maxDepth, long maxComplexity, int maxTokens, int maxRootFields, int maxAliases,
      Duration requestTimeout, long maxResponseBytes) {

    public Limits {
      positive("maxDepth", maxDepth);
      positive("maxComplexity", maxComplexity);
      positive("maxTokens", maxTokens);
      positive("maxRootFields", maxRootFields);
      if (maxAliases < 0) {
        throw new IllegalArgumentException("maxAliases must be 0 or more, not " + maxAliases);
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive, not " + requestTimeout);
      }
      positive("maxResponseBytes", maxResponseBytes);
    }

    public static Limits defaults() {
      return new Limits(12, 1_000_000, 15_000, 20, 20, Duration.ofSeconds(15), 10L * 1024 * 1024);
    }

    public Limits withTokens(int tokens) {
      return new Limits(maxDepth, maxComplexity, tokens, maxRootFields, maxAliases, requestTimeout, maxResponseBytes);
    }

    public Limits withRequestTimeout(Duration timeout) {
      return new Limits(maxDepth, maxComplexity, maxTokens, maxRootFields, maxAliases, timeout, maxResponseBytes);
    }

    public Limits withMaxResponseBytes(long bytes) {
      return new Limits(maxDepth, maxComplexity, maxTokens, maxRootFields, maxAliases, requestTimeout, bytes);
    }

    private static void positive(String name, long value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, not " + value);
      }
    }
  }

  private static final System.Logger LOG = System.getLogger(Engine.class.getName());

  private final CompiledSchema compiled;
  private final ApiSchema api;
  private final Db db;
  private final Reads reads;
  private final Writes writes;
  private final Files files;
  private final MakerCode code;
  private final ProjectValues values;
  private final Limits limits;
  private final GraphQL graphql;
  private final CredentialCheck credentials;
  private final Planner planner;

  private final boolean sqlAnswers;

  public Engine(CompiledSchema compiled, Db db, Files files, MakerCode code, ProjectValues values, Limits limits) {
    this(compiled, db, files, code, values, limits, true);
  }

  /** {@code sqlAnswers}: whether {@link #run} lets Postgres write the answers it can ({@link SqlAnswers}). */
  public Engine(CompiledSchema compiled, Db db, Files files, MakerCode code, ProjectValues values, Limits limits,
      boolean sqlAnswers) {
    this.sqlAnswers = sqlAnswers;
    this.compiled = compiled;
    this.api = ApiSchema.of(compiled);
    this.db = db;
    this.reads = new Reads(compiled, db);
    this.writes = new Writes(compiled, db, files);
    this.files = files;
    this.code = code;
    this.values = values;
    this.limits = limits;
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(api.sdl()), wiring());
    DataFetcherExceptionHandler errors = this::toError;
    this.credentials = new CredentialCheck(compiled);
    this.planner = new Planner(compiled, schema);
    this.graphql = GraphQL.newGraphQL(schema)
        .queryExecutionStrategy(new SqlAnswers(errors, planner, reads))
        .mutationExecutionStrategy(new AsyncSerialExecutionStrategy(errors))
        .preparsedDocumentProvider(new DocumentCache(8 * 1024 * 1024)) // 8 M characters of distinct queries
        .instrumentation(new OperationCapture(credentials, limits))
        .build();
  }

  public GraphQLSchema schema() {
    return graphql.getGraphQLSchema();
  }

  public ApiSchema api() {
    return api;
  }

  /**
   * The API as SDL for {@code caller} ({@code GET /graphql/schema.graphql}): what introspection tells, so on the same
   * terms: empty for a caller without a credential where nothing is public.
   */
  public java.util.Optional<String> sdlFor(Identity caller) {
    if (!caller.authenticated() && !credentials.anythingPublic()) {
      return java.util.Optional.empty();
    }
    String printed = sdl;
    if (printed == null) {
      printed = new SchemaPrinter(SchemaPrinter.Options.defaultOptions()
          .includeDirectives(d -> d.equals("deprecated")).includeDirectiveDefinitions(false)
          .includeSchemaDefinition(false)
          // fields and arguments in the order the API declares them, not sorted by name
          .setComparators(GraphqlTypeComparatorRegistry.AS_IS_REGISTRY)).print(schema());
      sdl = printed;
    }
    return java.util.Optional.of(printed);
  }

  /** {@link #sdlFor}'s text, printed at the first request for it (most instances are never asked). */
  private volatile String sdl;

  public Db db() {
    return db;
  }

  public MakerCode code() {
    return code;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * What a request did: its result, the operation that ran (for logs and metrics; "unknown" if none did), and whether
   * it is billed: only an operation of an authenticated caller that passed every check and ran. A document that does
   * not parse or validate, or that a limit refuses, ran nothing; an anonymous call (to what the schema makes public)
   * is the maker's choice to serve for free, and no stranger can run up a client's bill with it.
   */
  public record Outcome(ExecutionResult result, String operationType, String operationName, boolean billable) {
    public boolean failed() {
      return !result.getErrors().isEmpty();
    }

    /** Refused before it ran: the operation needs a credential the request did not have (HTTP 401, not billed). */
    public boolean unauthenticated() {
      return result.getData() == null && result.getErrors().stream().anyMatch(e -> e.getExtensions() != null
          && UNAUTHENTICATED.equals(e.getExtensions().get("code")));
    }
  }

  public static final String UNAUTHENTICATED = "UNAUTHENTICATED";

  /**
   * Runs one GraphQL request for {@code caller}, its data as graphql-java's maps and lists throughout (no
   * {@link RawJson}). Never throws: every failure is in {@code errors}.
   */
  public ExecutionResult execute(String query, String operationName, Map<String, Object> variables, String requestId,
      Identity caller) {
    return run(query, operationName, variables, requestId, false, caller, false).result();
  }

  /**
   * {@code readOnly}: refuse mutations (GET requests, which caches and crawlers may repeat). A caller without a
   * credential whose operation touches anything not {@code public} gets one UNAUTHENTICATED error and nothing runs
   * ({@link Outcome#unauthenticated()}).
   */
  public Outcome run(String query, String operationName, Map<String, Object> variables, String requestId, boolean readOnly,
      Identity caller) {
    return run(query, operationName, variables, requestId, readOnly, caller, sqlAnswers);
  }

  /**
   * {@code answersFromSql}: let Postgres write the answer of query fields it can answer whole ({@link SqlAnswers});
   * false runs every field graphql-java's way (the two answer byte for byte the same: tests compare them).
   */
  public Outcome run(String query, String operationName, Map<String, Object> variables, String requestId, boolean readOnly,
      Identity caller, boolean answersFromSql) {
    if (!caller.authenticated() && !credentials.anythingPublic()) {
      // nothing here is public: not even the query is read (its errors would tell the schema, and be billed)
      return new Outcome(ExecutionResult.newExecutionResult().addError(GraphqlErrorBuilder.newError()
          .message("this API needs a credential: send `Authorization: Bearer <API key or token>`")
          .extensions(Map.of("code", UNAUTHENTICATED)).build()).build(), "unknown", "unknown", false);
    }
    try (RequestScope scope = new RequestScope(db, requestId, Access.of(caller), limits.requestTimeout(),
        answersFromSql)) {
      ParserOptions parser = ParserOptions.getDefaultOperationParserOptions().transform(o -> o.maxTokens(limits.maxTokens()));
      OperationCapture.Seen seen = new OperationCapture.Seen(readOnly);
      ExecutionInput input = ExecutionInput.newExecutionInput().query(query == null ? "" : query)
          .operationName(operationName).variables(variables == null ? Map.of() : variables)
          .graphQLContext(Map.of(RequestScope.class, scope, ParserOptions.class, parser, OperationCapture.Seen.class, seen))
          .build();
      ExecutionResult result = graphql.execute(input);
      return new Outcome(result, seen.type, seen.name, seen.executed && caller.authenticated());
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------------------

  private RuntimeWiring wiring() {
    RuntimeWiring.Builder w = RuntimeWiring.newRuntimeWiring();
    Scalars.all().forEach(w::scalar);
    TypeRuntimeWiring.Builder query = TypeRuntimeWiring.newTypeWiring("Query");
    TypeRuntimeWiring.Builder mutation = TypeRuntimeWiring.newTypeWiring("Mutation");
    for (Model m : compiled.models()) {
      query.dataFetcher(m.singular(), env -> reads.byId(scope(env).connection(), access(env),
          (ReadPlan.ById) planner().root(scope(env).field(env))));
      query.dataFetcher(m.plural(), env -> reads.connection(scope(env).connection(), access(env),
          (ReadPlan.Connection) planner().root(scope(env).field(env))));
      mutation.dataFetcher("create" + m.name(), env -> scope(env).transaction(c -> reads.byId(c, access(env),
          new ReadPlan.ById(writes.create(c, access(env), m, env.getArgument("input")), selection(env, m)))));
      mutation.dataFetcher("update" + m.name(), env -> scope(env).transaction(c -> {
        writes.update(c, access(env), m, env.getArgument("id"), env.getArgument("input"));
        return reads.byId(c, access(env), new ReadPlan.ById(env.getArgument("id"), selection(env, m)));
      }));
      mutation.dataFetcher("delete" + m.name(), env -> scope(env).transaction(c ->
          writes.delete(c, access(env), m, env.getArgument("id"))));

      TypeRuntimeWiring.Builder type = TypeRuntimeWiring.newTypeWiring(m.name());
      DataFetcher<Object> byResultKey = env -> {
        Map<?, ?> source = env.getSource();
        return source == null ? null : source.get(env.getMergedField().getResultKey());
      };
      type.defaultDataFetcher(byResultKey);
      w.type(type);
      w.type(TypeRuntimeWiring.newTypeWiring(m.name() + "Connection")
          .dataFetcher("edges", env -> {
            Reads.Page page = env.getSource();
            String edgesKey = env.getMergedField().getResultKey();
            return page.visible().stream().map(row -> new Edge(page, row, edgesKey)).toList();
          })
          .dataFetcher("pageInfo", DataFetchingEnvironment::getSource)
          .dataFetcher("totalCount", env -> ((Reads.Page) env.getSource()).total()));
      w.type(TypeRuntimeWiring.newTypeWiring(m.name() + "Edge")
          .dataFetcher("cursor", env -> {
            Edge e = env.getSource();
            return e.page().cursor(e.row());
          })
          .dataFetcher("node", env -> {
            Edge e = env.getSource();
            return e.row().get(Reads.nodeKey(e.edgesKey(), env.getMergedField().getResultKey()));
          }));
    }
    w.type(TypeRuntimeWiring.newTypeWiring("PageInfo")
        .dataFetcher("hasNextPage", env -> ((Reads.Page) env.getSource()).hasNextPage())
        .dataFetcher("endCursor", env -> {
          Reads.Page page = env.getSource();
          List<Map<String, Object>> rows = page.visible();
          return rows.isEmpty() ? null : page.cursor(rows.get(rows.size() - 1));
        }));
    if (compiled.models().stream().flatMap(m -> m.columns().stream()).anyMatch(c -> c.type() == ScalarType.FILE)) {
      mutation.dataFetcher("requestUpload", env -> files.requestUpload(scope(env).connection(),
          env.getArgument("contentType"), env.getArgument("filename")));
      w.type(TypeRuntimeWiring.newTypeWiring("File")
          .dataFetcher("url", env -> files.enabled()
              ? files.downloadUrl((String) ((Map<?, ?>) env.getSource()).get("key"), Files.DOWNLOAD_TTL) : null));
    }
    for (ApiSchema.CodeField f : api.codeFields()) {
      DataFetcher<Object> fetcher = new CodeFetcher(f, this);
      if (f.type().equals("Query")) {
        query.dataFetcher(f.field(), fetcher);
      } else if (f.type().equals("Mutation")) {
        mutation.dataFetcher(f.field(), fetcher);
      } else {
        w.type(TypeRuntimeWiring.newTypeWiring(f.type()).dataFetcher(f.field(), fetcher));
      }
    }
    w.type(query);
    w.type(mutation);
    return w.build();
  }

  record Edge(Reads.Page page, Map<String, Object> row, String edgesKey) {}

  /** What is asked of the rows of model {@code m} a field returns (a mutation's, maker code's). */
  ReadPlan.Obj selection(DataFetchingEnvironment env, Model m) {
    return planner().obj(m, scope(env).field(env));
  }

  private Planner planner() {
    return planner; // read when a request runs: the wiring is made before the planner, which needs the schema
  }

  static RequestScope scope(DataFetchingEnvironment env) {
    return env.getGraphQlContext().get(RequestScope.class);
  }

  static Access access(DataFetchingEnvironment env) {
    return scope(env).access();
  }

  Reads reads() {
    return reads;
  }

  Writes writes() {
    return writes;
  }

  Files files() {
    return files;
  }

  ProjectValues values() {
    return values;
  }

  CompiledSchema compiled() {
    return compiled;
  }

  // ---- errors ------------------------------------------------------------------------------------------------

  private CompletableFuture<DataFetcherExceptionHandlerResult> toError(
      graphql.execution.DataFetcherExceptionHandlerParameters p) {
    Throwable t = p.getException();
    if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    String code;
    String message;
    Map<String, Object> extensions = new LinkedHashMap<>();
    RequestScope scope = scopeOf(p).orElse(null);
    if (scope != null && scope.deadlineCancels() && t instanceof ApiError e && ApiError.TIMEOUT.equals(e.code())) {
      t = scope.deadlineError(); // cancelled by the lowered statement_timeout: the request's limit, not the statement's
    }
    if (t instanceof ApiError e) {
      code = e.code();
      message = e.getMessage();
      extensions.putAll(e.details());
    } else if (t instanceof CodeException e) {
      code = e.code();
      message = e.getMessage();
    } else {
      String requestId = scope == null ? "?" : scope.requestId();
      LOG.log(System.Logger.Level.ERROR, "internal error at " + p.getPath() + " (request " + requestId + ")", t);
      code = "INTERNAL";
      message = "internal error; the instance log has the details under request id " + requestId;
    }
    extensions.put("code", code);
    GraphQLError error = GraphqlErrorBuilder.newError().message(message).path(p.getPath())
        .location(p.getSourceLocation()).extensions(extensions).build();
    return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
  }

  private static java.util.Optional<RequestScope> scopeOf(graphql.execution.DataFetcherExceptionHandlerParameters p) {
    return java.util.Optional.ofNullable(p.getDataFetchingEnvironment().getGraphQlContext().get(RequestScope.class));
  }
}
