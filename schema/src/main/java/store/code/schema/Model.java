package store.code.schema;

import java.util.List;
import java.util.Optional;

/**
 * A {@code @model} type: one table. Every model has {@code id} (uuid primary key), {@code createdAt}
 * and {@code updatedAt}; {@code columns} lists the maker's stored fields after those.
 */
public record Model(
    String name,
    String table,
    String singular,
    String plural,
    List<Column> columns,
    List<Relation> relations,
    List<String> codeFields) {

  public static final List<String> SYSTEM_FIELDS = List.of("id", "createdAt", "updatedAt");

  public Optional<Column> column(String field) {
    return columns.stream().filter(c -> c.field().equals(field)).findFirst();
  }

  public Optional<Relation> relation(String field) {
    return relations.stream().filter(r -> r.field().equals(field)).findFirst();
  }
}
