package store.code.operator.instance.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A shared Postgres server hardened per tenant, tried as a hostile tenant would with its own credentials: it cannot
 * reach {@code postgres}, {@code template1} or another tenant's database, cannot hold more connections than its
 * limit, and runs with default statement and idle timeouts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalDatabaseTest {

  EmbeddedPostgres postgres;
  AdminConnection admin;

  @BeforeAll
  void start() throws Exception {
    postgres = EmbeddedPostgres.start();
    admin = new AdminConnection("localhost", postgres.getPort(), "postgres", "postgres", "disable", "localhost",
        postgres.getPort(), "disable");
    assertThat(ExternalDatabase.ensureDatabase(admin, "tenant_a", "secret-a", 3)).isEmpty();
    assertThat(ExternalDatabase.ensureDatabase(admin, "tenant_b", "secret-b", 3)).isEmpty();
  }

  @AfterAll
  void stop() throws Exception {
    postgres.close();
  }

  Connection as(String role, String password, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", role);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database, p);
  }

  @Test
  void aTenantReachesItsOwnDatabaseAndNoOther() throws Exception {
    try (Connection c = as("tenant_a", "secret-a", "tenant_a"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE mine (x int)");
    }
    for (String other : List.of("postgres", "template1", "tenant_b")) {
      assertThatThrownBy(() -> as("tenant_a", "secret-a", other).close()).as(other)
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
    }
    try (Connection c = as("postgres", "postgres", "postgres")) {
      assertThat(c.isValid(1)).as("the admin keeps its way in").isTrue();
    }
  }

  @Test
  void aTenantHoldsNoMoreConnectionsThanItsLimit() throws Exception {
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(as("tenant_b", "secret-b", "tenant_b"));
      }
      assertThatThrownBy(() -> as("tenant_b", "secret-b", "tenant_b").close())
          .hasMessageContaining("too many connections for role");
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  @Test
  void aTenantsSessionsHaveDefaultTimeouts() throws Exception {
    try (Connection c = as("tenant_a", "secret-a", "tenant_a"); Statement st = c.createStatement()) {
      assertThat(show(st, "statement_timeout")).isEqualTo("1min");
      assertThat(show(st, "idle_in_transaction_session_timeout")).isEqualTo("1min");
    }
  }

  @Test
  void reApplyingChangesTheLimitAndKeepsTheData() throws Exception {
    assertThat(ExternalDatabase.ensureDatabase(admin, "tenant_c", "secret-c", 3)).isEmpty();
    try (Connection c = as("tenant_c", "secret-c", "tenant_c"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)");
    }
    assertThat(ExternalDatabase.ensureDatabase(admin, "tenant_c", "secret-c2", 50)).isEmpty();
    try (Connection c = as("postgres", "postgres", "postgres"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolconnlimit FROM pg_roles WHERE rolname = 'tenant_c'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(50);
    }
    try (Connection c = as("tenant_c", "secret-c2", "tenant_c"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT x FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void anAdminThatMayNotRevokeIsToldWhichDatabasesStayOpen() throws Exception {
    try (Connection c = as("postgres", "postgres", "postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE weak_admin LOGIN PASSWORD 'weak' CREATEDB CREATEROLE");
      st.execute("CREATE DATABASE shared_app");
      st.execute("GRANT CONNECT ON DATABASE postgres TO weak_admin");
    }
    AdminConnection weak = new AdminConnection("localhost", postgres.getPort(), "weak_admin", "weak", "disable",
        "localhost", postgres.getPort(), "disable");
    try {
      assertThat(ExternalDatabase.ensureDatabase(weak, "tenant_d", "secret-d", 3))
          .as("another application's database, open to PUBLIC, is reported, not closed behind its owner's back")
          .containsExactly("shared_app");
    } finally {
      try (Connection c = as("postgres", "postgres", "postgres"); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE shared_app");
      }
    }
  }

  @Test
  void theConnectionLimitCoversEveryPodTheServiceMayRunAndASurge() {
    var service = new store.code.api.v1alpha1.CodeService();
    service.setSpec(new store.code.api.v1alpha1.ServiceSpec());
    assertThat(ExternalDatabase.connectionLimit(service)).isEqualTo(16 * 2 + 2);
    var defaults = new store.code.api.v1alpha1.ServiceDefaults();
    defaults.setReplicas(2);
    defaults.setMaxReplicas(5);
    service.getSpec().setDefaults(defaults);
    assertThat(ExternalDatabase.connectionLimit(service)).isEqualTo(16 * 6 + 2);
  }

  static String show(Statement st, String setting) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
