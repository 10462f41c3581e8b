package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.Project;
import store.code.cli.Codestore;
import store.code.operator.config.OperatorSettings;

/**
 * The {@code codestore} command line against a real API server with the operator running, each command as a person
 * with their own RBAC would run it, under the roles the chart ships: a maker with {@code codestore-edit} in
 * {@code acme-makers}, a client with it (and Secrets) in {@code acme}, and a stranger with no binding; every signed-in
 * user may read the marketplace. The maker's and the client's day, then bad input and denials, each said as such.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpOnFailure.class)
class CliIT {
  static final Duration CONVERGE = Duration.ofSeconds(60);
  static final String MAKERS = "acme-makers";
  static final String CLIENT = "acme";

  KubeCluster cluster;
  Path examples;
  Path work;

  /** One invocation of the command line as {@code user}: exit code, what it printed. */
  record Run(int exit, String out, String err) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows() {
      return Serialization.unmarshal(out, List.class);
    }
  }

  Run as(String user, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Codestore.commandLine(context -> cluster.newClientAs(user), new PrintWriter(out, true),
        new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeAll
  void start() throws IOException {
    cluster = KubeCluster.withFakeProviders();
    cluster.startOperator(OperatorSettings.defaults());
    examples = KubeCluster.repoRoot().resolve("examples");
    work = Files.createTempDirectory("cli-it");
    cluster.applyFile(examples.resolve("00-namespaces.yaml"));
    // the people's roles as the chart ships them, the marketplace open to every signed-in user; on a real cluster
    // codestore-edit aggregates into edit, which also gives Secrets: here no controller aggregates, so a Role does
    cluster.applyPeoplesRoles();
    cluster.applyYaml("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secrets-writer}
        rules:
        - apiGroups: [""]
          resources: [secrets]
          verbs: [get, list, create, update, patch, delete]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: maker, namespace: acme-makers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: codestore-edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: maker}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: shop-client}
        rules:
          - {apiGroups: [code.store], resources: [services, projects, apikeys], verbs: [get, list, watch, create, update, patch, delete]}
          - {apiGroups: [code.store], resources: [serviceinstances, usagereports, servicerevisions], verbs: [get, list, watch]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: client
          namespace: acme
          # a role other than admin, edit or codestore-edit: the label says its people may look into the instances
          labels: {code.store/instance-access: "true"}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: shop-client}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: client}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: client-secrets, namespace: acme}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secrets-writer}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: client}]
        """);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theMakerPublishesAndSeesTheServicesAndRevisions() throws IOException {
    Run cart = as("maker", "publish", examples.resolve("10-shopping-cart.yaml").toString());
    assertThat(cart.exit()).as(cart.err()).isZero();
    assertThat(cart.out()).contains("Service acme-makers/shopping-cart publishes version 1.0.0")
        .contains("ServiceRevision shopping-cart-1-0-0");
    Run rooms = as("maker", "publish", examples.resolve("20-meeting-rooms.yaml").toString());
    assertThat(rooms.exit()).as(rooms.err()).isZero();

    Run services = as("maker", "services", "-n", MAKERS, "-o", "json");
    assertThat(services.exit()).as(services.err()).isZero();
    assertThat(services.rows()).extracting(r -> r.get("name"))
        .containsExactlyInAnyOrder("meeting-rooms", "shopping-cart");
    Run revisions = as("maker", "revisions", "shopping-cart", "-n", MAKERS);
    assertThat(revisions.exit()).as(revisions.err()).isZero();
    assertThat(revisions.out()).contains("1.0.0");

    // a schema error: where it is in the file, and nothing sent
    Path broken = work.resolve("broken.yaml");
    Files.writeString(broken, Files.readString(examples.resolve("10-shopping-cart.yaml"))
        .replace("version: 1.0.0", "version: 1.0.1").replace("owner: String! @index", "owner: Strin! @index"));
    Run refused = as("maker", "publish", broken.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).containsPattern(java.util.regex.Pattern.quote(broken.toString()) + ":\\d+:\\d+: .*Strin")
        .contains("nothing was published");
    // a breaking change without a new major version: the operator's verdict, with what breaks
    Path breaking = work.resolve("breaking.yaml");
    Files.writeString(breaking, Files.readString(examples.resolve("10-shopping-cart.yaml"))
        .replace("version: 1.0.0", "version: 1.1.0").replace("      owner: String! @index\n", ""));
    Run notPublished = as("maker", "publish", breaking.toString());
    assertThat(notPublished.exit()).as(notPublished.out()).isEqualTo(1);
    assertThat(notPublished.err()).contains("version 1.1.0 not published").contains("owner");
    assertThat(as("maker", "revisions", "shopping-cart", "-n", MAKERS).out()).doesNotContain("1.1.0");
  }

  @Test
  @Order(2)
  void theClientFindsServicesMakesAProjectAndPromotesOneEnvironmentAtATime() throws IOException {
    Run market = as("client", "marketplace", "-n", CLIENT, "-o", "json");
    assertThat(market.exit()).as(market.err()).isZero();
    assertThat(market.rows()).extracting(r -> r.get("service"))
        .containsExactly("acme-makers/meeting-rooms", "acme-makers/shopping-cart");
    // meeting-rooms is shared with acme only
    Run elsewhere = as("client", "marketplace", "-n", "default", "-o", "json");
    assertThat(elsewhere.rows()).extracting(r -> r.get("service")).containsExactly("acme-makers/shopping-cart");

    assertThat(as("client", "project", "create", "webshop", "--env", "dev,prod", "-n", CLIENT).exit()).isZero();
    Run added = as("client", "project", "add", "webshop", "cart", "--service", "acme-makers/shopping-cart",
        "--version", "1.0.0", "-n", CLIENT);
    assertThat(added.exit()).as(added.err()).isZero();
    await().atMost(CONVERGE).untilAsserted(() -> {
      Run status = as("client", "status", "webshop", "-n", CLIENT, "-o", "json");
      assertThat(status.exit()).as(status.err()).isZero();
      assertThat(status.rows()).extracting(r -> r.get("environment") + " " + r.get("service") + " " + r.get("version")
          + " " + r.get("phase")).containsExactly("dev cart 1.0.0 Ready", "prod cart 1.0.0 Ready");
    });

    // the maker publishes 1.1.0 (a new field); dev is promoted to 1.x, prod stays on 1.0.0
    Path next = work.resolve("cart-1.1.0.yaml");
    Files.writeString(next, Files.readString(examples.resolve("10-shopping-cart.yaml"))
        .replace("version: 1.0.0", "version: 1.1.0").replace("      owner: String! @index\n",
            "      owner: String! @index\n      note: String\n"));
    Run published = as("maker", "publish", next.toString());
    assertThat(published.exit()).as(published.err()).isZero();
    Run promoted = as("client", "promote", "webshop/cart", "--env", "dev", "--version", "1.x", "-n", CLIENT);
    assertThat(promoted.exit()).as(promoted.err()).isZero();
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(as("client", "status", "webshop", "-n", CLIENT, "-o", "json")
        .rows()).extracting(r -> r.get("environment") + " " + r.get("version"))
        .containsExactly("dev 1.1.0", "prod 1.0.0"));
    Project project = cluster.admin.resources(Project.class).inNamespace(CLIENT).withName("webshop").get();
    assertThat(project.getSpec().getServices().get(0).getEnvironments().get("dev").getVersion()).isEqualTo("1.x");
  }

  @Test
  @Order(3)
  void theClientsKeysAndSecrets() {
    Run made = as("client", "keys", "create", "webshop", "--name", "webshop-ci", "--env", "prod", "-n", CLIENT);
    assertThat(made.exit()).as(made.err()).isZero();
    Secret secret = cluster.admin.secrets().inNamespace(CLIENT).withName("webshop-ci").get();
    String key = SecretData.decode(secret).get(ApiKey.SECRET_KEY);
    assertThat(made.out()).contains(key).contains("shown once");
    await().atMost(CONVERGE).untilAsserted(() -> {
      Run listed = as("client", "keys", "list", "webshop", "-n", CLIENT, "-o", "json");
      assertThat(listed.rows()).singleElement().satisfies(r -> {
        assertThat(r).containsEntry("name", "webshop-ci").containsEntry("environments", "prod").containsEntry("instances", 1);
      });
      assertThat(listed.out()).doesNotContain(key);
    });
    assertThat(as("client", "keys", "revoke", "webshop-ci", "-n", CLIENT).exit()).isZero();
    // its Secret goes with it by the garbage collector (owner reference), which no controller-manager runs here
    assertThat(cluster.admin.resources(ApiKey.class).inNamespace(CLIENT).withName("webshop-ci").get()).isNull();

    // query with no key to read: a key of dev and cart only, for an hour, made and handed over by the operator; the
    // client may call the instance through the API server, which then finds nothing to proxy to (no controller makes
    // the Service's Endpoints here: 404, where RBAC's refusal would be 403; NodeE2E queries a real pod)
    java.time.Instant before = java.time.Instant.now();
    Run query = as("client", "query", "webshop/cart", "--env", "dev", "{ carts { totalCount } }", "-n", CLIENT);
    assertThat(query.err()).as(query.out()).contains("made ApiKey webshop-query-").contains("the instance answered HTTP 404");
    assertThat(query.exit()).isEqualTo(1);
    ApiKey shortLived = cluster.admin.resources(ApiKey.class).inNamespace(CLIENT).list().getItems().stream()
        .filter(k -> k.getMetadata().getName().startsWith("webshop-query-")).findFirst().orElseThrow();
    assertThat(shortLived.getSpec().getEnvironments()).containsExactly("dev");
    assertThat(shortLived.getSpec().getServices()).containsExactly("cart");
    assertThat(java.time.Instant.parse(shortLived.getSpec().getExpiresAt()))
        .isBetween(before.plus(Duration.ofMinutes(59)), java.time.Instant.now().plus(Duration.ofMinutes(61)));
    assertThat(shortLived.getStatus().getInstances()).containsExactly("webshop-cart-dev");
    Run again = as("client", "query", "webshop/cart", "--env", "dev", "{ carts { totalCount } }", "-n", CLIENT);
    assertThat(again.err()).as("the hour's key is used again").doesNotContain("made ApiKey");
    assertThat(as("client", "keys", "revoke", shortLived.getMetadata().getName(), "-n", CLIENT).exit()).isZero();

    Run set = as("client", "secrets", "set", "webshop", "--env", "prod", "STRIPE_KEY=sk_live_cli_3e1", "-n", CLIENT);
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out() + set.err()).doesNotContain("sk_live_cli_3e1");
    assertThat(SecretData.decode(cluster.admin.secrets().inNamespace(CLIENT).withName("webshop-prod-secrets").get()))
        .containsEntry("STRIPE_KEY", "sk_live_cli_3e1");
    Project project = cluster.admin.resources(Project.class).inNamespace(CLIENT).withName("webshop").get();
    assertThat(project.getSpec().getEnvironmentSettings().get("prod").getSecretRefs())
        .extracting(r -> r.getName()).containsExactly("webshop-prod-secrets");

    Run usage = as("client", "usage", "webshop", "-n", CLIENT, "--month", "2020-01");
    assertThat(usage.exit()).isEqualTo(1);
    assertThat(usage.err()).contains("no usage recorded for project webshop in 2020-01");
  }

  @Test
  @Order(4)
  void thePeopleOfTheProjectsNamespaceLookIntoItsInstancesAndNoOneElse() throws Exception {
    Run logs = as("client", "logs", "webshop/cart", "--env", "dev", "-n", CLIENT);
    assertError(logs, "has no runtime pods");
    String target = cluster.admin.resources(store.code.api.v1alpha1.ServiceInstance.class).inNamespace(CLIENT)
        .withName("webshop-cart-dev").get().getStatus().getTargetNamespace();
    assertThat(proxy("client", target, "http:runtime:8080", "graphql")).as("the API port (let through, no Endpoints)")
        .isEqualTo(404);
    assertThat(proxy("client", target, "http:runtime:9000", "usage")).as("the management port").isEqualTo(403);
    assertThat(proxy("client", target, "runtime", "usage")).as("the first port, unnamed").isEqualTo(403);
    try (var client = cluster.newClientAs("client")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.secrets().inNamespace(target).list())
          .as("the instance's Secrets").isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
              e -> assertThat(e.getCode()).isEqualTo(403));
    }
  }

  /** The HTTP status of a GET through the API server's service proxy, as {@code user}. */
  int proxy(String user, String namespace, String service, String path) throws Exception {
    try (var client = cluster.newClientAs(user)) {
      var http = client.getHttpClient();
      var request = http.newHttpRequestBuilder().uri(client.getMasterUrl().toString().replaceAll("/$", "")
          + "/api/v1/namespaces/" + namespace + "/services/" + service + "/proxy/" + path).build();
      return http.sendAsync(request, String.class).get(30, java.util.concurrent.TimeUnit.SECONDS).code();
    }
  }

  @Test
  @Order(5)
  void badInputIsSaidWithWhatAndWhereAndChangesNothing() {
    Project before = cluster.admin.resources(Project.class).inNamespace(CLIENT).withName("webshop").get();
    assertError(as("client", "status", "nope", "-n", CLIENT), "no Project nope in namespace acme");
    assertError(as("client", "project", "add", "webshop", "cart", "--service", "acme-makers/shopping-cart", "-n", CLIENT),
        "already has a service named cart");
    assertError(as("client", "project", "add", "webshop", "rooms", "--service", "acme-makers/meeting-rooms",
        "--version", "1.x.y", "-n", CLIENT), "--version");
    assertError(as("client", "project", "add", "webshop", "ghost", "--service", "acme-makers/ghost", "-n", CLIENT),
        "no Service ghost in namespace acme-makers");
    assertError(as("client", "promote", "webshop/cart", "--env", "qa", "--version", "1.x", "-n", CLIENT),
        "has no environment qa");
    assertError(as("client", "promote", "webshop/cart", "--env", "prod", "--version", "one", "-n", CLIENT), "--version");
    assertThat(cluster.admin.resources(Project.class).inNamespace(CLIENT).withName("webshop").get().getSpec())
        .as("nothing half-applied").usingRecursiveComparison().isEqualTo(before.getSpec());

    // a project elsewhere may not reuse a service shared with acme only
    cluster.applyYaml("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: globex}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: client, namespace: globex}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: codestore-edit}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: client}]
        """);
    assertThat(as("client", "project", "create", "intranet", "--env", "dev", "-n", "globex").exit()).isZero();
    assertError(as("client", "project", "add", "intranet", "rooms", "--service", "acme-makers/meeting-rooms", "-n",
        "globex"), "Service acme-makers/meeting-rooms is Shared");
    assertThat(as("client", "project", "create", "Bad_Name", "--env", "dev", "-n", CLIENT).exit()).isEqualTo(1);
    assertThat(as("client", "project", "create", "x", "-n", CLIENT).exit()).as("--env is required").isEqualTo(2);
  }

  @Test
  @Order(6)
  void whatRbacDeniesIsSaidAsADenial() {
    Run stranger = as("stranger", "status", "webshop", "-n", CLIENT);
    assertError(stranger, "forbidden: your Kubernetes identity may not do this (RBAC)");
    assertThat(stranger.err()).contains("User \"stranger\" cannot get resource \"projects\"");
    assertError(as("stranger", "project", "create", "mine", "--env", "dev", "-n", CLIENT), "forbidden");
    assertThat(cluster.admin.resources(Project.class).inNamespace(CLIENT).withName("mine").get()).isNull();
    // the client may not publish into the maker's namespace
    Run publish = as("client", "publish", examples.resolve("10-shopping-cart.yaml").toString());
    assertError(publish, "forbidden");
    assertThat(publish.err()).contains("User \"client\"").contains("acme-makers");
    // nor make keys of a project in a namespace not theirs
    assertError(as("maker", "keys", "create", "webshop", "-n", CLIENT), "forbidden");

    // the client's binding loses its label: their access to the instances goes with it
    cluster.admin.rbac().roleBindings().inNamespace(CLIENT).withName("client").edit(b -> {
      b.getMetadata().getLabels().remove("code.store/instance-access");
      return b;
    });
    await().atMost(CONVERGE).untilAsserted(() -> assertError(as("client", "query", "webshop/cart", "--env", "dev",
        "{ carts { totalCount } }", "--key", "csk_any", "-n", CLIENT), "may not proxy to services in namespace"));
    assertError(as("client", "logs", "webshop/cart", "--env", "dev", "-n", CLIENT), "forbidden");
  }

  static void assertError(Run r, String said) {
    assertThat(r.exit()).as("exit code; printed: " + r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).contains(said);
  }
}
