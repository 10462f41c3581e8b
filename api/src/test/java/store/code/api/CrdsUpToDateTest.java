package store.code.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The committed crds/ must be exactly what the API classes generate; run `make crds` to refresh. */
class CrdsUpToDateTest {
  @Test
  void committedCrdsMatchTheApiClasses() throws Exception {
    Path crds = Path.of(System.getProperty("user.dir")).getParent().resolve("crds");
    Map<String, String> generated = CrdWriter.generate();
    assertThat(generated).hasSize(CrdWriter.KINDS.size());
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path committed = crds.resolve(e.getKey());
      assertThat(committed).as("%s is missing: run `make crds`", committed).exists();
      assertThat(Files.readString(committed))
          .as("%s is stale: run `make crds` and commit the result", committed)
          .isEqualTo(e.getValue());
    }
  }
}
