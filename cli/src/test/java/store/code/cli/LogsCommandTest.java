package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import store.code.cli.client.LogsCommand;

/** How logs reads a line (reading the pods is NodeE2E's, on a real node). */
class LogsCommandTest {
  @Test
  void aRuntimeJsonLineIsShownReadablyWithItsRequest() {
    var e = LogsCommand.entry("runtime-7d9f-abcde", "2026-11-02T10:00:00.123456789Z {\"timestamp\":\"x\","
        + "\"loggerName\":\"codestore.operation\",\"level\":\"INFO\",\"message\":\"query Carts 12 ms\","
        + "\"mdc\":{\"requestId\":\"r-1\",\"caller\":\"key:key-abc\"}}");
    assertThat(e.text()).isEqualTo("2026-11-02T10:00:00.123456789Z abcde INFO  [codestore.operation] query Carts 12 ms "
        + "requestId=r-1 caller=key:key-abc");
    assertThat(e.requestId()).isEqualTo("r-1");
    assertThat(e.level()).isEqualTo("INFO");

    var error = LogsCommand.entry("runtime-7d9f-abcde", "2026-11-02T10:00:01Z {\"loggerName\":\"store.code.runtime.X\","
        + "\"level\":\"ERROR\",\"message\":\"boom\",\"exception\":{\"exceptionType\":\"java.lang.IllegalStateException\","
        + "\"message\":\"bad\"}}");
    assertThat(error.text()).contains("ERROR [X] boom").contains("\n  java.lang.IllegalStateException: bad");

    var plain = LogsCommand.entry("runtime-7d9f-abcde", "2026-11-02T10:00:02Z __  ____  __  _____   ___  __ ____");
    assertThat(plain.text()).isEqualTo("2026-11-02T10:00:02Z abcde __  ____  __  _____   ___  __ ____");
    assertThat(plain.requestId()).isNull();
  }

  @Test
  void sinceTakesShortDurationsAndRefusesOthers() {
    assertThat(LogsCommand.seconds("10m")).isEqualTo(600);
    assertThat(LogsCommand.seconds("2h")).isEqualTo(7200);
    assertThat(LogsCommand.seconds("30s")).isEqualTo(30);
    assertThatThrownBy(() -> LogsCommand.seconds("yesterday")).hasMessageContaining("is not a duration like 30s");
    assertThatThrownBy(() -> LogsCommand.seconds("0s")).hasMessageContaining("must be positive");
  }
}
