package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The maker-code benchmark at a size that proves only that it still runs: the packaged runtime serves the cart's
 * {@code total} through its maker-code process (the harness checks the value), and the report has both queries.
 */
class MakerCodeBenchTest {

  @Test
  void measuresTheCartsTotalAndItsItemsOnThePackagedRuntime() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Path report = Files.createTempFile("maker-code", ".md");
    System.setProperty("codestore.bench.root", root.toString());
    System.setProperty("codestore.bench.requests", "20");
    try {
      MakerCodeBench.main(new String[] {report.toString(),
          "now=" + root.resolve("runtime-image/target/quarkus-app/quarkus-run.jar")});
    } finally {
      System.clearProperty("codestore.bench.requests");
      System.clearProperty("codestore.bench.root");
    }
    assertThat(Files.readString(report)).contains("| now | `total (@code)` |", "| now | `items (generated)` |");
  }
}
