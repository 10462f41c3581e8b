package store.code.runtime.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import store.code.runtime.ApiError;

/**
 * Runs statements on the instance database. Every statement the runtime sends goes through here, so it is counted
 * ({@link #statements()}: tests assert how many a query costs) and bounded by the statement timeout.
 */
public final class Db {

  /**
   * Doubles are written shortest-first (Jackson's Schubfach writer), as Postgres renders float8: Java 17's
   * {@code Double.toString} sometimes writes more digits than the value needs, and an answer Postgres renders
   * ({@link ReadPlan.Style#ANSWER}) must read the same as one graphql-java writes.
   */
  public static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  public static final String RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE";

  private final DataSource dataSource;
  private final int timeoutSeconds;
  private final long maxJsonChars;
  private final AtomicLong statements = new AtomicLong();

  public Db(DataSource dataSource, int timeoutSeconds) {
    this(dataSource, timeoutSeconds, Long.MAX_VALUE);
  }

  /** {@code maxJsonChars}: a json answer longer than this is refused before it is parsed (the response cap). */
  public Db(DataSource dataSource, int timeoutSeconds, long maxJsonChars) {
    this.dataSource = dataSource;
    this.timeoutSeconds = timeoutSeconds;
    this.maxJsonChars = maxJsonChars;
  }

  public Connection connect() throws SQLException {
    return dataSource.getConnection();
  }

  public long statements() {
    return statements.get();
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** Runs a statement that returns one json value in one row (or no row), parsed. */
  public Object json(Connection c, Sql sql) {
    try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      String json = rs.getString(1);
      if (json != null && json.length() > maxJsonChars) {
        throw tooLarge(json.length());
      }
      return json == null ? null : JSON.readValue(json, new TypeReference<Object>() {});
    } catch (SQLException e) {
      throw translate(e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the database returned JSON that does not parse", e);
    }
  }

  /** Runs a statement that returns one text value in one row (or no row, null), as it is. */
  public String text(Connection c, Sql sql) {
    try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      String text = rs.getString(1);
      if (text != null && text.length() > maxJsonChars) {
        throw tooLarge(text.length());
      }
      return text;
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Runs a statement and returns its first column of every row as strings. */
  public List<String> strings(Connection c, Sql sql) {
    try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Runs an insert/update/delete; returns the rows affected. */
  public int update(Connection c, Sql sql) {
    try (PreparedStatement ps = prepare(c, sql)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Like {@link #update} but lets the SQLException through, for callers that explain constraint errors. */
  public int updateOrThrow(Connection c, Sql sql) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql)) {
      return ps.executeUpdate();
    }
  }

  public List<String> stringsOrThrow(Connection c, Sql sql) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private PreparedStatement prepare(Connection c, Sql sql) throws SQLException {
    statements.incrementAndGet();
    PreparedStatement ps = c.prepareStatement(sql.text());
    if (timeoutSeconds > 0) {
      ps.setQueryTimeout(timeoutSeconds);
    }
    int i = 1;
    for (Sql.Param p : sql.params()) {
      if (p.value() == null) {
        ps.setNull(i++, java.sql.Types.VARCHAR);
      } else if (p.value() instanceof List<?> list) {
        Array array = c.createArrayOf("text", list.stream().map(v -> v == null ? null : v.toString()).toArray());
        ps.setArray(i++, array);
      } else {
        ps.setString(i++, p.value().toString());
      }
    }
    return ps;
  }

  private ApiError tooLarge(long size) {
    return new ApiError(RESPONSE_TOO_LARGE, "the answer would be " + size + " bytes or more, over the limit of "
        + maxJsonChars + ": ask for fewer rows (first) or fewer fields");
  }

  /** SQL errors that are the client's doing become API errors; the rest stay internal. */
  public RuntimeException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("57014")) {
      return new ApiError(ApiError.TIMEOUT, "the query ran longer than the limit of " + timeoutSeconds
          + " s: ask for fewer rows (first), or filter on indexed fields");
    }
    if (state.startsWith("22")) {
      // data exceptions: a value the column type refuses (out of range, malformed)
      return ApiError.badInput("a value does not fit its field: " + firstLine(e.getMessage()));
    }
    return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).replaceFirst("^ERROR: ", "");
  }
}
