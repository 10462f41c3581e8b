package store.code.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of compiling an SDL: the relational model, the root fields of the generated API,
 * and a hash that identifies the exact source text. {@code rootRules}: who may call each root {@code @code} field
 * ({@code "Query.name"}, {@code "Mutation.name"}).
 */
public record CompiledSchema(
    String source,
    String hash,
    List<Model> models,
    List<String> queries,
    List<String> mutations,
    List<String> codeHandlers,
    Map<String, List<AuthRule>> rootRules) {

  /** Who may call a root @code field, e.g. {@code rules("Mutation", "checkout")}. */
  public List<AuthRule> rootRules(String root, String field) {
    return rootRules.getOrDefault(root + "." + field, AuthRule.DEFAULT);
  }

  public Optional<Model> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
