package store.code.operator.instance.database;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 */
public final class ExternalDatabase implements DatabaseProvider {
  private final KubernetesClient client;
  private final Applier applier;
  private final String adminSecretRef;

  public ExternalDatabase(KubernetesClient client, Applier applier, String adminSecretRef) {
    this.client = client;
    this.applier = applier;
    this.adminSecretRef = adminSecretRef;
  }

  /** Secret db-app for an instance: a pure function of the admin connection and the target. */
  public static Secret appSecret(Target t, AdminConnection admin) {
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
        + "?password=" + password + "&user=" + db);
    return new SecretBuilder().withMetadata(t.meta(RuntimeManifests.DATABASE_SECRET))
        .withType("kubernetes.io/basic-auth").withStringData(data).build();
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
      return StepResult.waiting("ProviderMisconfigured", e.getMessage());
    }
    Secret desired = appSecret(t, admin);
    Secret actual = client.secrets().inNamespace(t.namespace()).withName(RuntimeManifests.DATABASE_SECRET).get();
    if (!Applier.isUpToDate(actual, desired)) {
      // The Secret is written only after the role and database exist, so a runtime never sees credentials that do not work.
      try {
        ensureDatabase(admin, InstanceNames.databaseName(t.namespace()), password(admin.password(), t.namespace()));
      } catch (SQLException e) {
        return StepResult.waiting("DatabaseUnreachable", "could not create database on " + admin.host() + ":"
            + admin.port() + " with the admin connection from Secret " + adminSecretRef + ": " + e.getMessage());
      }
      applier.apply(desired, actual);
    }
    return StepResult.ready("DatabaseReady", "database " + InstanceNames.databaseName(t.namespace()) + " on "
        + admin.host() + ":" + admin.port());
  }

  /** Idempotent: creates or updates the role (password), creates the database if missing. */
  public static void ensureDatabase(AdminConnection admin, String name, String password) throws SQLException {
    try (Connection c = connect(admin)) {
      boolean roleExists = exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
      try (Statement st = c.createStatement()) {
        // Identifiers cannot be bound parameters; the name is derived by us ([a-z0-9_] only) and quoted anyway.
        String verb = roleExists ? "ALTER ROLE " : "CREATE ROLE ";
        st.execute(verb + quote(name) + " LOGIN PASSWORD " + literal(password));
        if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
          st.execute("CREATE DATABASE " + quote(name) + " OWNER " + quote(name));
        }
        st.execute("REVOKE ALL ON DATABASE " + quote(name) + " FROM PUBLIC");
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
