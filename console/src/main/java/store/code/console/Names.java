package store.code.console;

import java.util.regex.Pattern;

/** Names in a page's address are Kubernetes names, checked before anything is asked of the API server. */
final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** An object's name (RFC 1123 subdomain): an instance's can be longer than a label. */
  private static final Pattern SUBDOMAIN = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Names() {}

  static void object(String what, String value) {
    if (value == null || !SUBDOMAIN.matcher(value).matches()) {
      throw new BadName(what + " \"" + value + "\" is not a Kubernetes object name (lower-case letters, digits, '-' "
          + "and '.', at most 253)");
    }
  }

  static void check(String what, String value) {
    if (value == null || !DNS_LABEL.matcher(value).matches()) {
      throw new BadName(what + " \"" + value + "\" is not a Kubernetes name (lower-case letters, digits and '-', "
          + "at most 63)");
    }
  }

  /** A project's address: its namespace and its name. */
  static void project(String namespace, String name) {
    check("namespace", namespace);
    check("project", name);
  }

  static final class BadName extends RuntimeException {
    BadName(String message) {
      super(message);
    }
  }
}
