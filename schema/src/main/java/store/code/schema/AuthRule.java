package store.code.schema;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@code @auth} rule (Amplify's syntax): who may perform which operations on a {@code @model} type or, narrowing
 * the type's rules, on one of its fields. A caller may do what any one of the rules that apply allows.
 *
 * @param allow      {@code public}: anyone, without a credential; {@code private}: any valid key or token;
 *                   {@code owner}: a token whose subject is the row's {@code ownerField}; {@code groups}: a token
 *                   whose groups claim holds one of {@code groups}
 * @param operations what the rule allows (all four when the rule does not say)
 * @param ownerField the String field holding the owner's subject (owner rules only; default {@code owner})
 * @param groups     the groups of a groups rule
 */
public record AuthRule(Allow allow, Set<Operation> operations, String ownerField, List<String> groups) {

  public enum Allow {
    PUBLIC, PRIVATE, OWNER, GROUPS;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Operation {
    CREATE, READ, UPDATE, DELETE;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a type without {@code @auth} has: any valid key or token may do everything, nobody else anything. */
  public static final List<AuthRule> DEFAULT = List.of(new AuthRule(Allow.PRIVATE, EnumSet.allOf(Operation.class), null, List.of()));

  public AuthRule {
    operations = Set.copyOf(operations);
    groups = List.copyOf(groups);
  }

  public boolean allows(Operation op) {
    return operations.contains(op);
  }

  /** The rule as it is written in a schema, to name it in errors: {@code {allow: owner, ownerField: "author"}}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("{allow: ").append(allow.word());
    if (allow == Allow.OWNER) {
      sb.append(", ownerField: \"").append(ownerField).append('"');
    }
    if (allow == Allow.GROUPS) {
      sb.append(", groups: ").append(groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(", ", "[", "]")));
    }
    if (operations.size() < Operation.values().length) {
      sb.append(", operations: ").append(EnumSet.copyOf(operations).stream().map(Operation::word)
          .collect(Collectors.joining(", ", "[", "]")));
    }
    return sb.append('}').toString();
  }

  /**
   * Whether this rule lets through everyone {@code other} lets through, for {@code op}: public covers everything,
   * private covers owner and groups rules, a groups rule covers one whose groups it includes.
   */
  public boolean covers(AuthRule other, Operation op) {
    if (!allows(op) || !other.allows(op)) {
      return !other.allows(op);
    }
    return switch (allow) {
      case PUBLIC -> true;
      case PRIVATE -> other.allow != Allow.PUBLIC;
      case OWNER -> other.allow == Allow.OWNER && ownerField.equals(other.ownerField);
      case GROUPS -> other.allow == Allow.GROUPS && groups.containsAll(other.groups);
    };
  }
}
