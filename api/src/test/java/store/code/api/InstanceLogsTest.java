package store.code.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a runtime log line reads in the CLI and the console (reading the pods is NodeE2E's, on a real node). */
class InstanceLogsTest {
  @Test
  void aRuntimeJsonLineIsShownReadablyWithItsRequest() {
    var e = InstanceLogs.parse("runtime-7d9f-abcde", "2026-11-02T10:00:00.123456789Z {\"timestamp\":\"x\","
        + "\"loggerName\":\"codestore.operation\",\"level\":\"INFO\",\"message\":\"query Carts 12 ms\","
        + "\"mdc\":{\"requestId\":\"r-1\",\"caller\":\"key:key-abc\"}}");
    assertThat(e.text()).isEqualTo("2026-11-02T10:00:00.123456789Z abcde INFO  [codestore.operation] query Carts 12 ms "
        + "requestId=r-1 caller=key:key-abc");
    assertThat(e.requestId()).isEqualTo("r-1");
    assertThat(e.level()).isEqualTo("INFO");

    var error = InstanceLogs.parse("runtime-7d9f-abcde", "2026-11-02T10:00:01Z {\"loggerName\":\"store.code.runtime.X\","
        + "\"level\":\"ERROR\",\"message\":\"boom\",\"exception\":{\"exceptionType\":\"java.lang.IllegalStateException\","
        + "\"message\":\"bad\"}}");
    assertThat(error.text()).contains("ERROR [X] boom").contains("\n  java.lang.IllegalStateException: bad");

    var plain = InstanceLogs.parse("runtime-7d9f-abcde", "2026-11-02T10:00:02Z __  ____  __  _____   ___  __ ____");
    assertThat(plain.text()).isEqualTo("2026-11-02T10:00:02Z abcde __  ____  __  _____   ___  __ ____");
    assertThat(plain.requestId()).isNull();
    assertThat(plain.isError()).isFalse();
    assertThat(error.isError()).isTrue();
    assertThat(InstanceLogs.parse("p", "2026-11-02T10:00:03Z {\"level\":\"warn\",\"message\":\"slow\"}").isError())
        .as("levels are compared in upper case").isTrue();
    assertThat(InstanceLogs.parse("p", "").text()).as("an empty line is no error").isEqualTo(" p ");
  }
}
