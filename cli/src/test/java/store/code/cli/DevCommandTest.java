package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A maker's loop without a cluster: init, validate, dev, a query answered by the maker's code, a schema change that
 * restarts it, a broken schema that does not. Runs the platform's runtime from this checkout, as `make serve` does.
 */
class DevCommandTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String post(int port, String key, String query) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"" + query.replace("\"", "\\\"") + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void initValidateDevAQueryAndARestartWhenTheSchemaChanges(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("notes");
    assertThat(Run.of(ValidateCommandTest.NO_CLUSTER, "init", "notes", "--dir", root.toString()).exit()).isZero();
    assertThat(Run.of(ValidateCommandTest.NO_CLUSTER, "validate", root.resolve("service.yaml").toString()).exit()).isZero();
    Process build = new ProcessBuilder("mvn", "-B", "-q", "-f", root.resolve("code/pom.xml").toString(), "package",
        "-DskipTests").redirectErrorStream(true).redirectOutput(tmp.resolve("build.log").toFile()).start();
    assertThat(build.waitFor(5, TimeUnit.MINUTES) && build.exitValue() == 0).as("the maker code builds").isTrue();

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread dev = new Thread(() -> Codestore.commandLine(ValidateCommandTest.NO_CLUSTER, new PrintWriter(out, true),
        new PrintWriter(err, true)).execute("dev", root.resolve("service.yaml").toString(), "--port", String.valueOf(port),
        "--state", tmp.resolve("state").toString(), "--platform", Path.of("..").toAbsolutePath().normalize().toString()));
    dev.start();
    try {
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .until(() -> out.toString().contains("is serving at"));
      Matcher key = Pattern.compile("API key:\\s+(\\S+)").matcher(out.toString());
      assertThat(key.find()).as(out.toString()).isTrue();
      String k = key.group(1);
      assertThat(post(port, k, "{ hello(name: \"Ada\") }")).isEqualTo("{\"data\":{\"hello\":\"Hello, Ada!\"}}");

      // a new field: restarted, and the data API has it
      Files.writeString(root.resolve("schema.graphql"), Files.readString(root.resolve("schema.graphql"))
          .replace("text: String!", "text: String!\n  tags: String"));
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
          post(port, k, "{ notes { edges { node { text tags } } } }").startsWith("{\"data\""));
      assertThat(out.toString()).contains("change seen: restarting");

      // a schema that does not compile: said, and the running one keeps serving
      Files.writeString(root.resolve("schema.graphql"), "type Note @model {\n  text: String!!\n}\n");
      await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("not restarted"));
      assertThat(out.toString()).contains(root.resolve("schema.graphql") + ":2:");
      assertThat(post(port, k, "{ hello(name: \"Bob\") }")).contains("Hello, Bob!");
    } finally {
      dev.interrupt();
      dev.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(dev.isAlive()).isFalse();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      try {
        post(port, "x", "{ __typename }");
        return false;
      } catch (java.io.IOException gone) {
        return true;
      }
    });
  }
}
