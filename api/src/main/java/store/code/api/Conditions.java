package store.code.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * metav1.Condition bookkeeping: {@code lastTransitionTime} moves only when the status flips, so a
 * reconcile that observes the same world produces an equal status and writes nothing.
 */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}

  public static Condition of(String type, boolean ok, String reason, String message, Long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(ok ? TRUE : FALSE)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(generation)
        .build();
  }

  public static Condition unknown(String type, String reason, String message, Long generation) {
    Condition c = of(type, false, reason, message, generation);
    c.setStatus(UNKNOWN);
    return c;
  }

  /**
   * Returns the new condition list: {@code next} conditions in order, each keeping the previous
   * lastTransitionTime when its status did not change.
   */
  public static List<Condition> merge(List<Condition> previous, List<Condition> next, Instant now) {
    List<Condition> out = new ArrayList<>(next.size());
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition c : next) {
      Condition copy = new ConditionBuilder(c).build();
      Optional<Condition> before = find(previous, c.getType());
      if (before.isPresent() && Objects.equals(before.get().getStatus(), c.getStatus())
          && before.get().getLastTransitionTime() != null) {
        copy.setLastTransitionTime(before.get().getLastTransitionTime());
      } else {
        copy.setLastTransitionTime(nowText);
      }
      out.add(copy);
    }
    return out;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
