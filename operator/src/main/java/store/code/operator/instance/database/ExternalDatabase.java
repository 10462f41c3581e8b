package store.code.operator.instance.database;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Reasons;
import store.code.api.v1alpha1.CodeService;
import store.code.operator.instance.InstanceNames;
import store.code.operator.instance.RuntimeManifests;
import store.code.operator.instance.Target;
import store.code.operator.support.Applier;
import store.code.operator.support.ProviderConfigException;
import store.code.operator.support.StepResult;

/**
 * An existing Postgres server: one role and one database per instance, created over JDBC with the
 * admin connection, and Secret {@code db-app} written with CNPG's keys.
 *
 * <p>The instance password is derived (HMAC of the instance's namespace name keyed by the admin
 * password), so it is stable across reconciles and restarts without being stored anywhere else.
 * Rotating the admin password rotates every instance password on the next reconcile.
 *
 * <p>The server is shared by every tenant, so each role is confined ({@link #ensureDatabase}): a
 * connection limit sized from the runtime's pool and the most pods the service may run, default
 * statement and idle-transaction timeouts, CONNECT only on its own database (not on {@code postgres},
 * {@code template1} or another tenant's), and a database created from {@code template0} so nothing a
 * role could have left in {@code template1} is copied into it.
 */
public final class ExternalDatabase implements DatabaseProvider {
  /** The runtime's connection pool size (its CODESTORE_DB_POOL_SIZE default). */
  static final int RUNTIME_POOL_SIZE = 16;
  /** Default for every statement of a tenant role; the runtime's own timeouts are shorter, its migrations lift it. */
  static final String ROLE_STATEMENT_TIMEOUT = "60s";
  static final String ROLE_IDLE_IN_TRANSACTION_TIMEOUT = "60s";
  /** On Secret db-app: the role's connection limit, so a change to the service's replicas re-applies it. */
  static final String CONNECTION_LIMIT_ANNOTATION = "code.store/connection-limit";

  private final KubernetesClient client;
  private final Applier applier;
  private final String adminSecretRef;

  public ExternalDatabase(KubernetesClient client, Applier applier, String adminSecretRef) {
    this.client = client;
    this.applier = applier;
    this.adminSecretRef = adminSecretRef;
  }

  /** Secret db-app for an instance: a pure function of the admin connection, the target and its limit. */
  public static Secret appSecret(Target t, AdminConnection admin, int connectionLimit) {
    String db = InstanceNames.databaseName(t.namespace());
    String password = password(admin.password(), t.namespace());
    Map<String, String> data = new LinkedHashMap<>();
    data.put("username", db);
    data.put("password", password);
    data.put("host", admin.runtimeHost());
    data.put("port", String.valueOf(admin.runtimePort()));
    data.put("dbname", db);
    data.put("uri", "postgresql://" + db + ":" + password + "@" + admin.runtimeHost() + ":" + admin.runtimePort() + "/" + db);
    data.put("jdbc-uri", "jdbc:postgresql://" + admin.runtimeHost() + ":" + admin.runtimePort() + "/" + db
        + "?password=" + password + "&user=" + db + "&sslmode=" + admin.runtimeSslmode());
    data.put("sslmode", admin.runtimeSslmode());
    Secret secret = new SecretBuilder().withMetadata(t.meta(RuntimeManifests.DATABASE_SECRET))
        .withType("kubernetes.io/basic-auth").withStringData(data).build();
    secret.getMetadata().getAnnotations().put(CONNECTION_LIMIT_ANNOTATION, String.valueOf(connectionLimit));
    return secret;
  }

  /**
   * Connections one instance may hold: a full pool for each pod the service may run, one more pod for a rolling
   * update's surge, and two for an operator or administrator to look in.
   */
  public static int connectionLimit(CodeService service) {
    var d = service.getSpec().getDefaults();
    int replicas = d == null || d.getReplicas() == null ? 1 : d.getReplicas();
    int most = Math.max(replicas, d == null || d.getMaxReplicas() == null ? 0 : d.getMaxReplicas());
    return RUNTIME_POOL_SIZE * (most + 1) + 2;
  }

  static String password(String key, String namespace) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] d = mac.doFinal(("codestore-instance:" + namespace).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public StepResult reconcile(Target t, CodeService service) {
    AdminConnection admin;
    try {
      admin = AdminConnection.read(client, adminSecretRef);
    } catch (ProviderConfigException e) {
      return StepResult.waiting(Reasons.PROVIDER_MISCONFIGURED, e.getMessage());
    }
    int limit = connectionLimit(service);
    Secret desired = appSecret(t, admin, limit);
    Secret actual = client.secrets().inNamespace(t.namespace()).withName(RuntimeManifests.DATABASE_SECRET).get();
    String name = InstanceNames.databaseName(t.namespace());
    if (!Applier.isUpToDate(actual, desired)) {
      // The Secret is written only after the role and database exist, so a runtime never sees credentials that do not work.
      try {
        List<String> open = ensureDatabase(admin, name, password(admin.password(), t.namespace()), limit);
        if (!open.isEmpty()) {
          return StepResult.waiting(Reasons.DATABASE_NOT_CONFINED, "role " + name + " can connect to database(s) " + open
              + " on " + admin.host() + ":" + admin.port() + " besides its own, so a tenant could reach beyond it: "
              + "as their owner, run REVOKE CONNECT ON DATABASE <name> FROM PUBLIC for each (and GRANT CONNECT to the "
              + "roles that need them); the operator does so for postgres and template1 when the admin role in Secret "
              + adminSecretRef + " may");
        }
      } catch (SQLException e) {
        return StepResult.waiting(Reasons.DATABASE_UNREACHABLE, "could not create database on " + admin.host() + ":"
            + admin.port() + " with the admin connection from Secret " + adminSecretRef + ": " + e.getMessage());
      }
      applier.apply(desired, actual);
    }
    return StepResult.ready("DatabaseReady", "database " + name + " on " + admin.host() + ":" + admin.port())
        .reaching(admin.runtimeHost(), admin.runtimePort());
  }

  /**
   * Idempotent: creates or updates the role (password, limits), creates the database if missing, and takes CONNECT
   * on the server's shared databases away from PUBLIC. Returns the databases other than its own that the role can
   * still connect to (none when the admin role may revoke: it owns them or is a superuser).
   */
  public static List<String> ensureDatabase(AdminConnection admin, String name, String password, int connectionLimit)
      throws SQLException {
    try (Connection c = connect(admin)) {
      boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
      try (Statement st = c.createStatement()) {
        // Identifiers cannot be bound parameters; the name is derived by us ([a-z0-9_] only) and quoted anyway.
        String verb = roleExists ? "ALTER ROLE " : "CREATE ROLE ";
        st.execute(verb + quote(name) + " LOGIN PASSWORD " + literal(password) + " CONNECTION LIMIT " + connectionLimit);
        st.execute("ALTER ROLE " + quote(name) + " SET statement_timeout = " + literal(ROLE_STATEMENT_TIMEOUT));
        st.execute("ALTER ROLE " + quote(name) + " SET idle_in_transaction_session_timeout = "
            + literal(ROLE_IDLE_IN_TRANSACTION_TIMEOUT));
        if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
          // an admin that is not a superuser (a managed server's master user) may only give a database to a role it
          // is a member of
          st.execute("GRANT " + quote(name) + " TO CURRENT_USER");
          st.execute("CREATE DATABASE " + quote(name) + " OWNER " + quote(name) + " TEMPLATE template0");
        }
        st.execute("REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
        // the admin keeps its own way in before PUBLIC loses it (a no-op for an owner or a superuser)
        mayBeRefused(st, "GRANT CONNECT ON DATABASE postgres TO CURRENT_USER");
        for (String shared : List.of("postgres", "template1")) {
          mayBeRefused(st, "REVOKE CONNECT ON DATABASE " + quote(shared) + " FROM PUBLIC");
        }
      }
      List<String> open = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datallowconn "
          + "AND datname <> ? AND has_database_privilege(?, datname, 'CONNECT') ORDER BY datname")) {
        ps.setString(1, name);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            open.add(rs.getString(1));
          }
        }
      }
      return open;
    }
  }

  /** Runs a GRANT or REVOKE that an admin without rights on the database is refused: the check after it tells. */
  private static void mayBeRefused(Statement st, String sql) throws SQLException {
    try {
      st.execute(sql);
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) { // insufficient_privilege
        throw e;
      }
    }
  }

  @Override
  public void deleteOutsideNamespace(Target t) throws SQLException {
    AdminConnection admin = AdminConnection.read(client, adminSecretRef);
    dropDatabase(admin, InstanceNames.databaseName(t.namespace()));
  }

  public static void dropDatabase(AdminConnection admin, String name) throws SQLException {
    try (Connection c = connect(admin); Statement st = c.createStatement()) {
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + literal(name)
          + " AND pid <> pg_backend_pid()");
      st.execute("DROP DATABASE IF EXISTS " + quote(name));
      st.execute("DROP ROLE IF EXISTS " + quote(name));
    }
  }

  private static Connection connect(AdminConnection admin) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", admin.username());
    p.setProperty("password", admin.password());
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(admin.jdbcUrl("postgres"), p);
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
