package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
/**
 * The chart's Argo CD health checks ({@code charts/codestore-operator/argocd/<Kind>.lua}) run by Debian's Lua 5.1
 * (Argo CD runs gopher-lua, a Lua 5.1) with sample objects as Argo CD passes them ({@code obj}): what each says is
 * Healthy, Progressing (including a generation the operator has not acted on yet) and Degraded (what a person must
 * fix).
 */
class ArgoCdHealthTest {
  static final Path SCRIPTS = ChartTest.CHART.resolve("argocd");
  static final String LUA = "lua5.1";
  static final com.fasterxml.jackson.databind.ObjectMapper YAML = new com.fasterxml.jackson.databind.ObjectMapper(
      new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

  @BeforeAll
  static void luaIsThere() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "command -v " + LUA).start();
    assertThat(p.waitFor()).as(LUA + " is missing: `make test` installs it (e2e/scripts/lua.sh)").isZero();
  }

  /** The object as a Lua table constructor. */
  @SuppressWarnings("unchecked")
  static String lua(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      ((Map<String, Object>) m).forEach((k, x) -> b.append("[").append(lua(k)).append("]=").append(lua(x)).append(","));
      return b.append("}").toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("{");
      l.forEach(x -> b.append(lua(x)).append(","));
      return b.append("}").toString();
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /** Runs {@code Kind.lua} with {@code obj} set from the YAML; returns "status|message". */
  static String health(String kind, String yaml) throws Exception {
    Object obj = YAML.readValue(yaml, Map.class);
    Path program = Files.createTempFile("health", ".lua");
    Files.writeString(program, "obj = " + lua(obj) + "\nlocal hs = dofile(\"" + SCRIPTS.resolve(kind + ".lua")
        + "\")\nio.write(hs.status .. \"|\" .. (hs.message or \"\"))\n");
    Process p = new ProcessBuilder(LUA, program.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    Files.delete(program);
    return out;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ServiceInstance | no status yet             | Progressing | Waiting for the code.store operator | {metadata: {generation: 1}}
      ServiceInstance | ready                     | Healthy     | Ready: serving                      | {metadata: {generation: 2}, status: {observedGeneration: 2, phase: Ready, conditions: [{type: Ready, status: 'True', reason: Ready, message: serving}]}}
      ServiceInstance | a new generation unseen   | Progressing | not acted on generation 3           | {metadata: {generation: 3}, status: {observedGeneration: 2, phase: Ready, conditions: [{type: Ready, status: 'True', reason: Ready}]}}
      ServiceInstance | waiting for its database  | Progressing | DatabaseProvisioning: cluster db    | {metadata: {generation: 1}, status: {observedGeneration: 1, phase: Provisioning, conditions: [{type: Ready, status: 'False', reason: DatabaseProvisioning, message: cluster db}]}}
      ServiceInstance | a refused schema change   | Degraded    | SchemaChangeRefused: drops a column | {metadata: {generation: 1}, status: {observedGeneration: 1, phase: Failed, conditions: [{type: Ready, status: 'False', reason: SchemaChangeRefused, message: drops a column}]}}
      Service         | published                 | Healthy     | version 1.2.0 published             | {metadata: {generation: 4}, status: {observedGeneration: 4, version: 1.2.0, conditions: [{type: Ready, status: 'True', reason: Published}]}}
      Service         | a schema that breaks      | Degraded    | BreakingChange: removes Cart.note   | {metadata: {generation: 5}, status: {observedGeneration: 5, conditions: [{type: Ready, status: 'False', reason: BreakingChange, message: removes Cart.note}]}}
      Service         | being compiled            | Progressing | not acted on generation 6           | {metadata: {generation: 6}, status: {observedGeneration: 5, conditions: []}}
      Project         | all instances ready       | Healthy     | instances ready: 4/4                | {metadata: {generation: 1}, status: {observedGeneration: 1, readyInstances: 4/4, conditions: [{type: Ready, status: 'True', reason: Ready}], instances: [{name: a, phase: Ready}]}}
      Project         | an instance failed        | Degraded    | failed instances: shop-cart-prod    | {metadata: {generation: 1}, status: {observedGeneration: 1, readyInstances: 1/2, conditions: [{type: Ready, status: 'False', reason: SchemaChangeRefused}], instances: [{name: shop-cart-dev, phase: Ready}, {name: shop-cart-prod, phase: Failed}]}}
      Project         | instances starting        | Progressing | RuntimeStarting: 1/2                | {metadata: {generation: 1}, status: {observedGeneration: 1, readyInstances: 1/2, conditions: [{type: Ready, status: 'False', reason: RuntimeStarting, message: 1/2}], instances: [{name: a, phase: Provisioning}]}}
      Project         | a bad spec                | Degraded    | InvalidSpec: unknown environment    | {metadata: {generation: 1}, status: {observedGeneration: 1, conditions: [{type: Ready, status: 'False', reason: InvalidSpec, message: unknown environment}]}}
      ApiKey          | active                    | Healthy     | accepted by 2 instances             | {metadata: {generation: 1}, status: {observedGeneration: 1, conditions: [{type: Ready, status: 'True', reason: Active, message: accepted by 2 instances}]}}
      ApiKey          | expired                   | Degraded    | Expired: expired at                 | {metadata: {generation: 1}, status: {observedGeneration: 1, conditions: [{type: Ready, status: 'False', reason: Expired, message: expired at 2026-01-01T00:00:00Z}]}}
      ApiKey          | not made yet              | Progressing | to make the key                     | {metadata: {generation: 1}}
      UsageReport     | counting                  | Healthy     | collected at 2026-11-02T10:00:00Z: 2.001234 EUR | {status: {collectedAt: '2026-11-02T10:00:00Z', total: {amount: '2.001234', currency: EUR}}}
      UsageReport     | closed                    | Healthy     | final: 9.5 EUR                      | {status: {collectedAt: '2026-12-01T00:00:05Z', final: true, total: {amount: '9.5', currency: EUR}}}
      UsageReport     | nothing collected         | Progressing | No usage collected yet              | {spec: {project: shop}}
      """)
  void saysWhatItsStatusMeans(String kind, String what, String status, String message, String yaml) throws Exception {
    String[] said = health(kind, yaml).split("\\|", 2);
    assertThat(said[0]).as(what).isEqualTo(status);
    assertThat(said[1]).as(what).contains(message);
  }
}
