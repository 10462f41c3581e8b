package store.code.schema;

import java.util.List;
import java.util.Optional;

/**
 * A {@code @model} type: one table. Every model has {@code id} (uuid primary key), {@code createdAt}
 * and {@code updatedAt}; {@code columns} lists the maker's stored fields after those. {@code rules} say who may do
 * what with its rows ({@code @auth}; {@link AuthRule#DEFAULT} without it).
 */
public record Model(
    String name,
    String table,
    String singular,
    String plural,
    List<Column> columns,
    List<Relation> relations,
    List<String> codeFields,
    List<AuthRule> rules) {

  public static final List<String> SYSTEM_FIELDS = List.of("id", "createdAt", "updatedAt");

  public Optional<Column> column(String field) {
    return columns.stream().filter(c -> c.field().equals(field)).findFirst();
  }

  /** Whether a type-level owner rule names this field as the one holding the owner's subject. */
  public boolean isOwnerField(String field) {
    return rules.stream().anyMatch(r -> r.allow() == AuthRule.Allow.OWNER && r.ownerField().equals(field));
  }

  /**
   * Whether some caller who may read a row of {@code source} may not read a row of this model: a relation from there
   * to here then reads as null for that caller (never an error), so the generated API declares it nullable.
   */
  public boolean mayHideFromReadersOf(Model source) {
    if (readableBy(AuthRule.Allow.PUBLIC)) {
      return false;
    }
    if (readableBy(AuthRule.Allow.PRIVATE)) {
      return source.readableBy(AuthRule.Allow.PUBLIC); // callers without a credential read the source, not this
    }
    return true; // only owners or groups read it
  }

  /** Whether everyone who may create or update a row may read it back (else the mutation may return null). */
  public boolean readableByEveryWriter() {
    for (AuthRule w : rules) {
      if (!w.allows(AuthRule.Operation.CREATE) && !w.allows(AuthRule.Operation.UPDATE)) {
        continue;
      }
      AuthRule asReader = new AuthRule(w.allow(), java.util.Set.of(AuthRule.Operation.READ), w.ownerField(), w.groups());
      if (rules.stream().noneMatch(r -> r.covers(asReader, AuthRule.Operation.READ))) {
        return false;
      }
    }
    return true;
  }

  private boolean readableBy(AuthRule.Allow allow) {
    return rules.stream().anyMatch(r -> r.allow() == allow && r.allows(AuthRule.Operation.READ));
  }

  public Optional<Relation> relation(String field) {
    return relations.stream().filter(r -> r.field().equals(field)).findFirst();
  }
}
