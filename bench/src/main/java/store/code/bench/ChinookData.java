package store.code.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills the tables of {@code chinook.graphql} (as the runtime's migration created them) with a deterministic music
 * catalogue of the Chinook sample database's shape: at scale 1, 275 artists, 550 albums, 5,500 tracks, 25 genres,
 * 20 playlists of 500 entries. Generated in Postgres with {@code generate_series}, so any scale is quick to make and
 * the same every time; no third-party dump is involved. Track names draw from a small vocabulary so that a substring
 * search ("Love") matches about one track in ten.
 */
public final class ChinookData {

  private ChinookData() {}

  /** Inserts the catalogue at {@code scale} and analyzes it; returns the row count of each table. */
  public static Map<String, Long> seed(Connection c, int scale) throws SQLException {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be at least 1, got " + scale);
    }
    int artists = 275 * scale;
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO genre (name) SELECT (ARRAY['Rock','Jazz','Metal','Alternative & Punk','Rock And Roll',"
          + "'Blues','Latin','Reggae','Pop','Soundtrack','Bossa Nova','Easy Listening','Heavy Metal','R&B/Soul',"
          + "'Electronica/Dance','World','Hip Hop/Rap','Science Fiction','TV Shows','Sci Fi & Fantasy','Drama',"
          + "'Comedy','Alternative','Classical','Opera'])[i] FROM generate_series(1, 25) i");
      st.execute("INSERT INTO artist (name) SELECT 'Artist ' || lpad(i::text, 6, '0') FROM generate_series(1, " + artists + ") i");
      // two albums per artist
      st.execute("INSERT INTO album (title, artist_id) SELECT a.name || ' - Album ' || n, a.id "
          + "FROM artist a, generate_series(1, 2) n");
      // ten tracks per album, names from a vocabulary; a genre for all but every 50th track
      st.execute("""
          INSERT INTO track (name, composer, milliseconds, unit_price, album_id, genre_id)
          SELECT w.words[1 + (h % 10)] || ' ' || w.words[1 + ((h / 10) % 10)] || ' ' || n,
                 CASE WHEN n % 3 = 0 THEN NULL ELSE 'Composer ' || (h % 97) END,
                 120000 + (h % 240000),
                 CASE WHEN n % 5 = 0 THEN 1.99 ELSE 0.99 END,
                 al.id,
                 CASE WHEN h % 50 = 0 THEN NULL ELSE g.id END
          FROM (SELECT id, row_number() OVER (ORDER BY title) AS r FROM album) al
          CROSS JOIN generate_series(1, 10) n
          CROSS JOIN LATERAL (SELECT abs(hashtext(al.r::text || '/' || n::text)) AS h) hh
          CROSS JOIN (SELECT ARRAY['Night','Love','Road','Fire','Blue','Heart','Rain','Dream','Gold','Sky'] AS words) w
          JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM genre) g ON g.k = hh.h % 25
          """);
      // playlists of 500 entries, tracks picked by a stride so playlists differ
      st.execute("INSERT INTO playlist (name) SELECT 'Playlist ' || i FROM generate_series(1, " + 20 * scale + ") i");
      st.execute("""
          INSERT INTO playlist_track (playlist_id, track_id, position)
          SELECT p.id, t.id, pos
          FROM (SELECT id, row_number() OVER (ORDER BY name) AS r FROM playlist) p
          CROSS JOIN generate_series(1, 500) pos
          CROSS JOIN (SELECT count(*) AS c FROM track) total
          JOIN (SELECT id, row_number() OVER (ORDER BY name, id) - 1 AS k FROM track) t
            ON t.k = (p.r * 37 + pos * 11) % total.c
          """);
      st.execute("ANALYZE");
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String table : new String[] {"artist", "album", "track", "genre", "playlist", "playlist_track"}) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
      return counts;
    }
  }
}
