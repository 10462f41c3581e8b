package store.code.runtime.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement being built: SQL text plus its bound parameters. Values are only ever added through
 * {@link #param}, identifiers only through {@link #ident} (quoted, taken from the compiled model), so nothing an API
 * client sends becomes SQL text.
 */
public final class Sql {

  /** A bound value: text (or a text array) cast by the server to {@code type}. */
  record Param(Object value, String type) {}

  private final StringBuilder text = new StringBuilder();
  private final List<Param> params = new ArrayList<>();
  private int aliases;

  public Sql append(String sql) {
    text.append(sql);
    return this;
  }

  public Sql append(char c) {
    text.append(c);
    return this;
  }

  /** A value, bound as text and cast to {@code sqlType} (e.g. {@code uuid}, {@code integer}, {@code text[]}). */
  public Sql param(Object value, String sqlType) {
    params.add(new Param(value, sqlType));
    text.append("CAST(? AS ").append(sqlType).append(')');
    return this;
  }

  public Sql ident(String name) {
    text.append(quote(name));
    return this;
  }

  /** A fresh table alias for a nested subquery. */
  public String alias() {
    return "t" + aliases++;
  }

  public String text() {
    return text.toString();
  }

  List<Param> params() {
    return params;
  }

  /** Postgres identifier quoting; model names passed the compiler, the doubling is a second line of defence. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** A string literal for DDL defaults (standard_conforming_strings is on since Postgres 9.1). */
  public static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
