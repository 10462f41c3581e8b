package store.code.runtime.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class ResultJsonTest {

  @Test
  void writesTheSameBytesAsTheMapperForEveryKindOfValue() throws Exception {
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("name", "Für \"Elise\"\n\u2028 tab\t");
    node.put("seats", 4);
    node.put("big", 9_007_199_254_740_993L);
    node.put("price", 0.99);
    node.put("whole", 1.0);
    node.put("exact", new BigDecimal("12.3400"));
    node.put("huge", new BigInteger("123456789012345678901234567890"));
    node.put("open", true);
    node.put("missing", null);
    node.put("at", Instant.parse("2026-11-24T10:00:00Z")); // not a JSON type: through the mapper
    node.put("tags", List.of("a", "b"));
    node.put("nested", List.of(Map.of("k", List.of())));
    List<Object> edges = new ArrayList<>();
    edges.add(Map.of("node", node));
    edges.add(null);
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("data", Map.of("rooms", Map.of("edges", edges)));
    response.put("errors", List.of(Map.of("message", "x", "path", List.of("rooms", 0), "extensions", Map.of("code", "BAD_INPUT"))));

    String ours = new String(ResultJson.write(response, mapper), StandardCharsets.UTF_8);
    assertThat(ours).isEqualTo(mapper.writeValueAsString(response));
    assertThat(ours).contains("\"whole\":1.0").contains("\"missing\":null").contains("\"big\":9007199254740993");
  }

  @Test
  void millisecondsHaveTwoDecimals() {
    assertThat(GraphqlResource.millis(12_345_678)).isEqualTo("12.35");
    assertThat(GraphqlResource.millis(1_050_000)).isEqualTo("1.05");
    assertThat(GraphqlResource.millis(999)).isEqualTo("0.00");
    assertThat(GraphqlResource.millis(3_000_000_000L)).isEqualTo("3000.00");
  }

  @Test
  void aResponseOverTheCapStopsBeingWrittenThere() {
    ObjectMapper mapper = new ObjectMapper();
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      rows.add(Map.of("name", "row " + i));
    }
    Map<String, Object> response = Map.of("data", Map.of("rows", rows));
    int size = ResultJson.write(response, mapper).length;
    assertThat(ResultJson.write(response, mapper, size)).hasSize(size);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResultJson.write(response, mapper, size - 1))
        .isInstanceOf(ResultJson.TooLarge.class).hasMessageContaining(String.valueOf(size - 1));
  }
}
