package store.code.schema;

import java.util.Optional;

import org.semver4j.RangesListFactory;

/** Semver ranges as Projects pin versions with them (semver4j's reading, as npm's): shared by operator and CLI. */
public final class VersionRanges {
  private VersionRanges() {}

  /**
   * Why {@code range} is not a semver range, or empty when it is one (or null: no range). semver4j reads nonsense as
   * an empty list of ranges without complaint, so that is checked here.
   */
  public static Optional<String> problem(String range) {
    if (range == null) {
      return Optional.empty();
    }
    try {
      if (range.isBlank() || RangesListFactory.create(range).get().isEmpty()) {
        return Optional.of("\"" + range + "\" is not a semver range (e.g. 1.4.0, 1.x, ^1.2, ~1.2.3, >=1.2.0 <2.0.0)");
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("\"" + range + "\" is not a semver range: " + e.getMessage());
    }
  }
}
