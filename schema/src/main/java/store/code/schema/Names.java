package store.code.schema;

import java.util.Locale;

/** Naming rules shared by the compiler and everything that derives names from a model. */
public final class Names {
  /** Postgres truncates identifiers past 63 bytes; two long names could silently collide. */
  public static final int MAX_IDENTIFIER = 63;

  /**
   * Tables the runtime keeps for itself (schema history, usage counters and their flushes, uploads, and any it adds
   * later) start with this; no model may map onto one, or the generated API would read and write them.
   */
  public static final String RESERVED_TABLE_PREFIX = "codestore_";

  private Names() {}

  /** {@code OrderLine} -> {@code order_line}, {@code createdAt} -> {@code created_at}. */
  public static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean prevLower = i > 0 && (Character.isLowerCase(camel.charAt(i - 1)) || Character.isDigit(camel.charAt(i - 1)));
        boolean nextLower = i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
        if (i > 0 && (prevLower || (nextLower && Character.isUpperCase(camel.charAt(i - 1))))) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** {@code Book} -> {@code book}, {@code URLLink} -> {@code urlLink}. */
  public static String lowerCamel(String pascal) {
    int upper = 0;
    while (upper < pascal.length() && Character.isUpperCase(pascal.charAt(upper))) {
      upper++;
    }
    if (upper <= 1) {
      return pascal.isEmpty() ? pascal : Character.toLowerCase(pascal.charAt(0)) + pascal.substring(1);
    }
    int cut = upper == pascal.length() ? upper : upper - 1;
    return pascal.substring(0, cut).toLowerCase(Locale.ROOT) + pascal.substring(cut);
  }

  /** English plural of a lower-camel name: category -> categories, box -> boxes, book -> books. */
  public static String plural(String singular) {
    String lower = singular.toLowerCase(Locale.ROOT);
    if (lower.endsWith("y") && singular.length() > 1 && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
      return singular.substring(0, singular.length() - 1) + "ies";
    }
    if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("z") || lower.endsWith("ch") || lower.endsWith("sh")) {
      return singular + "es";
    }
    return singular + "s";
  }
}
