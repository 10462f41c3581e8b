package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import store.code.cli.client.LogsCommand;

/** How logs reads --since (how a line reads: InstanceLogsTest; reading the pods: NodeE2E, on a real node). */
class LogsCommandTest {
  @Test
  void sinceTakesShortDurationsAndRefusesOthers() {
    assertThat(LogsCommand.seconds("10m")).isEqualTo(600);
    assertThat(LogsCommand.seconds("2h")).isEqualTo(7200);
    assertThat(LogsCommand.seconds("30s")).isEqualTo(30);
    assertThatThrownBy(() -> LogsCommand.seconds("yesterday")).hasMessageContaining("is not a duration like 30s");
    assertThatThrownBy(() -> LogsCommand.seconds("0s")).hasMessageContaining("must be positive");
  }
}
