package store.code.runtime.graphql;

import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.ExecutionResult;
import graphql.language.OperationDefinition;

/** Notes which operation a request ran (type and name), once graphql-java has picked it from the document. */
final class OperationCapture extends SimplePerformantInstrumentation {

  static final class Seen {
    final boolean readOnly;
    volatile String type = "unknown";
    volatile String name = "unknown";

    Seen(boolean readOnly) {
      this.readOnly = readOnly;
    }
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
    return SimpleInstrumentationContext.noOp();
  }
}
