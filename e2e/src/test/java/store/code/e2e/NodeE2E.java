package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

import com.marcnuri.helm.Helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.UsageReport;

/**
 * The whole path on a real node (`make e2e`: e2e/scripts/local-cluster.sh brings up control plane, containerd,
 * kubelet, kube-proxy and the images): `helm install` of the chart (the operator runs as a pod), external Postgres and
 * S3 on this host, examples applied, runtime pods answering GraphQL through their Service, maker code running in
 * them, an additive schema change rolled out with the data kept, and both deletion policies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "hasNode", disabledReason = "no node: `make e2e` starts one (e2e/scripts/local-cluster.sh) and passes "
    + "its kubeconfig as -Dcodestore.e2e.kubeconfig")
class NodeE2E {

  static final String SYSTEM = "codestore-system";
  static final Duration PODS = Duration.ofMinutes(5);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  Path kubeconfig;
  KubernetesClient kube;
  /** The webshop's API key, from the Secret the operator wrote it into. */
  String apiKey;
  HostProviders providers;
  String hostIp;

  static String nodeKubeconfig() {
    return System.getProperty("codestore.e2e.kubeconfig", System.getenv("CODESTORE_E2E_KUBECONFIG"));
  }

  /** Runs where a node is given; `make test` has none, and the report lists this class as skipped with the reason. */
  static boolean hasNode() {
    return nodeKubeconfig() != null && !nodeKubeconfig().isBlank();
  }

  @BeforeAll
  void start() throws Exception {
    kubeconfig = Path.of(nodeKubeconfig());
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    kube = new KubernetesClientBuilder().withConfig(config).build();
    // the address pods reach this host on: the API server's (local node), or given (kind: the docker network's gateway)
    hostIp = System.getProperty("codestore.e2e.host", URI.create(config.getMasterUrl()).getHost());

    providers = new HostProviders(hostIp, null, 0, 0, 0); // Postgres and S3 on this host, reachable from pods
    providers.writeSecrets(kube);

    long t0 = System.nanoTime();
    var install = new Helm(ChartTest.CHART).install().withName("codestore").withNamespace(SYSTEM).withKubeConfig(kubeconfig);
    providers.chartValues().forEach(install::set);
    install.set("usage.collectionInterval", "5s"); // so the billing tests below do not wait a minute per pass
    install.waitReady().withTimeout(240).call();
    System.out.printf("[measure] helm install -> operator pod Ready: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  void stop() throws Exception {
    if (kube != null) {
      kube.close();
    }
    if (providers != null) {
      providers.close();
    }
  }

  /** examples/ as a user applies them, with the shopping cart's maker-code image set (it is built locally). */
  void applyExamples() throws Exception {
    try (var files = Files.list(KubeCluster.repoRoot().resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        apply(f);
      }
    }
  }

  void apply(Path f) throws Exception {
    try (InputStream in = Files.newInputStream(f)) {
      for (HasMetadata o : kube.load(in).items()) {
        kube.resource(withLocalCodeImage(o)).serverSideApply();
      }
    }
  }

  /**
   * The example shopping cart with its maker-code image, which the local build makes (the example file leaves it out:
   * elsewhere the image is in the user's registry); any other object as it is.
   */
  static HasMetadata withLocalCodeImage(HasMetadata o) {
    if (o instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource g && "Service".equals(g.getKind())
        && "shopping-cart".equals(g.getMetadata().getName())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) g.getAdditionalProperties().get("spec");
      spec.put("code", Map.of("image", "codestore/example-shopping-cart-code:0.1.0"));
    }
    return o;
  }

  ServiceInstance instance(String name) {
    return kube.resources(ServiceInstance.class).inNamespace("acme").withName(name).get();
  }

  void awaitReady(String... names) {
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
      for (String n : names) {
        ServiceInstance si = instance(n);
        assertThat(si.getStatus().getPhase()).as(n + " " + si.getStatus().getConditions()).isEqualTo(Phase.Ready);
      }
    });
  }

  /** The runtime Service's cluster IP (this host is the node: kube-proxy routes it here as for a pod). */
  String runtimeIp(String instance) {
    return kube.services().inNamespace(instance(instance).getStatus().getTargetNamespace()).withName("runtime").get()
        .getSpec().getClusterIP();
  }

  /** POST /graphql to an instance's runtime Service with this Authorization header (none when null). */
  HttpResponse<String> post(String instance, String query, String authorization) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://" + runtimeIp(instance) + ":8080/graphql"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query))));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST /graphql with the project's API key (examples/40-webshop-key.yaml). */
  JsonNode graphql(String instance, String query) throws Exception {
    return JSON.readTree(post(instance, query, "Bearer " + apiKey).body());
  }

  JsonNode ok(String instance, String query) throws Exception {
    JsonNode r = graphql(instance, query);
    assertThat(r.path("errors").isMissingNode()).as("%s -> %s", query, r).isTrue();
    return r.path("data");
  }

  @Test
  @Order(1)
  void examplesRunAsPodsAndAnswerGraphQLThroughTheirService() throws Exception {
    long t0 = System.nanoTime();
    applyExamples();
    awaitReady("webshop-cart-dev", "webshop-cart-prod", "webshop-rooms-dev", "webshop-rooms-prod");
    apiKey = LocalPlatform.apiKey(kube, "acme", "webshop-key");
    assertThat(apiKey).startsWith("csk_");
    // the key's hash reaches the pods when the kubelet next syncs their Secret volume
    JsonNode cart = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> ok("webshop-cart-dev", "mutation { createCart(input: {owner: \"ann\"}) { id status } }"), r -> true);
    System.out.printf("[measure] kubectl apply examples -> first answered GraphQL mutation: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    String id = cart.path("createCart").path("id").asText();
    ok("webshop-cart-dev", "mutation { createCartItem(input: {cartId: \"" + id + "\", sku: \"tea\", quantity: 3, unitPrice: 2.5}) { id } }");
    JsonNode nested = ok("webshop-cart-dev", "{ carts { totalCount edges { node { owner total items { sku quantity cart { owner } } } } } }");
    assertThat(nested.path("carts").path("totalCount").asInt()).isEqualTo(1);
    assertThat(nested.at("/carts/edges/0/node/items/0/cart/owner").asText()).isEqualTo("ann");
    assertThat(nested.at("/carts/edges/0/node/total").asDouble()).as("maker code in the pod").isEqualTo(7.5);
    JsonNode checkout = ok("webshop-cart-dev", "mutation { checkout(cartId: \"" + id + "\") { status } }");
    assertThat(checkout.at("/checkout/status").asText()).isEqualTo("CHECKED_OUT");
    var pod = kube.pods().inNamespace(instance("webshop-cart-dev").getStatus().getTargetNamespace()).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("runtime-")).findFirst().orElseThrow();
    assertThat(pod.getStatus().getContainerStatuses()).as("maker code ran in its own container, as user 10001 with a "
        + "read-only root, and never had to restart").anySatisfy(c -> {
          assertThat(c.getName()).isEqualTo("code");
          assertThat(c.getState().getRunning()).isNotNull();
          assertThat(c.getRestartCount()).isZero();
        });
    assertThat(ok("webshop-cart-prod", "{ carts { totalCount } }").at("/carts/totalCount").asInt())
        .as("prod has its own database").isZero();
    System.out.println("[measure] RSS of the pods' processes after the first requests: " + memory());
  }

  /**
   * Through the runtime Service on the node: no key is 401; a made key works, and a deleted one stops working, within
   * 10 s, as the operator hands the changed key hashes to the running pod (the kubelet would take about a minute).
   */
  @Test
  @Order(2)
  void withoutAKeyCallsAreRefusedAndADeletedKeyStopsWorking() throws Exception {
    HttpResponse<String> none = post("webshop-cart-dev", "{ carts { totalCount } }", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + runtimeIp("webshop-cart-dev") + ":8080/usage"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("usage is not on the API port").isEqualTo(404);

    kube.resource(kube.resources(store.code.api.v1alpha1.ApiKey.class).load(new java.io.ByteArrayInputStream("""
        apiVersion: code.store/v1alpha1
        kind: ApiKey
        metadata: {name: revocable, namespace: acme}
        spec: {project: webshop, environments: [dev], services: [cart]}
        """.getBytes())).item()).serverSideApply();
    String key = "Bearer " + LocalPlatform.apiKey(kube, "acme", "revocable");
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> post("webshop-cart-dev", "{ carts { totalCount } }", key).statusCode() == 200);
    long accepted = (System.nanoTime() - t0) / 1_000_000;
    assertThat(post("webshop-cart-prod", "{ carts { totalCount } }", key).statusCode()).as("a dev key in prod").isEqualTo(401);
    kube.resources(store.code.api.v1alpha1.ApiKey.class).inNamespace("acme").withName("revocable").delete();
    t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> post("webshop-cart-dev", "{ carts { totalCount } }", key).statusCode() == 401);
    System.out.printf("[measure] ApiKey made -> accepted by the pod: %d ms; deleted -> refused: %d ms%n",
        accepted, (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  @Order(3)
  void anAdditiveSchemaChangeRollsTheInstancesAndKeepsTheData() throws Exception {
    String before = instance("webshop-cart-dev").getStatus().getSchemaHash();
    CodeService svc = kube.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").get();
    String schema = svc.getSpec().getSchema().replace("owner: String! @index", "owner: String! @index\n  note: String");
    kube.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart")
        .edit(s -> {
          s.getSpec().setSchema(schema);
          s.getSpec().setVersion("1.1.0");
          return s;
        });
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
      ServiceInstance si = instance("webshop-cart-dev");
      assertThat(si.getStatus().getSchemaHash()).isNotEqualTo(before);
      assertThat(si.getStatus().getPhase()).isEqualTo(Phase.Ready);
      assertThat(graphql("webshop-cart-dev", "{ carts { edges { node { owner note } } } }").path("errors").isMissingNode()).isTrue();
    });
    JsonNode r = ok("webshop-cart-dev", "{ carts { edges { node { owner note status } } } }");
    assertThat(r.at("/carts/edges/0/node/owner").asText()).isEqualTo("ann");
    assertThat(r.at("/carts/edges/0/node/status").asText()).isEqualTo("CHECKED_OUT");
    assertThat(r.at("/carts/edges/0/node/note").isNull()).isTrue();
  }

  @Test
  @Order(4)
  void aSchemaChangeThatWouldLoseDataIsRefusedByTheRuntimeAndTheInstanceSaysWhy() throws Exception {
    var services = kube.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart");
    String kept = services.get().getSpec().getSchema();
    String servedHash = instance("webshop-cart-dev").getStatus().getSchemaHash(); // 1.1.0's, which the pods run
    services.edit(s -> {
      s.getSpec().setSchema(kept.replace("  note: String\n", ""));
      s.getSpec().setVersion("2.0.0");
      return s;
    });
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
      var runtime = store.code.api.Conditions.find(instance("webshop-cart-dev").getStatus().getConditions(), "RuntimeReady")
          .orElseThrow();
      assertThat(runtime.getReason()).isEqualTo("SchemaChangeRefused");
      assertThat(runtime.getMessage()).contains("field Cart.note was removed");
      // found by the dry run against the running pods' database, before any pod of 2.0.0 was made
      var check = instance("webshop-cart-dev").getStatus().getUpgrade();
      assertThat(check.getResult()).isEqualTo("Refused");
      assertThat(check.getFromVersion() + " -> " + check.getToVersion()).isEqualTo("1.1.0 -> 2.0.0");
      assertThat(check.getBreakingChanges()).anySatisfy(c -> assertThat(c).contains("Cart.note"));
    });
    // the pods of the previous schema keep serving meanwhile
    assertThat(ok("webshop-cart-dev", "{ carts { edges { node { owner note } } } }").at("/carts/edges/0/node/owner").asText())
        .isEqualTo("ann");
    // ...even one restarted meanwhile (evicted, drained, out of memory): it mounts the schema of its own version
    String ns = instance("webshop-cart-dev").getStatus().getTargetNamespace();
    var oldPods = kube.pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "codestore-runtime").list().getItems()
        .stream().filter(p -> servedHash.equals(p.getMetadata().getAnnotations().get(Labels.SCHEMA_HASH_ANNOTATION)))
        .toList();
    assertThat(oldPods).as("pods of the schema served").isNotEmpty();
    kube.pods().inNamespace(ns).withName(oldPods.get(0).getMetadata().getName()).withGracePeriod(0).delete();
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
      var again = kube.pods().inNamespace(ns).withLabel("app.kubernetes.io/name", "codestore-runtime").list().getItems()
          .stream().filter(p -> servedHash.equals(p.getMetadata().getAnnotations().get(Labels.SCHEMA_HASH_ANNOTATION)))
          .filter(p -> !p.getMetadata().getName().equals(oldPods.get(0).getMetadata().getName()))
          .filter(p -> p.getStatus().getConditions().stream()
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))).toList();
      assertThat(again).as("a pod of the previous version, back and ready").isNotEmpty();
      assertThat(ok("webshop-cart-dev", "{ carts { edges { node { owner note } } } }").at("/carts/edges/0/node/owner")
          .asText()).isEqualTo("ann");
    });
    services.edit(s -> {
      s.getSpec().setSchema(kept);
      s.getSpec().setVersion("2.0.1");
      return s;
    });
    awaitReady("webshop-cart-dev");
    // prod is pinned to 1.x (examples/30-webshop-project.yaml): none of this reached it
    assertThat(instance("webshop-cart-prod").getStatus().getServiceVersion()).isEqualTo("1.1.0");
    assertThat(ok("webshop-cart-prod", "{ carts { totalCount } }").at("/carts/totalCount").isInt()).isTrue();

    // an additive version: the dry run plans it, dev moves, and dev and prod serve different schemas side by side
    services.edit(s -> {
      s.getSpec().setSchema(kept.replace("owner: String! @index", "owner: String! @index\n  coupon: String"));
      s.getSpec().setVersion("2.1.0");
      return s;
    });
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
      ServiceInstance dev = instance("webshop-cart-dev");
      assertThat(dev.getStatus().getServiceVersion()).isEqualTo("2.1.0");
      assertThat(dev.getStatus().getPhase()).isEqualTo(Phase.Ready);
      assertThat(dev.getStatus().getUpgrade().getResult()).isEqualTo("Planned");
      assertThat(dev.getStatus().getUpgrade().getStatements()).anySatisfy(st -> assertThat(st).contains("\"coupon\""));
      assertThat(graphql("webshop-cart-dev", "{ carts { edges { node { owner coupon } } } }").path("errors").isMissingNode())
          .isTrue();
    });
    assertThat(graphql("webshop-cart-prod", "{ carts { edges { node { owner coupon } } } }").path("errors").toString())
        .as("prod, still on 1.1.0, has no coupon").contains("coupon");
    assertThat(instance("webshop-cart-prod").getStatus().getServiceVersion()).isEqualTo("1.1.0");
  }

  @Test
  @Order(5)
  void deletePolicyRemovesNamespaceAndDatabaseAndRetainKeepsTheData() throws Exception {
    // Delete: a project of its own
    Project scratch = kube.resources(Project.class).load(new java.io.ByteArrayInputStream("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: scratch, namespace: acme}
        spec:
          environments: [dev]
          deletionPolicy: Delete
          services:
          - name: rooms
            serviceRef: {name: meeting-rooms, namespace: acme-makers}
        """.getBytes())).item();
    scratch = kube.resource(scratch).serverSideApply();
    kube.resource(kube.resources(store.code.api.v1alpha1.ApiKey.class).load(new java.io.ByteArrayInputStream("""
        apiVersion: code.store/v1alpha1
        kind: ApiKey
        metadata: {name: scratch-key, namespace: acme}
        spec: {project: scratch}
        """.getBytes())).item()).serverSideApply();
    awaitReady("scratch-rooms-dev");
    String ns = instance("scratch-rooms-dev").getStatus().getTargetNamespace();
    String scratchKey = "Bearer " + LocalPlatform.apiKey(kube, "acme", "scratch-key");
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() ->
        assertThat(post("scratch-rooms-dev", "mutation { createRoom(input: {name: \"gone\"}) { id } }", scratchKey).body())
            .contains("createRoom").doesNotContain("errors"));
    List<String> before = databases();
    kube.resource(scratch).delete();
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(kube.namespaces().withName(ns).get()).as("namespace " + ns).isNull();
      assertThat(databases()).hasSize(before.size() - 1);
    });

    // Retain: the webshop (examples/30) keeps its namespaces and data, and picks them up when re-created
    String cartNs = instance("webshop-cart-dev").getStatus().getTargetNamespace();
    kube.resources(Project.class).inNamespace("acme").withName("webshop").delete();
    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertThat(kube.resources(Project.class).inNamespace("acme").withName("webshop").get()).isNull();
      assertThat(kube.namespaces().withName(cartNs).get().getMetadata().getLabels()).containsEntry("code.store/retained", "true");
    });
    apply(KubeCluster.repoRoot().resolve("examples/30-webshop-project.yaml"));
    awaitReady("webshop-cart-dev");
    assertThat(instance("webshop-cart-dev").getStatus().getTargetNamespace()).isEqualTo(cartNs);
    JsonNode r = await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
        .until(() -> ok("webshop-cart-dev", "{ carts { edges { node { owner status } } } }"), x -> true);
    assertThat(r.at("/carts/edges/0/node/owner").asText()).as("the retained data").isEqualTo("ann");
  }

  /** The webshop's reports, whatever their month (the operator in its pod reads the real clock; a run may straddle a month). */
  List<UsageReport> reports() {
    return kube.resources(UsageReport.class).inNamespace("acme").withLabel("code.store/project", "webshop").list().getItems();
  }

  @Test
  @Order(6)
  void theOperatorCollectsTheRuntimesUsageIntoTheProjectsReport() {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
      assertThat(billed("webshop-cart-dev")).as("the GraphQL requests this test sent to the dev cart").isPositive();
      assertThat(reports()).allSatisfy(r -> assertThat(r.getStatus().getTotal().getCurrency()).isEqualTo("EUR"));
    });
  }

  @Test
  @Order(6)
  void codestoreLogsAndQueryReachAnInstanceThroughTheApiServer() throws Exception {
    String id = "e2e-logs-" + System.nanoTime();
    HttpResponse<String> answered = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + runtimeIp("webshop-cart-dev")
            + ":8080/graphql")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + apiKey).header("X-Request-Id", id)
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ carts { totalCount } }\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answered.headers().firstValue("X-Request-Id")).hasValue(id);
    store.code.cli.Clients asAdmin = context -> {
      try {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      int exit = store.code.cli.Codestore.commandLine(asAdmin, new java.io.PrintWriter(out, true),
          new java.io.PrintWriter(err, true)).execute("logs", "webshop/cart", "--env", "dev", "--since", "30m",
          "--request-id", id, "-n", "acme");
      assertThat(exit).as(err.toString()).isZero();
      // the JSON line shown readably: time, pod, level, logger, message, then the request's context
      assertThat(out.toString().lines().toList()).isNotEmpty().allSatisfy(l -> assertThat(l)
          .matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ \\S+ [A-Z]+ +\\[\\S+\\] .*requestId=" + id + ".*"));
    });
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(store.code.cli.Codestore.commandLine(asAdmin, new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(err, true)).execute("logs", "webshop/cart", "--env", "qa", "-n", "acme")).isEqualTo(1);
    assertThat(err.toString()).contains("no instance webshop-cart-qa in namespace acme");

    // codestore query: through the API server's service proxy, with the project's key found in its Secret
    java.io.StringWriter answer = new java.io.StringWriter();
    java.io.StringWriter queryErr = new java.io.StringWriter();
    int exit = store.code.cli.Codestore.commandLine(asAdmin, new java.io.PrintWriter(answer, true),
        new java.io.PrintWriter(queryErr, true)).execute("query", "webshop/cart", "{ carts { totalCount } }", "--env", "dev",
        "-n", "acme");
    assertThat(exit).as(queryErr.toString()).isZero();
    assertThat(JSON.readTree(answer.toString()).at("/data/carts/totalCount").isInt()).as(answer.toString()).isTrue();
  }

  /**
   * The chart's console, as a person uses it: signed in with a ServiceAccount token of someone who may edit in acme
   * (no cluster role, no right of the console's own), the instance page shows the runtime's log line of a request
   * sent a moment ago, and the query panel's request reaches the real pod through the API server with the project's
   * key read from its Secret.
   */
  @Test
  @Order(6)
  void theChartsConsoleShowsAnInstancesLogAndAnswersItsQueriesWithThePersonsIdentity() throws Exception {
    kube.serviceAccounts().inNamespace("acme").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
        .withNewMetadata().withName("carol").endMetadata().build()).serverSideApply();
    kube.rbac().roleBindings().inNamespace("acme").resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
        .withNewMetadata().withName("carol").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("edit").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("carol").withNamespace("acme").endSubject().build())
        .serverSideApply();
    String token = kube.serviceAccounts().inNamespace("acme").withName("carol").tokenRequest(
        new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
            .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    kube.apps().deployments().inNamespace(SYSTEM).withName("codestore-console").waitUntilReady(3, TimeUnit.MINUTES);
    String console = "http://" + kube.services().inNamespace(SYSTEM).withName("codestore-console").get().getSpec()
        .getClusterIP() + ":8090";
    String page = console + "/projects/acme/webshop/instances/webshop-cart-dev";

    String id = "e2e-console-" + System.nanoTime();
    HTTP.send(HttpRequest.newBuilder(URI.create("http://" + runtimeIp("webshop-cart-dev") + ":8080/graphql"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + apiKey).header("X-Request-Id", id)
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ carts { totalCount } }\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    // carol's access to the instance's namespace follows her binding within a reconcile of the instance
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(page + "?since=1h&requestId=" + id))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("id=\"phase\">Ready<").doesNotContain("log-problem").contains("requestId=" + id);
    });

    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(page + "/graphql"))
        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ carts { totalCount } }\", \"keyName\": \"webshop-key\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body()).at("/data/carts/totalCount").isInt()).as(answer.body()).isTrue();
    assertThat(answer.headers().firstValue("X-Request-Id")).as("the runtime's request id comes along").isPresent();

    HttpResponse<String> stranger = HTTP.send(HttpRequest.newBuilder(URI.create(page))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer not-a-token").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stranger.statusCode()).isEqualTo(401);
    assertThat(stranger.body()).doesNotContain("webshop-cart-dev.svc");
  }

  /** The runtime's durable usage counter (reading it flushes it, as the operator's reading does). */
  long usage(String instance) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + runtimeIp(instance) + ":9000/usage"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    // a runtime that is still starting answers 503 without counters: that is no reading, never a count of 0
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /usage of " + instance + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).path("requests").asLong();
  }

  /** Requests billed for {@code instance} over all the webshop's reports. */
  long billed(String instance) {
    return reports().stream().filter(r -> r.getStatus() != null).flatMap(r -> r.getStatus().getLines().stream())
        .filter(l -> l.getInstance().equals(instance)).mapToLong(l -> l.getRequests()).sum();
  }

  /**
   * The documented loss bound, on a real node at the pods' default flush interval (5 s): requests are sent without
   * pause for three intervals, then the runtime's JVM is SIGKILLed. What was answered more than an interval before the
   * kill is kept; nothing is kept that was not answered; and what is billed is exactly the durable counter.
   */
  @Test
  @Order(7)
  void aRuntimeKilledWithSigkillLosesAtMostItsLastFlushIntervalAndNothingBilledIsCountedTwice() throws Exception {
    String cart = "webshop-cart-dev";
    Duration interval = Duration.ofSeconds(5);
    ok(cart, "{ carts { totalCount } }");
    long durable = usage(cart); // reading flushes: everything before is stored
    java.util.Queue<Long> answeredAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
    long until = System.nanoTime() + interval.multipliedBy(3).toNanos();
    var clients = java.util.concurrent.Executors.newFixedThreadPool(2);
    for (int i = 0; i < 2; i++) {
      clients.submit(() -> {
        while (System.nanoTime() < until) {
          if (graphql(cart, "{ carts { totalCount } }").path("errors").isMissingNode()) {
            answeredAt.add(System.nanoTime());
          }
        }
        return null;
      });
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    var pod = kube.pods().inNamespace(instance(cart).getStatus().getTargetNamespace()).withLabel("app.kubernetes.io/name", "codestore-runtime")
        .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow();
    String container = pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^[a-z]+://", "");
    ProcessHandle runtime = ProcessHandle.allProcesses().filter(p -> inContainer(p.pid(), container))
        .filter(p -> p.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
    long killedAt = System.nanoTime();
    assertThat(runtime.destroyForcibly()).as("SIGKILL to the runtime's JVM").isTrue();

    await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> kube.pods()
        .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get().getStatus()
        .getContainerStatuses().get(0).getRestartCount() > 0);
    long after = await().atMost(PODS).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> usage(cart), x -> true);
    long kept = after - durable;
    long answered = answeredAt.size();
    long mustBeKept = answeredAt.stream().filter(t -> t < killedAt - interval.plusMillis(500).toNanos()).count();
    assertThat(mustBeKept).as("requests answered more than an interval before the kill").isPositive();
    assertThat(kept).as("what was answered before the last flush interval is kept").isGreaterThanOrEqualTo(mustBeKept);
    assertThat(kept).as("nothing is counted that was not answered").isLessThanOrEqualTo(answered);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .until(() -> billed(cart) == after);
    System.out.printf("[measure] runtime SIGKILLed at the default flush interval: %d requests answered, %d kept, %d lost "
        + "(the last interval held %d); billed %d = durable counter %d%n", answered, kept, answered - kept,
        answered - mustBeKept, billed(cart), after);
  }

  /** Whether a process of this host runs in the container with this ID (its cgroup path names the container). */
  static boolean inContainer(long pid, String containerId) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup")).contains(containerId);
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  @Test
  @Order(8)
  void theOperatorExportsReconcileInstanceAndUsageMetrics() throws Exception {
    // the operator's Service (the chart's console has a port named http too)
    var svc = kube.services().inNamespace(SYSTEM).withLabel("app.kubernetes.io/name", "codestore-operator").list()
        .getItems().stream().filter(x -> x.getSpec().getPorts().stream().anyMatch(p -> "http".equals(p.getName())))
        .findFirst().orElseThrow();
    String metrics = operatorMetrics(svc.getMetadata().getName());
    assertThat(metric(metrics, "codestore_usage_collections_total", "outcome=\"written\"")).isPositive();
    assertThat(metric(metrics, "codestore_usage_collection_lag_seconds", "")).as("every runtime answers: read within a "
        + "few 5 s passes").isBetween(0.0, 30.0);
    assertThat(metric(metrics, "codestore_usage_refused_total", "")).as("our runtimes' answers are all readings").isZero();

    // a runtime that does not answer (scaled to zero by hand) is counted as unreachable on every pass until it is back
    double unreachable = metric(metrics, "codestore_usage_unreachable_total", "");
    String ns = instance("webshop-rooms-prod").getStatus().getTargetNamespace();
    kube.apps().deployments().inNamespace(ns).withName("runtime").scale(0);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(metric(operatorMetrics(svc.getMetadata().getName()), "codestore_usage_unreachable_total", ""))
              .isGreaterThan(unreachable));
    } finally {
      kube.apps().deployments().inNamespace(ns).withName("runtime").scale(1);
    }
    assertThat(metric(metrics, "codestore_instances", "phase=\"Ready\"")).isPositive();
    assertThat(metric(metrics, "reconciliations_success_total", "serviceinstance")).as("reconciles by kind").isPositive();
  }

  String operatorMetrics(String service) {
    return kube.raw(kube.getMasterUrl() + "api/v1/namespaces/" + SYSTEM + "/services/" + service + ":8080/proxy/q/metrics");
  }

  /** The value of the first sample of {@code name} whose labels contain {@code labelPart}. */
  static double metric(String exposition, String name, String labelPart) {
    return exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains(labelPart)).map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError(name + " {" + labelPart + "} not among the operator's metrics:\n"
            + exposition.lines().filter(l -> l.startsWith("codestore") || l.startsWith("reconciliations")).toList()));
  }

  List<String> databases() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + providers.postgres.getPort() + "/postgres",
        "postgres", "postgres"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'cs_%' OR datname LIKE 'cs-%'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** RSS of the operator, console and runtime processes: containers are processes of this host. */
  static String memory() throws Exception {
    StringBuilder sb = new StringBuilder();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          if (!cmd.contains("/deployments/quarkus-run.jar")) {
            continue;
          }
          String env = Files.readString(p.resolve("environ"));
          String what = env.contains("CODESTORE_SCHEMA_PATH") ? "runtime"
              : env.contains("CODESTORE_CONSOLE_CA_FILE") ? "console" : "operator";
          String rss = Files.readAllLines(p.resolve("status")).stream().filter(l -> l.startsWith("VmRSS"))
              .map(l -> l.replaceAll("[^0-9]", "")).findFirst().orElse("0");
          sb.append(what).append(' ').append(Long.parseLong(rss) / 1024).append(" MiB; ");
        } catch (java.io.IOException | RuntimeException gone) {
          // the process ended meanwhile
        }
      }
    }
    return sb.toString();
  }
}
