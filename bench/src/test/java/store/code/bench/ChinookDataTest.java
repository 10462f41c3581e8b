package store.code.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.ObjectMapper;

import store.code.runtime.TestApi;

/**
 * The benchmark's inputs: the generated catalogue in the tables the runtime makes from {@code chinook.graphql}, and
 * our side of every benchmark query answering with the shape the report assumes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChinookDataTest {

  TestApi api;
  Map<String, Long> counts;

  @BeforeAll
  void seed() throws Exception {
    api = TestApi.start(new String(ChinookData.class.getResourceAsStream("/chinook.graphql").readAllBytes()));
    try (Connection c = api.dataSource.getConnection()) {
      counts = ChinookData.seed(c, 1);
    }
  }

  @Test
  void theCatalogueHasChinooksShape() {
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("artist", 275L, "album", 550L, "track", 5500L,
        "genre", 25L, "playlist", 20L, "playlist_track", 10_000L));
  }

  @Test
  void aScaleBelowOneIsRefused() {
    assertThatThrownBy(() -> ChinookData.seed(null, 0)).hasMessageContaining("scale must be at least 1, got 0");
  }

  @Test
  void everyQueryOfTheBenchmarkAnswersWithTheShapeTheReportAssumes() {
    int answeredBySql = TestApi.ANSWERED_FROM_SQL.get();
    Map<String, Object> flat = api.ok(query("flat list of 20"));
    assertThat(TestApi.<List<?>>at(flat, "tracks.edges")).hasSize(20);

    Map<String, Object> nested = api.ok(query("three-level nested"));
    List<Map<String, Object>> artists = TestApi.at(nested, "artists.edges");
    assertThat(artists).hasSize(10);
    List<Map<String, Object>> albums = TestApi.at(artists.get(0), "node.albums");
    assertThat(albums).hasSize(2);
    assertThat(TestApi.<List<?>>at(albums.get(0), "tracks")).hasSize(10);

    Map<String, Object> five = api.ok(query("five-level nested"));
    List<Map<String, Object>> playlists = TestApi.at(five, "playlists.edges");
    assertThat(playlists).hasSize(5);
    List<Map<String, Object>> entries = TestApi.at(playlists.get(0), "node.entries");
    assertThat(entries).hasSize(20);
    assertThat(TestApi.<String>at(entries.get(0), "track.album.artist.name")).startsWith("Artist ");

    Map<String, Object> search = api.ok(query("filtered search"));
    int total = TestApi.<Number>at(search, "tracks.totalCount").intValue();
    assertThat(total).as("about one track in ten has Love in its name").isBetween(300, 1200);
    assertThat(TestApi.<List<?>>at(search, "tracks.edges")).hasSize(20);

    assertThat(TestApi.ANSWERED_FROM_SQL.get() - answeredBySql)
        .as("every query Postgres answered, each compared byte for byte with graphql-java's answer").isEqualTo(4);

    Map<String, Object> created = api.ok(query("create mutation"));
    assertThat(TestApi.<String>at(created, "createArtist.name")).isEqualTo("Bench Artist");
  }

  @Test
  void answersWithTheSameValuesCompareEqualWhateverTheirShapeAndIds() throws Exception {
    ObjectMapper json = new ObjectMapper();
    var ours = json.readTree("{\"tracks\":{\"edges\":[{\"node\":{\"id\":\"a\",\"name\":\"x\",\"ms\":1}},{\"node\":{\"name\":\"y\",\"ms\":2.0}}]}}");
    var theirs = json.readTree("{\"allTracks\":{\"nodes\":[{\"name\":\"y\",\"ms\":2},{\"id\":\"b\",\"name\":\"x\",\"ms\":1}]}}");
    var other = json.readTree("{\"allTracks\":{\"nodes\":[{\"name\":\"y\",\"ms\":3},{\"name\":\"x\",\"ms\":1}]}}");
    assertThat(ComparisonBench.leaves(ours)).isEqualTo(ComparisonBench.leaves(theirs));
    assertThat(ComparisonBench.leaves(ours)).isNotEqualTo(ComparisonBench.leaves(other));
  }

  static String query(String name) {
    return ComparisonBench.QUERIES.stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow().ours();
  }
}
