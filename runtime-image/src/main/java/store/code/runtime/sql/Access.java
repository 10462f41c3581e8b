package store.code.runtime.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import store.code.runtime.ApiError;
import store.code.runtime.auth.Identity;
import store.code.schema.AuthRule;
import store.code.schema.AuthRule.Operation;
import store.code.schema.Column;
import store.code.schema.Model;
import store.code.sdk.Caller;

/**
 * The schema's {@code @auth} rules applied to one caller, compiled to SQL: for a model (or a field) and an operation,
 * a {@link Condition} that is always true, never true, or true where the row's owner field holds the caller's subject.
 * Reads add it to the WHERE clause of every level of the one statement they build (so rules filter rows, never fail
 * a read); writes add it to their UPDATE or DELETE and refuse what it cannot allow with {@link #FORBIDDEN}.
 */
public final class Access {

  public static final String FORBIDDEN = "FORBIDDEN";

  /** What a caller may do with a row: always, never, or where one of {@code ownerColumns} holds its subject. */
  public record Condition(boolean always, Set<String> ownerColumns) {
    static final Condition ALWAYS = new Condition(true, Set.of());
    static final Condition NEVER = new Condition(false, Set.of());

    public boolean never() {
      return !always && ownerColumns.isEmpty();
    }

    /** The condition on the row aliased {@code t}, as SQL: {@code TRUE}, {@code FALSE} or the owner test. */
    void append(Sql sql, String t, String subject) {
      if (always) {
        sql.append("TRUE");
      } else if (ownerColumns.isEmpty()) {
        sql.append("FALSE");
      } else {
        sql.append('(');
        int i = 0;
        for (String column : ownerColumns) {
          sql.append(i++ == 0 ? "" : " OR ").append(t).append('.').ident(column).append(" = ").param(subject, "text");
        }
        sql.append(')');
      }
    }
  }

  private final Identity caller;

  private Access(Identity caller) {
    this.caller = caller;
  }

  public static Access of(Identity caller) {
    return new Access(caller);
  }

  public Identity caller() {
    return caller;
  }

  /** What the type's rules let this caller do with a row of {@code m}. */
  public Condition row(Model m, Operation op) {
    return condition(m, m.rules(), op);
  }

  /** What a field's own rules add (always, when it has none): its value reads as null where it does not hold. */
  public Condition field(Model m, Column c, Operation op) {
    return c.rules().isEmpty() ? Condition.ALWAYS : condition(m, c.rules(), op);
  }

  /** Whether this caller may call a root {@code @code} field with these rules (owner rules never apply there). */
  public boolean mayCall(List<AuthRule> rules) {
    return rules.stream().anyMatch(r -> admits(r) == Admits.ALWAYS);
  }

  private enum Admits { ALWAYS, AS_OWNER, NO }

  private Admits admits(AuthRule r) {
    return switch (r.allow()) {
      case PUBLIC -> Admits.ALWAYS;
      case PRIVATE -> caller.authenticated() ? Admits.ALWAYS : Admits.NO;
      case GROUPS -> caller.kind() == Caller.Kind.JWT && caller.groups().stream().anyMatch(r.groups()::contains)
          ? Admits.ALWAYS : Admits.NO;
      case OWNER -> caller.kind() == Caller.Kind.JWT ? Admits.AS_OWNER : Admits.NO;
    };
  }

  private Condition condition(Model m, List<AuthRule> rules, Operation op) {
    Set<String> owners = new LinkedHashSet<>();
    for (AuthRule r : rules) {
      if (!r.allows(op)) {
        continue;
      }
      switch (admits(r)) {
        case ALWAYS -> {
          return Condition.ALWAYS;
        }
        case AS_OWNER -> owners.add(ownerColumn(m, r));
        case NO -> { }
      }
    }
    return owners.isEmpty() ? Condition.NEVER : new Condition(false, owners);
  }

  static String ownerColumn(Model m, AuthRule r) {
    return m.column(r.ownerField()).map(Column::name).orElseThrow(() -> new IllegalStateException(
        "owner field " + m.name() + "." + r.ownerField() + " is not a column"));
  }

  void append(Sql sql, Condition c, String t) {
    c.append(sql, t, caller.id());
  }

  /** The rules that allow {@code op}, written as in the schema, for an error that says what would have let it. */
  static String allowing(List<AuthRule> rules, Operation op) {
    List<String> out = new ArrayList<>();
    for (AuthRule r : rules) {
      if (r.allows(op)) {
        out.add(r.describe());
      }
    }
    return out.isEmpty() ? "no rule allows " + op.word() : "rules that allow it: " + String.join(", ", out);
  }

  /** FORBIDDEN for {@code op} on {@code what}, naming the rules that would allow it. */
  ApiError forbidden(Operation op, String what, List<AuthRule> rules) {
    return new ApiError(FORBIDDEN, who() + " may not " + op.word() + " " + what + " (" + allowing(rules, op) + ")");
  }

  /** Filtering or sorting by a field whose value this caller may not read would tell it what it may not read. */
  void requireReadable(Model m, String field, String purpose) {
    m.column(field).filter(c -> !field(m, c, Operation.READ).always()).ifPresent(c -> {
      throw new ApiError(FORBIDDEN, who() + " may not " + purpose + " " + m.name() + "." + field + ": it may not read it "
          + "in every row (" + allowing(c.rules(), Operation.READ) + ")");
    });
  }

  public String who() {
    return switch (caller.kind()) {
      case KEY -> "API key " + caller.id();
      case JWT -> "the token of " + caller.id() + (caller.groups().isEmpty() ? ""
          : " (groups " + caller.groups().stream().collect(Collectors.joining(", ")) + ")");
      case ANONYMOUS -> "a caller without a credential";
    };
  }
}
