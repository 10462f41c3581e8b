package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate works offline: no cluster is asked (the Clients given here fail the test if called). */
class ValidateCommandTest {
  static final Clients NO_CLUSTER = context -> {
    throw new AssertionError("validate must not connect to a cluster");
  };

  @Test
  void aValidSchemaAndAManifestPass(@TempDir Path dir) throws Exception {
    Path sdl = Files.writeString(dir.resolve("schema.graphql"), "type Note @model { text: String }\n");
    Run r = Run.of(NO_CLUSTER, "validate", sdl.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("schema.graphql: valid: 1 models");

    Run manifest = Run.of(NO_CLUSTER, "validate", Path.of("..", "examples", "10-shopping-cart.yaml").toString());
    assertThat(manifest.exit()).as(manifest.err()).isZero();
  }

  @Test
  void errorsAreFileLineColumnMessageAlsoInsideAManifest(@TempDir Path dir) throws Exception {
    Path sdl = Files.writeString(dir.resolve("schema.graphql"), "type Note @model {\n  text: String!!\n}\n");
    Run r = Run.of(NO_CLUSTER, "validate", sdl.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith(sdl + ":2:");

    Path yaml = Files.writeString(dir.resolve("service.yaml"), """
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: notes}
        spec:
          version: 1.0.0
          schema: |
            type Note @model {
              text: String!!
            }
        """);
    Run inManifest = Run.of(NO_CLUSTER, "validate", yaml.toString());
    assertThat(inManifest.exit()).isEqualTo(1);
    // "text: String!!" is line 8 of the file; the schema block is indented by 4
    assertThat(inManifest.err()).startsWith(yaml + ":8:");
    int column = Integer.parseInt(inManifest.err().split(":")[2]);
    assertThat(column).as("a column of the file, inside the indented block").isGreaterThan(4);
  }

  @Test
  void unreadableOrWrongFilesAndUsageErrorsSaySo(@TempDir Path dir) throws Exception {
    Run missing = Run.of(NO_CLUSTER, "validate", dir.resolve("nope.graphql").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("error: cannot read").contains("nope.graphql");

    Path notService = Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Run wrong = Run.of(NO_CLUSTER, "validate", notService.toString());
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("not a Service manifest (kind: ConfigMap)");

    assertThat(Run.of(NO_CLUSTER, "validate").exit()).as("no file: a usage error").isEqualTo(2);
    assertThat(Run.of(NO_CLUSTER, "no-such-command").exit()).isEqualTo(2);
    assertThat(Run.of(NO_CLUSTER).exit()).as("no command").isEqualTo(2);
  }

  @Test
  void completionScriptsForBashAndZsh() {
    Run bash = Run.of(NO_CLUSTER, "completion", "bash");
    assertThat(bash.exit()).isZero();
    assertThat(bash.out()).contains("complete").contains("codestore").contains("marketplace").contains("promote");
    assertThat(Run.of(NO_CLUSTER, "completion", "zsh").out()).startsWith("autoload -U +X bashcompinit && bashcompinit");
    assertThat(Run.of(NO_CLUSTER, "completion", "fish").exit()).isEqualTo(2);
  }
}
