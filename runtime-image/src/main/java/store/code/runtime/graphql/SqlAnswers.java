package store.code.runtime.graphql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.normalized.ExecutableNormalizedField;

import store.code.runtime.ApiError;
import store.code.runtime.sql.ReadPlan;
import store.code.runtime.sql.Reads;

/**
 * Runs a query operation with Postgres writing the answer: each root field whose whole selection SQL can render
 * exactly as graphql-java would ({@link Planner#answer}) is one statement whose JSON text goes into the response as it
 * is ({@link RawJson}), with no objects made of its rows and no field-by-field completion; the other root fields
 * (maker code, files, introspection) run graphql-java's way in the same response. The document has been parsed,
 * validated and checked against every limit before this runs ({@link OperationCapture}).
 *
 * <p>Where a statement's text says it could not render a value ({@link Reads#GIVE_UP}), or a statement fails, the
 * whole operation runs graphql-java's way instead, which answers it as before (with its errors): the SQL path never
 * has to reproduce an error.
 */
final class SqlAnswers extends AsyncExecutionStrategy {

  private static final System.Logger LOG = System.getLogger(SqlAnswers.class.getName());

  private final Planner planner;
  private final Reads reads;

  SqlAnswers(DataFetcherExceptionHandler errors, Planner planner, Reads reads) {
    super(errors);
    this.planner = planner;
    this.reads = reads;
  }

  @Override
  public CompletableFuture<ExecutionResult> execute(ExecutionContext context, ExecutionStrategyParameters parameters) {
    RequestScope scope = context.getGraphQLContext().get(RequestScope.class);
    if (scope == null || !scope.answersFromSql()) {
      return super.execute(context, parameters);
    }
    Map<String, ReadPlan.Root> plans = new LinkedHashMap<>();
    for (ExecutableNormalizedField f : context.getNormalizedQueryTree().get().getTopLevelFields()) {
      planner.answer(f).ifPresent(plan -> plans.put(f.getResultKey(), plan));
    }
    if (plans.isEmpty()) {
      return super.execute(context, parameters);
    }
    Map<String, RawJson> answered = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, ReadPlan.Root> plan : plans.entrySet()) {
        Optional<String> text = exact(reads.answer(scope.connection(), scope.access(), plan.getValue()));
        if (text.isEmpty()) {
          return super.execute(context, parameters);
        }
        answered.put(plan.getKey(), new RawJson(text.get()));
      }
    } catch (ApiError e) {
      return super.execute(context, parameters); // the client's error, answered as graphql-java always did
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "an answer in SQL failed; answering graphql-java's way (request "
          + scope.requestId() + ")", e);
      return super.execute(context, parameters);
    }
    MergedSelectionSet fields = parameters.getFields();
    if (answered.size() == fields.size()) {
      return CompletableFuture.completedFuture(ExecutionResultImpl.newExecutionResult().data(merge(fields, answered, Map.of()))
          .build());
    }
    Map<String, MergedField> rest = new LinkedHashMap<>(fields.getSubFields());
    rest.keySet().removeAll(answered.keySet());
    MergedSelectionSet restFields = MergedSelectionSet.newMergedSelectionSet().subFields(rest).build();
    return super.execute(context, parameters.transform(b -> b.fields(restFields))).thenApply(result -> {
      Map<String, Object> data = result.getData();
      return data == null ? result // a non-null field failed: null all the way up, as graphql-java answers
          : result.transform(b -> b.data(merge(fields, answered, data)));
    });
  }

  /** Every root field's value in the document's order. */
  private static Map<String, Object> merge(MergedSelectionSet fields, Map<String, RawJson> answered, Map<String, Object> rest) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (String key : fields.getKeys()) {
      data.put(key, answered.containsKey(key) ? answered.get(key) : rest.get(key));
    }
    return data;
  }

  /**
   * The text as graphql-java's writer (Jackson) would have it, or empty where it cannot be. Two differences in how
   * they write strings: a control character without a short escape is {@code \u001b} in Postgres, {@code \u001B} in
   * Jackson; a character beyond the Basic Multilingual Plane (an emoji) is UTF-8 in Postgres, and its two UTF-16
   * halves escaped in Jackson ({@code \uD83D\uDE00}).
   */
  static Optional<String> exact(String text) {
    if (text.indexOf(Reads.GIVE_UP) >= 0) {
      return Optional.empty();
    }
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' || Character.isSurrogate(c)) {
        break;
      }
      i++;
    }
    if (i == n) {
      return Optional.of(text); // the common case: nothing to change
    }
    StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\') { // only inside strings: an escape, copied with its hex digits in upper case
        if (text.charAt(i + 1) == 'u') {
          out.append("\\u").append(text.substring(i + 2, i + 6).toUpperCase(java.util.Locale.ROOT));
          i += 6;
        } else {
          out.append(c).append(text.charAt(i + 1)); // \n, \", \\ ...
          i += 2;
        }
      } else if (Character.isSurrogate(c)) {
        out.append("\\u").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT));
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return Optional.of(out.toString());
  }
}
