package store.code.runtime.graphql;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;

/**
 * The one instrumentation of a request: notes which operation it ran (type and name) once graphql-java has picked it
 * from the document, refuses mutations on read-only requests and operations that need a credential the request has
 * not ({@link CredentialCheck}), and applies the size ({@link DocumentSize}), depth and cost ({@link QueryCost})
 * limits, each refusal with its own {@code extensions.code}. One instrumentation with no per-field hooks, rather than
 * graphql-java's chain: a chain is called for every field of every object, which profiling showed as a tenth of a
 * nested query's time; and one walk over the operation measures both depth and cost.
 */
final class OperationCapture extends SimplePerformantInstrumentation {

  static final String QUERY_TOO_DEEP = "QUERY_TOO_DEEP";
  static final String QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";

  static final class Seen {
    final boolean readOnly;
    volatile String type = "unknown";
    volatile String name = "unknown";
    /** Passed every check and started to run. */
    volatile boolean executed;

    Seen(boolean readOnly) {
      this.readOnly = readOnly;
    }
  }

  private final CredentialCheck credentials;
  private final Engine.Limits limits;

  OperationCapture(CredentialCheck credentials, Engine.Limits limits) {
    this.credentials = credentials;
    this.limits = limits;
  }

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
      InstrumentationState state) {
    ExecutionContext context = params.getExecutionContext();
    OperationDefinition op = context.getOperationDefinition();
    if (op == null) {
      return SimpleInstrumentationContext.noOp();
    }
    Seen seen = context.getGraphQLContext().get(Seen.class);
    if (seen != null) {
      seen.type = op.getOperation().name().toLowerCase(Locale.ROOT);
      seen.name = op.getName() == null ? "anonymous" : op.getName();
      if (seen.readOnly && op.getOperation() == OperationDefinition.Operation.MUTATION) {
        throw new AbortExecutionException("mutations must be sent with POST");
      }
    }
    RequestScope scope = context.getGraphQLContext().get(RequestScope.class);
    if (scope != null) {
      credentials.refusal(op, context.getFragmentsByName(), scope.access()).ifPresent(why -> {
        throw refusal(Engine.UNAUTHENTICATED, why);
      });
    }
    DocumentSize.refusal(context.getDocument(), op, context.getFragmentsByName(), limits).ifPresent(error -> {
      throw new AbortExecutionException(List.of(error));
    });
    QueryCost.Measure measure = QueryCost.of(context);
    if (measure.depth() > limits.maxDepth()) {
      throw refusal(QUERY_TOO_DEEP, "maximum query depth exceeded " + measure.depth() + " > " + limits.maxDepth());
    }
    if (measure.cost() > limits.maxComplexity()) {
      throw refusal(QUERY_TOO_COMPLEX, "maximum query complexity exceeded "
          + (measure.cost() == Long.MAX_VALUE ? "(beyond counting)" : String.valueOf(measure.cost())) + " > "
          + limits.maxComplexity() + ": ask for fewer rows (first on lists and connections) or fewer fields");
    }
    if (seen != null) {
      seen.executed = true;
    }
    if (scope != null) {
      scope.operation(context.getNormalizedQueryTree());
    }
    return SimpleInstrumentationContext.noOp();
  }

  private static AbortExecutionException refusal(String code, String message) {
    return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError().message(message)
        .extensions(Map.of("code", code)).build()));
  }
}
