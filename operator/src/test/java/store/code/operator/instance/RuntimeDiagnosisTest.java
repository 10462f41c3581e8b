package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

class RuntimeDiagnosisTest {

  @Test
  void aRefusedSchemaChangeIsNamedWithTheRuntimesOwnWords() {
    String body = """
        {"status":"DOWN","checks":[{"name":"instance","status":"DOWN","data":{"state":"FAILED",
        "message":"the new schema would lose data, so it was not applied: field Cart.owner was removed, and 3 rows have a value in it"}},
        {"name":"Database connections health check","status":"UP"}]}""";
    var f = RuntimeDiagnosis.fromReadiness(body).orElseThrow();
    assertThat(f.reason()).isEqualTo("SchemaChangeRefused");
    assertThat(f.message()).isEqualTo("the runtime reports: the new schema would lose data, so it was not applied: "
        + "field Cart.owner was removed, and 3 rows have a value in it");
  }

  @Test
  void aRuntimeWaitingForItsDatabaseSaysSo() {
    var f = RuntimeDiagnosis.fromReadiness("""
        {"status":"DOWN","checks":[{"name":"instance","status":"DOWN","data":{"state":"STARTING",
        "message":"waiting for the database: Connection refused"}}]}""").orElseThrow();
    assertThat(f.reason()).isEqualTo("RuntimeStarting");
    assertThat(RuntimeDiagnosis.fromReadiness("{\"status\":\"UP\",\"checks\":[]}")).isEmpty();
    assertThat(RuntimeDiagnosis.fromReadiness("<html>not ours</html>")).isEmpty();
  }

  @Test
  void aContainerThatCannotStartIsNamed() {
    Pod pod = new PodBuilder().withNewMetadata().withName("runtime-abc").endMetadata().withNewStatus()
        .addNewInitContainerStatus().withName("maker-code").withNewState().withNewWaiting().withReason("ErrImageNeverPull")
        .withMessage("Container image \"acme/cart-code:1.0\" is not present with pull policy of Never").endWaiting()
        .endState().endInitContainerStatus()
        .addNewContainerStatus().withName("runtime").withNewState().withNewWaiting().withReason("PodInitializing")
        .endWaiting().endState().endContainerStatus().endStatus().build();
    var f = RuntimeDiagnosis.containerProblem(pod).orElseThrow();
    assertThat(f.reason()).isEqualTo("RuntimeErrImageNeverPull");
    assertThat(f.message()).isEqualTo("pod runtime-abc, container maker-code: ErrImageNeverPull: "
        + "Container image \"acme/cart-code:1.0\" is not present with pull policy of Never");
  }
}
