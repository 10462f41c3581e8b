package store.code.schema;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.EnumValue;
import graphql.language.Node;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;

import store.code.schema.AuthRule.Allow;
import store.code.schema.AuthRule.Operation;

/**
 * Compiles {@code @auth(rules: [...])} directives into {@link AuthRule}s and checks them against the model they
 * guard; every problem is reported with the directive's line and column. graphql-java has already checked the
 * argument's shape against {@code CodestoreAuthRule} (known keys, enum values, types).
 */
final class AuthRules {

  static final String DEFAULT_OWNER_FIELD = "owner";

  private final BiConsumer<Node<?>, String> error;

  /** @param error where problems go, with the node they are about */
  AuthRules(BiConsumer<Node<?>, String> error) {
    this.error = error;
  }

  /** The rules of {@code d}, each shape problem reported; rules with a problem are left out. */
  List<AuthRule> parse(Directive d, String where) {
    List<AuthRule> rules = new ArrayList<>();
    Value<?> arg = d.getArguments().stream().filter(a -> a.getName().equals("rules")).map(a -> a.getValue())
        .findFirst().orElse(null);
    List<Value> values = arg instanceof ArrayValue list ? list.getValues() : arg == null ? List.of() : List.of(arg);
    if (values.isEmpty()) {
      error.accept(d, "@auth on " + where + " has no rules: give at least one, e.g. @auth(rules: [{allow: owner}])");
    }
    for (Value<?> v : values) {
      if (v instanceof ObjectValue o) {
        rule(o, where).ifPresent(rules::add);
      }
    }
    return rules;
  }

  private Optional<AuthRule> rule(ObjectValue o, String where) {
    Map<String, Value> fields = new java.util.LinkedHashMap<>();
    for (ObjectField f : o.getObjectFields()) {
      fields.put(f.getName(), f.getValue());
    }
    if (!(fields.get("allow") instanceof EnumValue allowValue)) {
      error.accept(o, "a rule of @auth on " + where + " has no allow: say public, private, owner or groups");
      return Optional.empty();
    }
    Allow allow = Allow.valueOf(allowValue.getName().toUpperCase(Locale.ROOT));
    Set<Operation> operations = EnumSet.allOf(Operation.class);
    if (fields.get("operations") instanceof ArrayValue ops) {
      operations = EnumSet.noneOf(Operation.class);
      for (Value<?> op : ops.getValues()) {
        operations.add(Operation.valueOf(((EnumValue) op).getName().toUpperCase(Locale.ROOT)));
      }
      if (operations.isEmpty()) {
        error.accept(o, "rule {allow: " + allow.word() + "} of @auth on " + where + " lists no operations: leave "
            + "operations out for all of them, or name some of create, read, update, delete");
        return Optional.empty();
      }
    }
    String ownerField = fields.get("ownerField") instanceof StringValue s ? s.getValue() : null;
    List<String> groups = new ArrayList<>();
    if (fields.get("groups") instanceof ArrayValue gs) {
      gs.getValues().forEach(g -> groups.add(((StringValue) g).getValue()));
    }
    if (allow != Allow.OWNER && ownerField != null) {
      error.accept(o, "rule {allow: " + allow.word() + "} of @auth on " + where + " names an ownerField: only owner rules "
          + "have one");
      return Optional.empty();
    }
    if (allow != Allow.GROUPS && fields.containsKey("groups")) {
      error.accept(o, "rule {allow: " + allow.word() + "} of @auth on " + where + " lists groups: only groups rules have "
          + "them");
      return Optional.empty();
    }
    if (allow == Allow.GROUPS && (groups.isEmpty() || groups.stream().anyMatch(String::isBlank))) {
      error.accept(o, "rule {allow: groups} of @auth on " + where + " needs the groups it admits, e.g. groups: [\"admin\"]");
      return Optional.empty();
    }
    return Optional.of(new AuthRule(allow, operations, allow == Allow.OWNER
        ? (ownerField == null ? DEFAULT_OWNER_FIELD : ownerField) : null, groups));
  }

  /**
   * Checks a model's rules against its fields: an owner field must be a single String field of the type; a type
   * whose rows have owners cannot also let anyone without a credential write them.
   */
  void checkTypeRules(Directive at, String type, List<AuthRule> rules, List<Column> columns) {
    for (AuthRule r : rules) {
      if (r.allow() == Allow.OWNER) {
        checkOwnerField(at, type, r, columns);
      }
    }
    boolean owned = rules.stream().anyMatch(r -> r.allow() == Allow.OWNER);
    for (AuthRule r : rules) {
      if (owned && r.allow() == Allow.PUBLIC && (r.allows(Operation.CREATE) || r.allows(Operation.UPDATE)
          || r.allows(Operation.DELETE))) {
        error.accept(at, "@auth on type " + type + ": rule " + r.describe() + " lets anyone without a credential write rows "
            + "that have owners: limit it to operations: [read], or drop the owner rule");
      }
    }
  }

  /** Field rules narrow the type's: they may read, create and update, and an owner field must exist on the type. */
  void checkFieldRules(Directive at, String where, String type, List<AuthRule> rules, List<Column> columns) {
    for (AuthRule r : rules) {
      if (r.allows(Operation.DELETE) && r.operations().size() < Operation.values().length) {
        error.accept(at, "rule " + r.describe() + " of @auth on " + where + " names delete: a field is deleted with its "
            + "row, so field rules say read, create and update only");
      }
      if (r.allow() == Allow.OWNER) {
        checkOwnerField(at, type, r, columns);
      }
    }
  }

  private void checkOwnerField(Directive at, String type, AuthRule r, List<Column> columns) {
    Optional<Column> owner = columns.stream().filter(c -> c.field().equals(r.ownerField())).findFirst();
    if (owner.isEmpty()) {
      error.accept(at, "rule " + r.describe() + " of @auth on " + type + ": " + type + " has no field " + r.ownerField()
          + ": add `" + r.ownerField() + ": String` to it, or name the field that holds the owner with ownerField");
    } else if (owner.get().type() != ScalarType.STRING || owner.get().list()) {
      error.accept(at, "rule " + r.describe() + " of @auth on " + type + ": the owner field " + type + "." + r.ownerField()
          + " must be a String (it holds the subject of the owner's token)");
    }
  }

  /**
   * What {@code after} no longer allows that {@code before} did: each is a breaking change for the service's
   * clients (a caller who could read or write no longer can). Loosening a rule, or adding one, breaks nothing.
   */
  static List<String> tightenings(CompiledSchema before, CompiledSchema after) {
    List<String> out = new ArrayList<>();
    for (Model was : before.models()) {
      Model now = after.model(was.name()).orElse(null);
      if (now == null) {
        continue; // a removed type is the API diff's to report
      }
      out.addAll(lost("type " + was.name(), was.rules(), now.rules()));
      for (Column c : was.columns()) {
        now.column(c.field()).ifPresent(n -> {
          if (!n.rules().isEmpty()) { // a field without rules of its own narrows nothing
            out.addAll(lost(was.name() + "." + c.field(), c.rules().isEmpty() ? was.rules() : c.rules(), n.rules()));
          }
        });
      }
    }
    before.rootRules().forEach((field, rules) -> {
      if (after.rootRules().containsKey(field)) {
        out.addAll(lost(field, rules, after.rootRules().get(field)));
      }
    });
    return out;
  }

  private static List<String> lost(String where, List<AuthRule> before, List<AuthRule> after) {
    List<String> out = new ArrayList<>();
    for (AuthRule r : before) {
      for (Operation op : r.operations()) {
        if (after.stream().noneMatch(a -> a.covers(r, op))) {
          out.add(where + ": @auth no longer allows " + op.word() + " to callers of rule " + r.describe());
        }
      }
    }
    return out;
  }
}
