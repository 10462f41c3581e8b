package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** init writes a service to start from; validate reads it; its maker code builds and its test passes, with Maven. */
class InitCommandTest {
  @Test
  void aNewServiceValidatesAndItsCodeBuildsAndPassesItsTest(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("notes");
    Run init = Run.of(ValidateCommandTest.NO_CLUSTER, "init", "notes", "--dir", root.toString(), "--namespace", "makers");
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(root.resolve("schema.graphql")).exists();
    assertThat(Files.readString(root.resolve("service.yaml"))).contains("name: notes").contains("namespace: makers")
        .doesNotContain("schema:");

    Run valid = Run.of(ValidateCommandTest.NO_CLUSTER, "validate", root.resolve("service.yaml").toString());
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).startsWith(root.resolve("schema.graphql") + ": valid: 1 models");

    // the maker-code project: built against the SDK this build installed, its test run
    Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-f", root.resolve("code/pom.xml").toString(), "package")
        .redirectErrorStream(true).redirectOutput(tmp.resolve("mvn.log").toFile()).start();
    assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(mvn.exitValue()).as(Files.readString(tmp.resolve("mvn.log"))).isZero();
    assertThat(root.resolve("code/target/notes-code-0.1.0.jar")).exists();
    assertThat(Files.readString(root.resolve("code/target/surefire-reports/com.example.notes.HelloTest.txt")))
        .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0");

    // an error in the schema is reported in schema.graphql, where it is
    Files.writeString(root.resolve("schema.graphql"), "type Note @model {\n  text: String!!\n}\n");
    Run broken = Run.of(ValidateCommandTest.NO_CLUSTER, "validate", root.resolve("service.yaml").toString());
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).startsWith(root.resolve("schema.graphql") + ":2:");
  }

  @Test
  void nothingIsWrittenOverAndNamesAreChecked(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("keep.txt"), "mine");
    Run over = Run.of(ValidateCommandTest.NO_CLUSTER, "init", "notes", "--dir", tmp.toString());
    assertThat(over.exit()).isEqualTo(1);
    assertThat(over.err()).contains("exists and is not an empty directory; nothing was written");
    assertThat(tmp.resolve("schema.graphql")).doesNotExist();
    assertThat(Run.of(ValidateCommandTest.NO_CLUSTER, "init", "Notes_1", "--dir", tmp.resolve("x").toString()).err())
        .contains("\"Notes_1\" is not a lower-case DNS label");
  }
}
