package store.code.runtime.graphql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.schema.DataFetchingEnvironment;

import store.code.runtime.ApiError;
import store.code.runtime.sql.Access;
import store.code.runtime.sql.Db;

/**
 * One API request: who made it ({@link Access}), its deadline, and its database connection, taken from the pool on
 * first use and returned when the request ends. Query fields run in autocommit (one statement each); each mutation
 * field runs in a transaction of its own.
 *
 * <p>The deadline bounds the whole request, not each statement: a field that starts after it answers
 * {@code REQUEST_TIMEOUT} without touching the database, and once less time is left than the statement timeout,
 * the session's {@code statement_timeout} is lowered to what is left (and reset before the connection goes back to
 * the pool), so Postgres itself cancels a statement that would run past the deadline. Requests that end well inside
 * their time send nothing extra.
 */
final class RequestScope implements AutoCloseable {

  static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";

  private final Db db;
  private final String requestId;
  private final Access access;
  private final Duration timeout;
  private final long deadline;
  private final boolean answersFromSql;
  private Supplier<ExecutableNormalizedOperation> operation;
  private Connection connection;
  private boolean statementTimeoutLowered;

  RequestScope(Db db, String requestId, Access access, Duration timeout, boolean answersFromSql) {
    this.db = db;
    this.answersFromSql = answersFromSql;
    this.requestId = requestId;
    this.access = access;
    this.timeout = timeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  /** Whether a cancelled statement was cancelled for the request's deadline (its time is up, or was lowered to it). */
  boolean deadlineCancels() {
    return statementTimeoutLowered || deadline - System.nanoTime() <= 0;
  }

  ApiError deadlineError() {
    return new ApiError(REQUEST_TIMEOUT, "the request ran past its limit of " + timeout.toMillis() / 1000.0
        + " s; the fields still missing were not run: ask for less in one request");
  }

  /** What is left of the request's time (zero once it is up). */
  Duration timeLeft() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** Whether query fields Postgres can answer whole are answered so ({@link SqlAnswers}). */
  boolean answersFromSql() {
    return answersFromSql;
  }

  /** The operation that runs, normalized (set once it is chosen and has passed every check). */
  void operation(Supplier<ExecutableNormalizedOperation> normalized) {
    this.operation = normalized;
  }

  /** The normalized field a data fetcher is running for: what its read plan is made from. */
  ExecutableNormalizedField field(DataFetchingEnvironment env) {
    return operation.get().getNormalizedField(env.getMergedField(), env.getExecutionStepInfo().getObjectType(),
        env.getExecutionStepInfo().getPath());
  }

  String requestId() {
    return requestId;
  }

  Access access() {
    return access;
  }

  Connection connection() {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw deadlineError();
    }
    if (connection == null) {
      try {
        connection = db.connect();
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        throw new IllegalStateException("no database connection: " + e.getMessage(), e);
      }
    }
    long leftMillis = Math.max(1, left / 1_000_000);
    if (leftMillis < db.timeoutSeconds() * 1000L) {
      setStatementTimeout(Long.toString(leftMillis));
      statementTimeoutLowered = true;
    }
    return connection;
  }

  /** {@code SET statement_timeout}, outside any transaction (the callers of {@link #connection()} start theirs after). */
  private void setStatementTimeout(String millisOrDefault) {
    try (Statement st = connection.createStatement()) {
      st.execute("SET statement_timeout = " + millisOrDefault);
    } catch (SQLException e) {
      throw db.translate(e);
    }
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
    if (connection != null && statementTimeoutLowered) {
      try {
        setStatementTimeout("DEFAULT");
      } catch (RuntimeException e) {
        try {
          connection.abort(Runnable::run); // never back to the pool with this request's timeout
        } catch (SQLException ignored) {
          // already broken
        }
      }
    }
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
