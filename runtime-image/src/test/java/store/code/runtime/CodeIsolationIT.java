package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import store.code.runtime.local.LocalInstance;
import store.code.runtime.probe.Probes;

/**
 * A hostile maker's jar ({@link Probes}) served by the packaged runtime over a real Postgres and S3, its handlers in
 * the maker-code host as a child process (the pod runs the same host in its own container): every attack fails, and
 * the instance keeps serving. The child shares this machine's user and files, so what only the pod enforces (another
 * user, a read-only root, no view of the runtime's processes) is checked in the pod template (ManifestsTest) and on a
 * node (NodeE2E), not here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeIsolationIT {

  static final String SDL = """
      type Note @model { text: String! }
      type Query {
        ping: String @code(handler: "probe.ping")
        env: String @code(handler: "probe.env")
        classes: String @code(handler: "probe.classes")
        usage: String @code(handler: "probe.usage")
        steal: String @code(handler: "probe.steal")
        replay: String @code(handler: "probe.replay")
        halt: Int @code(handler: "probe.halt")
        loop: Int @code(handler: "probe.loop")
        allocate: Int @code(handler: "probe.allocate")
      }
      type Mutation { writeThenFail: Note @code(handler: "probe.writeThenFail") }
      """;

  LocalInstance local;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("codestore-probe");
    Path schema = dir.resolve("probe.graphql");
    Files.writeString(schema, SDL);
    Path code = Files.createDirectories(dir.resolve("code"));
    probeJar(code.resolve("probe.jar"));
    local = LocalInstance.start(new LocalInstance.Options(Path.of(System.getProperty("codestore.runtime.jar")), schema, code,
        null, 18093, Map.of("CODESTORE_CODE_TIMEOUT", "3s", "CODESTORE_CODE_GRACE", "1s",
            "CODESTORE_USAGE_FLUSH_INTERVAL", "1h"), false));
  }

  @AfterAll
  void stop() throws Exception {
    if (local != null) {
      // what the runtime and the host said about the attacks (restarts, the watchdog), for whoever reads the report
      local.log().lines().filter(l -> l.contains("code-host") || l.contains("codestore.code") || l.contains("maker code"))
          .forEach(System.out::println);
      local.close();
    }
  }

  /** The probe classes with their service file, as a maker's jar has them. */
  static void probeJar(Path jar) throws IOException {
    Path classes = Path.of("target", "test-classes");
    Path probe = classes.resolve("store/code/runtime/probe");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(probe)) {
      StringBuilder services = new StringBuilder();
      for (Path f : files.sorted().toList()) {
        String entry = classes.relativize(f).toString().replace('\\', '/');
        out.putNextEntry(new JarEntry(entry));
        Files.copy(f, out);
        String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        if (name.contains("$") && !name.endsWith("$Probe")) {
          services.append(name).append('\n');
        }
      }
      out.putNextEntry(new JarEntry("META-INF/services/store.code.sdk.CodeHandler"));
      OutputStream o = out;
      o.write(services.toString().getBytes());
    }
  }

  JsonNode ask(String query) throws Exception {
    return local.graphql(query, null);
  }

  String pid() throws Exception {
    return ask("{ ping }").path("data").path("ping").asText();
  }

  /** The host answers again, from a new process. */
  void awaitRestartedFrom(String before) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String now = "";
    while (System.nanoTime() < until) {
      now = pid();
      if (now.startsWith("pong from ") && !now.equals(before)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the maker-code process did not come back: last answer " + now);
  }

  static String error(JsonNode answer, String field) {
    for (JsonNode e : answer.path("errors")) {
      if (e.path("path").path(0).asText().equals(field)) {
        return e.path("extensions").path("code").asText() + ": " + e.path("message").asText();
      }
    }
    throw new AssertionError("no error for " + field + " in " + answer);
  }

  @Test
  void theMakerProcessSeesNoCredentialOfTheRuntime() throws Exception {
    String seen = ask("{ env }").path("data").path("env").asText();
    assertThat(seen).contains("CODESTORE_CODE_DIR", "CODESTORE_CODE_PORT");
    for (String secret : List.of("CODESTORE_DB_", "CODESTORE_S3_", "AWS_", "CODESTORE_API_KEYS", LocalInstance.SECRET_KEY)) {
      assertThat(seen).as("the maker's environment and properties").doesNotContain(secret);
    }
  }

  @Test
  void theMakersJarSeesTheSdkAndTheJdkOnly() throws Exception {
    assertThat(ask("{ classes }").path("data").path("classes").asText()).isEqualTo("store.code.sdk.Row");
  }

  @Test
  void theUsageCountersCannotBeWrittenByMakerCode() throws Exception {
    long before = usage();
    String answers = ask("{ usage }").path("data").path("usage").asText();
    assertThat(answers).doesNotContain("WRITTEN").contains("codestore_usage: CODE_ERROR", "UsageCounter: CODE_ERROR");
    assertThat(usage()).as("only the probe's own request was counted").isEqualTo(before + 1);
  }

  long usage() throws Exception {
    return new ObjectMapper().readTree(local.manage("/usage").body()).path("requests").asLong();
  }

  @Test
  void aTokenIsGoodOnlyWhileItsCallRuns() throws Exception {
    assertThat(ask("{ steal }").path("data").path("steal").asText()).isEqualTo("stolen");
    String replayed = ask("{ replay }").path("data").path("replay").asText();
    assertThat(replayed).contains("CODE_ERROR", "no maker-code call is running with this token");
    assertThat(ask("{ notes { totalCount } }").path("data").path("notes").path("totalCount").asInt())
        .as("nothing was written with the stolen token").isZero();
  }

  @Test
  void haltingTheProcessFailsOnlyThatFieldAndTheProcessComesBack() throws Exception {
    String before = pid();
    JsonNode answer = ask("{ halt notes { totalCount } }");
    assertThat(error(answer, "halt")).startsWith("CODE_ERROR: maker code \"probe.halt\" is not answering");
    assertThat(answer.path("data").path("notes").path("totalCount").isInt()).as("the rest is served").isTrue();
    awaitRestartedFrom(before);
  }

  @Test
  void anEndlessLoopAnswersTimeoutAtTheDeadlineAndTheStuckProcessIsReplaced() throws Exception {
    String before = pid();
    long t0 = System.nanoTime();
    JsonNode answer = ask("{ loop notes { totalCount } }");
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(error(answer, "loop")).startsWith("TIMEOUT: maker code \"probe.loop\" did not answer within 3.0 s");
    assertThat(millis).as("answered at the 3 s code timeout, not later").isBetween(2900L, 8000L);
    assertThat(answer.path("data").path("notes").path("totalCount").isInt()).isTrue();
    awaitRestartedFrom(before);
  }

  @Test
  void runningOutOfMemoryFailsTheCallAndTheProcessComesBack() throws Exception {
    String before = pid();
    JsonNode answer = ask("{ allocate }");
    assertThat(error(answer, "allocate")).startsWith("CODE_ERROR");
    awaitRestartedFrom(before);
  }

  @Test
  void whatAMutationHandlerWroteIsRolledBackWhenItsProcessDies() throws Exception {
    String before = pid();
    JsonNode answer = ask("mutation { writeThenFail { id } }");
    assertThat(error(answer, "writeThenFail")).startsWith("CODE_ERROR");
    awaitRestartedFrom(before);
    assertThat(ask("{ notes(where: {text: {eq: \"must be rolled back\"}}) { totalCount } }")
        .path("data").path("notes").path("totalCount").asInt()).isZero();
  }
}
