package store.code.runtime.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

import store.code.runtime.sql.Access;
import store.code.schema.AuthRule;
import store.code.schema.AuthRule.Operation;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.ScalarType;

/**
 * Whether an operation needs a credential the request does not have: a caller without one may run it only when every
 * root field it asks for is {@code public} for what it does; otherwise nothing runs and the answer is 401
 * UNAUTHENTICATED (not billed). Introspection is open to anonymous callers only where the schema has something
 * public; GraphiQL asks for a key otherwise.
 */
final class CredentialCheck {

  private final CompiledSchema compiled;
  private final boolean anythingPublic;

  CredentialCheck(CompiledSchema compiled) {
    this.compiled = compiled;
    this.anythingPublic = compiled.models().stream().flatMap(m -> m.rules().stream())
        .anyMatch(r -> r.allow() == AuthRule.Allow.PUBLIC)
        || compiled.rootRules().values().stream().flatMap(List::stream).anyMatch(r -> r.allow() == AuthRule.Allow.PUBLIC);
  }

  /** Whether a caller without a credential may run anything at all (else it is refused before the query is read). */
  boolean anythingPublic() {
    return anythingPublic;
  }

  /** Why {@code access}'s caller may not run {@code op} without a credential; empty when it may. */
  Optional<String> refusal(OperationDefinition op, Map<String, FragmentDefinition> fragments, Access access) {
    if (access.caller().authenticated()) {
      return Optional.empty();
    }
    String root = op.getOperation() == OperationDefinition.Operation.MUTATION ? "Mutation" : "Query";
    for (String field : rootFields(op.getSelectionSet(), fragments)) {
      if (!open(root, field, access)) {
        return Optional.of(root + "." + field + " needs a credential: send `Authorization: Bearer <API key or token>`");
      }
    }
    return Optional.empty();
  }

  private boolean open(String root, String field, Access a) {
    if (field.equals("__typename")) {
      return true;
    }
    if (field.startsWith("__")) {
      return anythingPublic;
    }
    for (Model m : compiled.models()) {
      Optional<Operation> op = root.equals("Query")
          ? (field.equals(m.singular()) || field.equals(m.plural()) ? Optional.of(Operation.READ) : Optional.empty())
          : field.equals("create" + m.name()) ? Optional.of(Operation.CREATE)
          : field.equals("update" + m.name()) ? Optional.of(Operation.UPDATE)
          : field.equals("delete" + m.name()) ? Optional.of(Operation.DELETE) : Optional.empty();
      if (op.isPresent()) {
        return !a.row(m, op.get()).never();
      }
    }
    if (root.equals("Mutation") && field.equals("requestUpload")) {
      return compiled.models().stream().filter(m -> m.columns().stream().anyMatch(c -> c.type() == ScalarType.FILE))
          .anyMatch(m -> !a.row(m, Operation.CREATE).never() || !a.row(m, Operation.UPDATE).never());
    }
    return a.mayCall(compiled.rootRules(root, field));
  }

  private static List<String> rootFields(SelectionSet set, Map<String, FragmentDefinition> fragments) {
    List<String> out = new ArrayList<>();
    if (set == null) {
      return out;
    }
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        out.add(f.getName());
      } else if (s instanceof InlineFragment i) {
        out.addAll(rootFields(i.getSelectionSet(), fragments));
      } else if (s instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
        out.addAll(rootFields(fragments.get(spread.getName()).getSelectionSet(), fragments));
      }
    }
    return out;
  }
}
