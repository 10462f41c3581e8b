package store.code.operator.support;

import io.fabric8.kubernetes.api.model.Condition;
import store.code.api.Conditions;

/** The outcome of one provisioning step, as observed: ready or not, why, and what a person can do. */
public record StepResult(boolean ready, String reason, String message) {
  public static StepResult ready(String reason, String message) {
    return new StepResult(true, reason, message);
  }

  public static StepResult waiting(String reason, String message) {
    return new StepResult(false, reason, message);
  }

  public Condition toCondition(String type, Long generation) {
    return Conditions.of(type, ready, reason, message, generation);
  }
}
