package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ComparisonSettingsTest {

  @Test
  void everyQueryUnlessSomeAreNamed() {
    assertThat(ComparisonBench.Settings.queries(null)).isEqualTo(ComparisonBench.QUERIES);
    assertThat(ComparisonBench.Settings.queries(" ")).isEqualTo(ComparisonBench.QUERIES);
    assertThat(ComparisonBench.Settings.queries("five-level nested, filtered search"))
        .extracting(ComparisonBench.Query::name).containsExactly("five-level nested", "filtered search");
  }

  @Test
  void anUnknownQueryNameIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> ComparisonBench.Settings.queries("five-level nested,six-level"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("codestore.bench.queries: no query named \"six-level\"")
        .hasMessageContaining("flat list of 20");
  }
}
