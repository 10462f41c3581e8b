package store.code.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;

class ConditionsTest {
  private static final Instant T1 = Instant.parse("2026-11-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2026-11-01T11:00:00Z");

  @Test
  void transitionTimeStaysWhileStatusIsUnchanged() {
    List<Condition> first = Conditions.merge(List.of(), List.of(Conditions.of("Ready", false, "Waiting", "a", 1L)), T1);
    assertThat(first.get(0).getLastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");

    List<Condition> same = Conditions.merge(first, List.of(Conditions.of("Ready", false, "StillWaiting", "b", 2L)), T2);
    assertThat(same.get(0).getLastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");
    assertThat(same.get(0).getReason()).isEqualTo("StillWaiting");

    List<Condition> flipped = Conditions.merge(same, List.of(Conditions.of("Ready", true, "Ready", "ok", 2L)), T2);
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-11-01T11:00:00Z");
  }

  @Test
  void identicalInputsGiveEqualLists() {
    List<Condition> a = Conditions.merge(List.of(), List.of(Conditions.of("Ready", true, "Ready", "ok", 1L)), T1);
    List<Condition> b = Conditions.merge(a, List.of(Conditions.of("Ready", true, "Ready", "ok", 1L)), T2);
    assertThat(b).isEqualTo(a);
    assertThat(Conditions.isTrue(b, "Ready")).isTrue();
    assertThat(Conditions.isTrue(b, "Other")).isFalse();
  }
}
