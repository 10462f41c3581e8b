package store.code.runtime.graphql;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

/**
 * Limits on how many things one document asks for at once, checked before anything runs. Each root field is one SQL
 * statement (or one maker-code call), so the root fields of the operation, counted after fragments are expanded and
 * by result key, are capped; aliases let one document repeat the same expensive field under many names, so they are
 * capped over the whole document too. Cost and depth are limited elsewhere; these bound what those do not see:
 * a hundred cheap {@code count(*)}s are a hundred statements.
 */
final class DocumentSize {

  static final String TOO_MANY_ROOT_FIELDS = "TOO_MANY_ROOT_FIELDS";
  static final String TOO_MANY_ALIASES = "TOO_MANY_ALIASES";

  private DocumentSize() {}

  static Optional<GraphQLError> refusal(Document document, OperationDefinition op,
      Map<String, FragmentDefinition> fragments, Engine.Limits limits) {
    Set<String> rootKeys = new HashSet<>();
    rootKeys(op.getSelectionSet(), fragments, rootKeys, new HashSet<>());
    if (rootKeys.size() > limits.maxRootFields()) {
      return Optional.of(error(TOO_MANY_ROOT_FIELDS, "this " + op.getOperation().name().toLowerCase(java.util.Locale.ROOT)
          + " asks for " + rootKeys.size() + " root fields; at most " + limits.maxRootFields()
          + " are allowed in one request: send the rest in another request"));
    }
    int aliases = aliases(document);
    if (aliases > limits.maxAliases()) {
      return Optional.of(error(TOO_MANY_ALIASES, "this document has " + aliases + " aliases; at most "
          + limits.maxAliases() + " are allowed in one request"));
    }
    return Optional.empty();
  }

  /** The result keys of the root selection, through fragment spreads (each fragment once) and inline fragments. */
  private static void rootKeys(SelectionSet set, Map<String, FragmentDefinition> fragments, Set<String> keys,
      Set<String> spread) {
    if (set == null) {
      return;
    }
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        keys.add(f.getResultKey());
      } else if (s instanceof InlineFragment i) {
        rootKeys(i.getSelectionSet(), fragments, keys, spread);
      } else if (s instanceof FragmentSpread fs && spread.add(fs.getName()) && fragments.containsKey(fs.getName())) {
        rootKeys(fragments.get(fs.getName()).getSelectionSet(), fragments, keys, spread);
      }
    }
  }

  /** Fields with an alias anywhere in the document, every operation and fragment included. */
  private static int aliases(Document document) {
    int n = 0;
    for (graphql.language.Definition<?> d : document.getDefinitions()) {
      if (d instanceof OperationDefinition o) {
        n += aliases(o.getSelectionSet());
      } else if (d instanceof FragmentDefinition f) {
        n += aliases(f.getSelectionSet());
      }
    }
    return n;
  }

  private static int aliases(SelectionSet set) {
    if (set == null) {
      return 0;
    }
    int n = 0;
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        n += (f.getAlias() != null ? 1 : 0) + aliases(f.getSelectionSet());
      } else if (s instanceof InlineFragment i) {
        n += aliases(i.getSelectionSet());
      }
    }
    return n;
  }

  private static GraphQLError error(String code, String message) {
    return GraphqlErrorBuilder.newError().message(message).extensions(Map.of("code", code)).build();
  }
}
