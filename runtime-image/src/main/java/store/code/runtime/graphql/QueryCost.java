package store.code.runtime.graphql;

import java.util.HashMap;
import java.util.Map;

import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.ExecutionContext;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLTypeUtil;

import store.code.runtime.sql.Reads;

/**
 * What an operation may cost, before it runs: every field counts 1, and a list of rows (a connection or a nested
 * relation list) multiplies what it contains by the rows it may return: {@code first}, else a page
 * ({@link Reads#DEFAULT_PAGE}, which SQL limits it to). So the cost is about the number of values the answer can
 * hold. Sums and products saturate at {@code Long.MAX_VALUE}: no query, however large its numbers, wraps around to
 * a small cost (graphql-java's own calculator adds in {@code int}, and a query costing 10<sup>12</sup> came out
 * negative).
 */
final class QueryCost {

  /** The operation's cost, and its depth (the most fields nested in one another; a root field is depth 1). */
  record Measure(long cost, int depth) {}

  private QueryCost() {}

  /** One walk over the operation with its fragments expanded, for both cost and depth. */
  static Measure of(ExecutionContext context) {
    Map<QueryVisitorFieldEnvironment, Long> childCosts = new HashMap<>();
    long[] total = {0};
    int[] depth = {0};
    QueryTraverser.newQueryTraverser().schema(context.getGraphQLSchema()).document(context.getDocument())
        .operationName(context.getOperationDefinition().getName()).coercedVariables(context.getCoercedVariables())
        .build().visitPostOrder(new QueryVisitorStub() {
          @Override
          public void visitField(QueryVisitorFieldEnvironment env) {
            if (env.isTypeNameIntrospectionField()) {
              return;
            }
            long cost = field(env.getFieldDefinition(), env.getArguments(), childCosts.getOrDefault(env, 0L));
            QueryVisitorFieldEnvironment parent = env.getParentEnvironment();
            int level = 1;
            for (QueryVisitorFieldEnvironment p = parent; p != null; p = p.getParentEnvironment()) {
              level++;
            }
            depth[0] = Math.max(depth[0], level);
            if (parent == null) {
              total[0] = plus(total[0], cost);
            } else {
              childCosts.merge(parent, cost, QueryCost::plus);
            }
          }
        });
    return new Measure(total[0], depth[0]);
  }

  static long field(GraphQLFieldDefinition definition, Map<String, Object> arguments, long children) {
    if (definition.getArgument("first") == null || GraphQLTypeUtil.isLeaf(GraphQLTypeUtil.unwrapAll(definition.getType()))) {
      return plus(1, children);
    }
    Object first = arguments.get("first");
    long rows = first instanceof Integer n ? Math.max(n, 1) : Reads.DEFAULT_PAGE;
    return plus(1, times(rows, Math.max(children, 1)));
  }

  static long plus(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum; // both are never negative
  }

  static long times(long a, long b) {
    return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b; // both are never negative
  }
}
