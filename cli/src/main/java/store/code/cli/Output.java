package store.code.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * How a command's answer is printed: {@code table} (columns, as kubectl prints), {@code json} or {@code yaml} (the same
 * rows as objects with lower-camel keys, for scripts).
 */
public enum Output {
  table, json, yaml;

  /** One row: column name (as a table header in upper case) to value; null prints as "-". */
  public static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }

  public void print(PrintWriter out, List<Map<String, Object>> rows, String none) {
    switch (this) {
      case json -> out.println(Serialization.asJson(rows));
      case yaml -> out.print(Serialization.asYaml(rows));
      case table -> {
        if (rows.isEmpty()) {
          out.println(none);
        } else {
          printTable(out, rows);
        }
      }
    }
    out.flush();
  }

  private static void printTable(PrintWriter out, List<Map<String, Object>> rows) {
    List<String> columns = new ArrayList<>(rows.get(0).keySet());
    int[] widths = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      widths[c] = header(columns.get(c)).length();
      for (Map<String, Object> row : rows) {
        widths[c] = Math.max(widths[c], cell(row.get(columns.get(c))).length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < columns.size(); c++) {
      pad(line, header(columns.get(c)), widths[c], c == columns.size() - 1);
    }
    out.println(line.toString().stripTrailing());
    for (Map<String, Object> row : rows) {
      line.setLength(0);
      for (int c = 0; c < columns.size(); c++) {
        pad(line, cell(row.get(columns.get(c))), widths[c], c == columns.size() - 1);
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static void pad(StringBuilder line, String text, int width, boolean last) {
    line.append(text);
    if (!last) {
      line.append(" ".repeat(width - text.length() + 3));
    }
  }

  /** {@code serviceVersion} -> {@code SERVICE VERSION}. */
  static String header(String key) {
    return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
  }

  private static String cell(Object value) {
    return value == null || value.toString().isEmpty() ? "-" : value.toString();
  }
}
