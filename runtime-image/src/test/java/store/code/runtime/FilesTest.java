package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import store.code.runtime.files.Files;

/** @file fields against a real S3 server: upload and download through pre-signed URLs, never through the runtime. */
class FilesTest {

  static final String SDL = """
      type Document @model { title: String!  scan: File @file  pages: [File!] @file }
      """;

  final HttpClient http = HttpClient.newHttpClient();

  String upload(TestApi api, String contentType, byte[] bytes) throws Exception {
    Map<String, Object> r = api.ok("mutation($t: String!) { requestUpload(contentType: $t, filename: \"scan 1.pdf\") { key uploadUrl expiresAt } }",
        "t", contentType);
    String key = at(r, "requestUpload.key");
    assertThat(key).startsWith("uploads/").endsWith("/scan_1.pdf");
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(at(r, "requestUpload.uploadUrl")))
        .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    return key;
  }

  @Test
  void uploadSetDownloadRoundTrip() throws Exception {
    Files.Settings bucket = Backends.newBucket();
    TestApi api = TestApi.start(SDL, Files.of(bucket));
    byte[] pdf = "%PDF-1.4 pretend".getBytes(StandardCharsets.UTF_8);
    String key = upload(api, "application/pdf", pdf);
    String page = upload(api, "image/png", new byte[] {1, 2, 3});

    Map<String, Object> doc = api.ok("mutation($k: String!, $p: String!) { createDocument(input: {title: \"lease\", scan: $k, pages: [$p, $k]}) "
        + "{ scan { key contentType size url } pages { key size } } }", "k", key, "p", page);
    assertThat(at(doc, "createDocument.scan.key").toString()).isEqualTo(key);
    assertThat(at(doc, "createDocument.scan.contentType").toString()).isEqualTo("application/pdf");
    assertThat((Integer) at(doc, "createDocument.scan.size")).isEqualTo(pdf.length);
    assertThat((Integer) at(doc, "createDocument.pages.0.size")).isEqualTo(3);
    assertThat(at(doc, "createDocument.pages.1.key").toString()).isEqualTo(key);

    HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(at(doc, "createDocument.scan.url"))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(pdf);
  }

  @Test
  void aKeyThatWasNeverUploadedIsRefusedAndNothingIsStored() throws Exception {
    Files.Settings bucket = Backends.newBucket();
    TestApi api = TestApi.start(SDL, Files.of(bucket));
    assertThat(api.error("mutation { createDocument(input: {title: \"x\", scan: \"uploads/nope\"}) { id } }"))
        .startsWith("no uploaded file has key \"uploads/nope\": call requestUpload");
    assertThat((Integer) at(api.ok("{ documents { totalCount } }"), "documents.totalCount")).isZero();
    assertThat(api.error("mutation { requestUpload(contentType: \"pdf\") { key } }")).contains("is not a media type");
  }

  @Test
  void withoutABucketFileOperationsSaySo() throws Exception {
    TestApi api = TestApi.start(SDL);
    assertThat(api.errorCode("mutation { requestUpload(contentType: \"image/png\") { key } }")).isEqualTo("UNAVAILABLE");
    assertThat(api.error("mutation { createDocument(input: {title: \"x\", scan: \"k\"}) { id } }")).contains("has no bucket");
    assertThat((Object) at(api.ok("mutation { createDocument(input: {title: \"plain\"}) { scan { url } } }"), "createDocument.scan"))
        .isNull();
  }

  @Test
  void onlyAKeyThisApiIssuedCanBeClaimed() throws Exception {
    Files.Settings bucket = Backends.newBucket();
    TestApi api = TestApi.start(SDL, Files.of(bucket));
    Backends.putObject(bucket, "uploads/planted/x.pdf", new byte[] {1, 2, 3});
    assertThat(api.error("mutation { createDocument(input: {title: \"x\", scan: \"uploads/planted/x.pdf\"}) { id } }"))
        .as("in the bucket, but never handed out by requestUpload").startsWith("no uploaded file has key");
    String key = upload(api, "application/pdf", new byte[] {4, 5});
    api.ok("mutation($k: String!) { createDocument(input: {title: \"a\", scan: $k}) { id } }", "k", key);
    api.ok("mutation($k: String!) { createDocument(input: {title: \"b\", scan: $k}) { id } }", "k", key);
    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM codestore_uploads")) {
      rs.next();
      assertThat(rs.getInt(1)).as("a claimed upload is no longer pending").isZero();
    }
  }

  @Test
  void aFileOverTheLimitIsRefusedAndDeleted() throws Exception {
    Files.Settings bucket = Backends.newBucket();
    Files files = Files.of(bucket, 10);
    TestApi api = TestApi.start(SDL, files);
    String key = upload(api, "application/pdf", new byte[11]);
    assertThat(api.error("mutation($k: String!) { createDocument(input: {title: \"big\", scan: $k}) { id } }", "k", key))
        .isEqualTo("the file " + key + " is 11 bytes, over this instance's limit of 10; it was deleted");
    assertThat(files.get(key)).isEmpty();
    assertThat((Integer) at(api.ok("{ documents { totalCount } }"), "documents.totalCount")).isZero();
    String small = upload(api, "application/pdf", new byte[10]);
    api.ok("mutation($k: String!) { createDocument(input: {title: \"fits\", scan: $k}) { id } }", "k", small);
  }

  @Test
  void uploadsNeverClaimedAreDeletedAnHourAfterTheirUrlExpired() throws Exception {
    Files.Settings bucket = Backends.newBucket();
    Files files = Files.of(bucket);
    TestApi api = TestApi.start(SDL, files);
    String stale = upload(api, "application/pdf", new byte[] {1});
    String fresh = upload(api, "application/pdf", new byte[] {2});
    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("UPDATE codestore_uploads SET expires_at = now() - interval '61 minutes' WHERE key = '" + stale + "'");
      assertThat(files.sweepUnclaimed(c, 100)).isEqualTo(1);
      assertThat(files.sweepUnclaimed(c, 100)).isZero();
    }
    assertThat(files.get(stale)).isEmpty();
    assertThat(files.get(fresh)).isPresent();
    assertThat(api.error("mutation($k: String!) { createDocument(input: {title: \"late\", scan: $k}) { id } }", "k", stale))
        .startsWith("no uploaded file has key");
    api.ok("mutation($k: String!) { createDocument(input: {title: \"in time\", scan: $k}) { id } }", "k", fresh);
  }

  @Test
  void openUploadsAreBounded() throws Exception {
    TestApi api = TestApi.start(SDL, Files.of(Backends.newBucket()));
    try (Connection c = api.dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO codestore_uploads SELECT 'uploads/' || i, 'image/png', now() + interval '1 hour' "
          + "FROM generate_series(1, 1000) i");
    }
    assertThat(api.errorCode("mutation { requestUpload(contentType: \"image/png\") { key } }")).isEqualTo("TOO_MANY_UPLOADS");
  }
}
