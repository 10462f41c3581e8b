package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import store.code.api.v1alpha1.ServiceInstance;

/** The cleanup's patience is counted from its first failed attempt, not from the deletion request. */
class InstanceCleanupTest {

  static final Instant FIRST_FAILURE = Instant.parse("2026-11-30T23:58:00Z");

  @Test
  void theFirstFailureIsRetriedHoweverOldTheDeletionIs() {
    assertThat(InstanceCleanup.afterFailure(null, Instant.parse("2027-06-01T00:00:00Z")))
        .isEqualTo(InstanceCleanup.AfterFailure.RETRY);
  }

  @Test
  void failuresAreRetriedForTheGraceThenGivenUp() {
    assertThat(InstanceCleanup.afterFailure(FIRST_FAILURE, FIRST_FAILURE.plus(InstanceCleanup.GRACE).minusSeconds(1)))
        .isEqualTo(InstanceCleanup.AfterFailure.RETRY);
    assertThat(InstanceCleanup.afterFailure(FIRST_FAILURE, FIRST_FAILURE.plus(InstanceCleanup.GRACE)))
        .isEqualTo(InstanceCleanup.AfterFailure.GIVE_UP);
  }

  @Test
  void theFirstFailureIsReadFromTheInstanceAndAnUnreadableOneCountsAsNone() {
    ServiceInstance si = new ServiceInstance();
    assertThat(InstanceCleanup.failingSince(si)).isNull();
    si.getMetadata().setAnnotations(Map.of(InstanceCleanup.FAILING_SINCE, FIRST_FAILURE.toString()));
    assertThat(InstanceCleanup.failingSince(si)).isEqualTo(FIRST_FAILURE);
    si.getMetadata().setAnnotations(Map.of(InstanceCleanup.FAILING_SINCE, "yesterday"));
    assertThat(InstanceCleanup.failingSince(si)).isNull();
  }
}
