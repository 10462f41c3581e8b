package store.code.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed crds/ (and the chart's copy) must be exactly what the API classes generate; `make crds` refreshes. */
class CrdsUpToDateTest {
  @ParameterizedTest
  @ValueSource(strings = {"crds", "charts/codestore-operator/crds"})
  void committedCrdsMatchTheApiClasses(String folder) throws Exception {
    Path crds = Path.of(System.getProperty("user.dir")).getParent().resolve(folder);
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
