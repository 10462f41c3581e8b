package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage benchmark at a few rounds, so its harness keeps working; its figures are not judged here. */
class StorageGatewayBenchTest {
  @Test
  void writesAReportWithBothPathsForEverySizeAndTheGatewaysMemory(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("codestore.storage-gateway.jar"));
    assertThat(jar).as("the packaged gateway (mvn package -pl storage-gateway)").exists();
    Path report = dir.resolve("storage-gateway.md");
    StorageGatewayBench.main(new String[] {report.toString(), jar.toString(), "quick"});
    String md = Files.readString(report);
    for (String size : new String[] {"16 KiB", "1 MiB", "16 MiB"}) {
      for (String row : new String[] {"PUT | direct", "PUT | gateway", "GET | direct", "GET | gateway"}) {
        assertThat(md).containsPattern("\\| " + size + " \\| " + row.replace("|", "\\|") + " \\| [0-9.]+ \\|");
      }
    }
    assertThat(md).containsPattern("Gateway resident memory after the run: [0-9]+ MiB");
  }
}
