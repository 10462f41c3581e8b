package store.code.runtime.graphql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

import store.code.runtime.sql.Access;
import store.code.runtime.sql.Db;

/**
 * One API request: who made it ({@link Access}) and its database connection, taken from the pool on first use and
 * returned when the request ends. Query fields run in autocommit (one statement each); each mutation field runs in a
 * transaction of its own.
 */
final class RequestScope implements AutoCloseable {

  private final Db db;
  private final String requestId;
  private final Access access;
  private Connection connection;

  RequestScope(Db db, String requestId, Access access) {
    this.db = db;
    this.requestId = requestId;
    this.access = access;
  }

  String requestId() {
    return requestId;
  }

  Access access() {
    return access;
  }

  Connection connection() {
    if (connection == null) {
      try {
        connection = db.connect();
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        throw new IllegalStateException("no database connection: " + e.getMessage(), e);
      }
    }
    return connection;
  }

  /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
  <T> T transaction(Function<Connection, T> work) {
    Connection c = connection();
    try {
      c.setAutoCommit(false);
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      rollback(c);
      throw new IllegalStateException("commit failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollback(c);
      throw e;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException e) {
        close();
      }
    }
  }

  private void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      close(); // a broken connection goes back to the pool closed, never half-way through a transaction
    }
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the pool discards it
      }
      connection = null;
    }
  }
}
