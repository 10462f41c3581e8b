package store.code.schema;

import java.util.List;
import java.util.Optional;

/**
 * The result of compiling an SDL: the relational model, the root fields of the generated API,
 * and a hash that identifies the exact source text.
 */
public record CompiledSchema(
    String source,
    String hash,
    List<Model> models,
    List<String> queries,
    List<String> mutations,
    List<String> codeHandlers) {

  public Optional<Model> model(String name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
