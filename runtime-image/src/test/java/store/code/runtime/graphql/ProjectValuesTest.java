package store.code.runtime.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectValuesTest {

  /** The layout the kubelet gives a Secret volume: keys are links into a timestamped directory behind {@code ..data}. */
  @Test
  void secretsAreReadFromAMountedSecretWithoutTheKubeletsBookkeeping(@TempDir Path dir) throws IOException {
    Path stamp = Files.createDirectory(dir.resolve("..2026_12_02_10_00_00.1"));
    Files.writeString(stamp.resolve("stripe-key"), "sk_test_42");
    Files.writeString(stamp.resolve("SMTP_PASSWORD"), "line one\nline two\n");
    Path data = Files.createSymbolicLink(dir.resolve("..data"), stamp.getFileName());
    Files.createSymbolicLink(dir.resolve("stripe-key"), data.getFileName().resolve("stripe-key"));
    Files.createSymbolicLink(dir.resolve("SMTP_PASSWORD"), data.getFileName().resolve("SMTP_PASSWORD"));

    assertThat(ProjectValues.secretsFrom(dir))
        .isEqualTo(Map.of("stripe-key", "sk_test_42", "SMTP_PASSWORD", "line one\nline two\n"));
  }

  @Test
  void aMissingDirectoryIsAnErrorNamingItAndNoValueIsEverPrinted(@TempDir Path dir) {
    assertThatThrownBy(() -> ProjectValues.secretsFrom(dir.resolve("absent"))).isInstanceOf(IOException.class)
        .hasMessageContaining("absent");
    ProjectValues v = new ProjectValues(Map.of("CURRENCY", "CHF"), Map.of("stripe-key", "sk_test_42"));
    assertThat(v.toString()).contains("stripe-key", "CURRENCY").doesNotContain("sk_test_42");
  }

  @Test
  void configComesFromTheConfigVariablesOnly() {
    assertThat(ProjectValues.configFrom(Map.of("CODESTORE_CONFIG_CURRENCY", "CHF", "CODESTORE_DB_PASSWORD", "x",
        "HOME", "/root"))).isEqualTo(Map.of("CURRENCY", "CHF"));
  }
}
