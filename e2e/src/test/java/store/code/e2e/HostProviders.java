package store.code.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import store.code.storagegateway.StorageGateway;

/**
 * The servers behind the operator's external providers, on this host and reachable from pods: a Postgres (embedded,
 * listening on every address, password auth for non-local clients), an S3 server (s3proxy) and the storage gateway in
 * front of it, which instances reach their buckets through (the chart's own gateway Deployment is not used here: the
 * local node has no cluster DNS to find its Service by name). Writes the provider Secrets the chart's values name:
 * codestore-system/postgres-admin and codestore-system/s3.
 */
final class HostProviders implements AutoCloseable {

  static final String NAMESPACE = "codestore-system";
  static final String DATABASE_SECRET = NAMESPACE + "/postgres-admin";
  static final String STORAGE_SECRET = NAMESPACE + "/s3";

  final EmbeddedPostgres postgres;
  private final BlobStoreContext blobs;
  private final S3Proxy s3proxy;
  private final StorageGateway gateway;
  private final String hostIp;

  /** {@code state} null: throw-away data; otherwise data kept there between runs. Ports 0: any free port. */
  HostProviders(String hostIp, Path state, int postgresPort, int s3Port, int gatewayPort) throws Exception {
    this.hostIp = hostIp;
    Path hba = Files.createTempFile("pg_hba", ".conf");
    Files.writeString(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all 0.0.0.0/0 md5\n");
    EmbeddedPostgres.Builder pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "*")
        .setServerConfig("hba_file", hba.toString());
    if (postgresPort > 0) {
      pg.setPort(postgresPort);
    }
    Properties props = new Properties();
    String provider = "transient";
    if (state != null) {
      pg.setDataDirectory(state.resolve("postgres")).setCleanDataDirectory(false);
      provider = "filesystem";
      props.setProperty("jclouds.filesystem.basedir", Files.createDirectories(state.resolve("s3")).toString());
    }
    postgres = pg.start();
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("ALTER USER postgres PASSWORD 'postgres'");
    }
    blobs = ContextBuilder.newBuilder(provider).overrides(props).build(BlobStoreContext.class);
    s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://0.0.0.0:" + s3Port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_ACCESS_KEY, S3_SECRET_KEY).build();
    s3proxy.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!"STARTED".equals(s3proxy.getState()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    gateway = StorageGateway.start(new StorageGateway.Settings(URI.create("http://127.0.0.1:" + s3proxy.getPort()), "s3",
        "us-east-1", S3_ACCESS_KEY, S3_SECRET_KEY, URI.create("http://0.0.0.0:" + gatewayPort)));
  }

  /** The provider Secrets, in the operator's namespace (created if missing). */
  void writeSecrets(KubernetesClient kube) {
    writeSecrets(kube, hostIp, postgres.getPort(), s3proxy.getPort());
  }

  private static void writeSecrets(KubernetesClient kube, String hostIp, int postgresPort, int s3Port) {
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    kube.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("postgres-admin").endMetadata()
        .withStringData(Map.of("host", hostIp, "port", String.valueOf(postgresPort), "username", "postgres",
            "password", "postgres", "sslmode", "disable")).build()).serverSideApply();
    kube.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("s3").endMetadata()
        .withStringData(Map.of("endpoint", "http://" + hostIp + ":" + s3Port, "region", "us-east-1",
            "accessKeyId", S3_ACCESS_KEY, "secretAccessKey", S3_SECRET_KEY)).build()).serverSideApply();
  }

  /** Chart values that point the operator at these servers and at the locally imported images. */
  Map<String, Object> chartValues() {
    return chartValues(hostIp, gateway.port());
  }

  /** The same, for servers another process runs (make run). */
  static Map<String, Object> chartValues(String hostIp, int gatewayPort) {
    return Map.of("image.pullPolicy", "Never", "runtime.pullPolicy", "Never",
        "database.provider", "external", "database.external.secret", DATABASE_SECRET,
        "storage.provider", "external", "storage.external.secret", STORAGE_SECRET,
        "storage.external.gateway.enabled", false,
        "storage.external.gateway.endpoint", "http://" + hostIp + ":" + gatewayPort,
        "console.enabled", true, "console.pullPolicy", "Never");
  }

  /**
   * {@code make run}'s long-lived part: the servers, until SIGTERM. Kept out of the process that runs Helm, whose
   * embedded Go runtime takes over the signal handlers. Arguments: host address, state folder, file written when up.
   */
  public static void main(String[] args) throws Exception {
    HostProviders providers = new HostProviders(args[0], Path.of(args[1]), POSTGRES_PORT, S3_PORT, GATEWAY_PORT);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        providers.close();
      } catch (Exception e) {
        System.err.println("stopping: " + e.getMessage());
      }
    }));
    Files.writeString(Path.of(args[2]), "postgres " + providers.postgres.getPort() + ", s3 " + S3_PORT
        + ", storage gateway " + GATEWAY_PORT);
    new java.util.concurrent.CountDownLatch(1).await();
  }

  static final int POSTGRES_PORT = 15432;
  static final int S3_PORT = 18333;
  static final int GATEWAY_PORT = 18334;
  /** The platform's S3 keys: only the operator and the gateway use them. */
  static final String S3_ACCESS_KEY = "codestore-access";
  static final String S3_SECRET_KEY = "codestore-secret-key";

  /** The Secrets for servers another process runs (make run): same host address, fixed ports. */
  static void writeSecrets(KubernetesClient kube, String hostIp) {
    writeSecrets(kube, hostIp, POSTGRES_PORT, S3_PORT);
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    s3proxy.stop();
    blobs.close();
    postgres.close();
  }
}
