package store.code.runtime.graphql;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.OperationDefinition;
import graphql.validation.ValidationError;

/**
 * The one instrumentation of a request: notes which operation it ran (type and name) once graphql-java has picked it
 * from the document, refuses mutations on read-only requests and operations that need a credential the request has
 * not ({@link CredentialCheck}), and applies the depth and complexity limits. One
 * instrumentation with no per-field hooks, rather than graphql-java's chain of three: a chain is called for every
 * field of every object, which profiling showed as a tenth of a nested query's time.
 */
final class OperationCapture extends SimplePerformantInstrumentation {

  static final class Seen {
    final boolean readOnly;
    volatile String type = "unknown";
    volatile String name = "unknown";

    Seen(boolean readOnly) {
      this.readOnly = readOnly;
    }
  }

  /** The complexity limit keeps state between validation and execution; depth keeps none. */
  private record State(InstrumentationState complexity) implements InstrumentationState {}

  private final MaxQueryDepthInstrumentation depth;
  private final MaxQueryComplexityInstrumentation complexity;
  private final CredentialCheck credentials;

  OperationCapture(MaxQueryDepthInstrumentation depth, MaxQueryComplexityInstrumentation complexity,
      CredentialCheck credentials) {
    this.depth = depth;
    this.complexity = complexity;
    this.credentials = credentials;
  }

  @Override
  public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
    CompletableFuture<InstrumentationState> inner = complexity.createStateAsync(parameters);
    return inner == null ? CompletableFuture.completedFuture(new State(null)) : inner.thenApply(State::new);
  }

  @Override
  public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
      InstrumentationState state) {
    return complexity.beginValidation(parameters, ((State) state).complexity());
  }

  @Override
  public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters params,
      InstrumentationState state) {
    OperationDefinition op = params.getExecutionContext().getOperationDefinition();
    Seen seen = params.getExecutionContext().getGraphQLContext().get(Seen.class);
    if (seen != null && op != null) {
      seen.type = op.getOperation().name().toLowerCase(java.util.Locale.ROOT);
      seen.name = op.getName() == null ? "anonymous" : op.getName();
      if (seen.readOnly && op.getOperation() == OperationDefinition.Operation.MUTATION) {
        throw new graphql.execution.AbortExecutionException("mutations must be sent with POST");
      }
    }
    RequestScope scope = params.getExecutionContext().getGraphQLContext().get(RequestScope.class);
    if (scope != null && op != null) {
      credentials.refusal(op, params.getExecutionContext().getFragmentsByName(), scope.access()).ifPresent(why -> {
        throw new graphql.execution.AbortExecutionException(List.of(graphql.GraphqlErrorBuilder.newError().message(why)
            .extensions(java.util.Map.of("code", Engine.UNAUTHENTICATED)).build()));
      });
    }
    depth.beginExecuteOperation(params, null);
    complexity.beginExecuteOperation(params, ((State) state).complexity());
    return SimpleInstrumentationContext.noOp();
  }
}
