package store.code.runtime;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.postgresql.ds.PGSimpleDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import store.code.runtime.files.Files;

/**
 * The real servers tests run against: one embedded Postgres and one S3 server (s3proxy) per test JVM, a fresh
 * database or bucket per test, so tests never see each other's rows.
 */
public final class Backends {

  public static final String ACCESS_KEY = "test-access";
  public static final String SECRET_KEY = "test-secret-key";

  private static EmbeddedPostgres postgres;
  private static S3Proxy s3proxy;
  private static BlobStoreContext blobs;
  private static final AtomicInteger SEQ = new AtomicInteger();

  private Backends() {}

  public static synchronized EmbeddedPostgres postgres() throws Exception {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
    }
    return postgres;
  }

  /** A new empty database; returns its name. */
  public static String newDatabase() throws Exception {
    String name = "t" + SEQ.incrementAndGet() + "_" + Long.toString(System.nanoTime(), 36);
    try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE \"" + name + "\"");
    }
    return name;
  }

  public static DataSource dataSource(String database) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {postgres().getPort()});
    ds.setDatabaseName(database);
    ds.setUser("postgres");
    ds.setPassword("postgres");
    return ds;
  }

  public static synchronized String s3Endpoint() throws Exception {
    if (s3proxy == null) {
      blobs = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
      s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
      s3proxy.start();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      while (!"STARTED".equals(s3proxy.getState()) && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
    }
    return "http://127.0.0.1:" + s3proxy.getPort();
  }

  /** A new empty bucket. */
  public static Files.Settings newBucket() throws Exception {
    String endpoint = s3Endpoint();
    String bucket = "b" + SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    blobs.getBlobStore().createContainerInLocation(null, bucket);
    return new Files.Settings(endpoint, "us-east-1", bucket, ACCESS_KEY, SECRET_KEY);
  }

  /** An object written into a bucket behind the API's back (as another writer with the bucket's keys could). */
  public static void putObject(Files.Settings bucket, String key, byte[] bytes) {
    blobs.getBlobStore().putBlob(bucket.bucket(), blobs.getBlobStore().blobBuilder(key).payload(bytes).build());
  }
}
