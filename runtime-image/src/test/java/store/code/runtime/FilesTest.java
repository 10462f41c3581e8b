package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static store.code.runtime.TestApi.at;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
}
