package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import store.code.api.Labels;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;
import store.code.operator.instance.storage.ExternalStorage;
import store.code.api.SecretData;
import store.code.storagegateway.StorageGateway;

/**
 * The external providers for real: a Postgres server (embedded) and an S3 server (s3proxy) behind the storage gateway.
 * The instance's database and bucket exist and work with the credentials the runtime gets, those credentials open
 * nothing else, and the Delete policy removes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class ExternalProvidersIT {
  static final String ACCESS_KEY = "codestore-test";
  static final String SECRET_KEY = "codestore-test-secret";

  KubeCluster cluster;
  EmbeddedPostgres postgres;
  S3Proxy s3proxy;
  StorageGateway gateway;
  ExternalStorage.Endpoint s3;

  @BeforeAll
  void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    Properties props = new Properties();
    BlobStoreContext blobs = ContextBuilder.newBuilder("transient").overrides(props).build(BlobStoreContext.class);
    s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    s3proxy.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(s3proxy.getState()));
    String endpoint = "http://127.0.0.1:" + s3proxy.getPort();
    s3 = new ExternalStorage.Endpoint(endpoint, "us-east-1", ACCESS_KEY, SECRET_KEY);
    gateway = StorageGateway.start(new StorageGateway.Settings(URI.create(endpoint), "s3", "us-east-1", ACCESS_KEY,
        SECRET_KEY, URI.create("http://127.0.0.1:0")));

    cluster = new KubeCluster();
    DumpOnFailure.cluster = cluster;
    cluster.installCodestoreCrds();
    cluster.fakeDeploymentController();
    cluster.writeExternalDatabaseSecret(postgres.getPort());
    cluster.admin.secrets().inNamespace("codestore-system").resource(new SecretBuilder().withNewMetadata()
        .withName("s3").endMetadata().withStringData(Map.of("endpoint", endpoint, "region", "us-east-1",
            "accessKeyId", ACCESS_KEY, "secretAccessKey", SECRET_KEY))
        .build()).serverSideApply();
    cluster.startOperator(OperatorSettings.defaults()
        .withDatabase(OperatorSettings.DatabaseProvider.external, KubeCluster.EXTERNAL_DATABASE_SECRET)
        .withStorage(OperatorSettings.StorageProvider.external, "codestore-system/s3")
        .withStorageGateway(gatewayEndpoint()));
  }

  String gatewayEndpoint() {
    return "http://127.0.0.1:" + gateway.port();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (s3proxy != null) {
      s3proxy.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void databaseAndBucketAreCreatedUsableAndRemovedWithDeletePolicy() throws Exception {
    for (HasMetadata o : cluster.admin.load(getClass().getResourceAsStream("/external-project.yaml")).items()) {
      cluster.admin.resource(o).serverSideApply();
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("shop").withName("notes-books-dev").get();
      assertThat(si.getStatus().getPhase()).as(String.valueOf(si.getStatus().getConditions())).isEqualTo(Phase.Ready);
    });
    ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("shop").withName("notes-books-dev").get();
    String ns = InstanceNames.targetNamespace(si);
    String db = InstanceNames.databaseName(ns);

    // The runtime's credentials work: connect as the instance role to its own database and use it.
    Map<String, String> app = SecretData.decode(cluster.admin.secrets().inNamespace(ns).withName("db-app").get());
    assertThat(app).containsKeys("username", "password", "host", "port", "dbname", "uri", "jdbc-uri");
    assertThat(app.get("dbname")).isEqualTo(db);
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + app.get("host") + ":" + app.get("port") + "/"
        + app.get("dbname"), app.get("username"), app.get("password")); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE smoke (id int)");
      st.execute("INSERT INTO smoke VALUES (1)");
      try (ResultSet rs = st.executeQuery("SELECT current_user, count(*) FROM smoke GROUP BY 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(db);
      }
    }

    // The runtime's storage key is its own, valid at the gateway for its bucket only; the platform's stays out.
    Map<String, String> storage = SecretData.decode(cluster.admin.secrets().inNamespace(ns).withName("storage").get());
    assertThat(storage).containsEntry("bucket", ns).containsEntry("endpoint", gatewayEndpoint())
        .doesNotContainValue(ACCESS_KEY).doesNotContainValue(SECRET_KEY);
    try (S3Client platform = s3.client()) {
      platform.createBucket(b -> b.bucket("another-tenant"));
      platform.putObject(b -> b.bucket("another-tenant").key("private.txt"), RequestBody.fromString("not yours"));
    }
    var instanceKey = new ExternalStorage.Endpoint(storage.get("endpoint"), storage.get("region"),
        storage.get("accessKeyId"), storage.get("secretAccessKey"));
    try (S3Client client = instanceKey.client()) {
      client.headBucket(b -> b.bucket(ns));
      client.putObject(b -> b.bucket(ns).key("photos/cover.png"), RequestBody.fromString("not really a png"));
      assertThat(client.getObjectAsBytes(b -> b.bucket(ns).key("photos/cover.png")).asUtf8String())
          .isEqualTo("not really a png");
      assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket("another-tenant").key("private.txt")))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
      assertThatThrownBy(() -> client.listBuckets())
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    try (S3Client atUpstream = new ExternalStorage.Endpoint(s3.endpoint(), "us-east-1", storage.get("accessKeyId"),
        storage.get("secretAccessKey")).client()) {
      assertThatThrownBy(() -> atUpstream.headBucket(b -> b.bucket(ns))).as("the key is the gateway's, not S3's")
          .isInstanceOf(S3Exception.class);
    }
    assertThat(si.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getReason())
        .contains("DatabaseReady=DatabaseReady", "StorageReady=StorageReady");

    // Delete policy: database, role and bucket (with its objects) go away, then the namespace.
    cluster.admin.resources(Project.class).inNamespace("shop").withName("notes").delete();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(cluster.admin.resources(ServiceInstance.class).inNamespace("shop").withLabel(Labels.PROJECT, "notes")
            .list().getItems()).isEmpty());
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("database dropped").isZero();
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + db + "'")) {
        rs.next();
        assertThat(rs.getInt(1)).as("role dropped").isZero();
      }
    }
    try (S3Client client = s3.client()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.headBucket(b -> b.bucket(ns)))
          .isInstanceOf(NoSuchBucketException.class);
    }
    var namespace = cluster.admin.namespaces().withName(ns).get();
    assertThat(namespace == null || namespace.getMetadata().getDeletionTimestamp() != null).isTrue();
  }

  @Test
  void aMissingProviderSecretIsAConditionNotACrash() {
    // Another operator setting pointing at a Secret that does not exist: the instance says which and how to fix it.
    var reconcilerSettings = OperatorSettings.defaults()
        .withDatabase(OperatorSettings.DatabaseProvider.external, "codestore-system/missing");
    var provider = new store.code.operator.instance.database.ExternalDatabase(cluster.admin,
        new store.code.operator.support.Applier(cluster.admin), reconcilerSettings.externalDatabaseSecret().orElseThrow());
    var result = provider.reconcile(store.code.operator.instance.Target.of(sampleInstance()), null);
    assertThat(result.ready()).isFalse();
    assertThat(result.reason()).isEqualTo("ProviderMisconfigured");
    assertThat(result.message()).contains("codestore-system/missing").contains("host, port, username, password");
  }

  @Test
  void externalStorageWithoutAGatewayIsAConditionThatSaysWhatToSet() {
    var applier = new store.code.operator.support.Applier(cluster.admin);
    var target = store.code.operator.instance.Target.of(sampleInstance());
    var none = new ExternalStorage(cluster.admin, applier, "codestore-system/s3", null).reconcile(target);
    assertThat(none.ready()).isFalse();
    assertThat(none.reason()).isEqualTo("ProviderMisconfigured");
    assertThat(none.message()).contains("only through the storage gateway").contains("codestore.storage.gateway-endpoint");
    var notUrl = new ExternalStorage(cluster.admin, applier, "codestore-system/s3", "s3-gateway:8080").reconcile(target);
    assertThat(notUrl.reason()).isEqualTo("ProviderMisconfigured");
    assertThat(notUrl.message()).contains("\"s3-gateway:8080\" is not an http(s) URL with a host");
    assertThat(cluster.admin.secrets().inNamespace(target.namespace()).withName("storage").get())
        .as("nothing written").isNull();
  }

  private static ServiceInstance sampleInstance() {
    ServiceInstance si = new ServiceInstance();
    si.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace("shop").withName("x-y-dev").build());
    var spec = new store.code.api.v1alpha1.ServiceInstanceSpec();
    spec.setServiceRef(new store.code.api.v1alpha1.ServiceRef("y", "shop"));
    spec.setProject("x");
    spec.setEnvironment("dev");
    si.setSpec(spec);
    return si;
  }
}
