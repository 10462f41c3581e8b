package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceInstanceStatus;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceRevisionSpec;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.api.v1alpha1.ServiceStatus;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportSpec;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.api.v1alpha1.Visibility;

/**
 * The client's and maker's commands against an API server that stores what it is given (Fabric8's mock server in CRUD
 * mode): what they read, what they write, and the errors for bad input. Reconciling is the operator's, tested on a
 * real API server elsewhere; here nothing reconciles.
 */
@EnableKubernetesMockClient(crud = true)
class ClientCommandsTest {
  KubernetesClient client;
  Clients clients;

  @BeforeEach
  void connect() {
    // each command closes its client: give it its own, to the same server
    clients = Run.clientsLike(client);
    service("makers", "shopping-cart", Visibility.Public, "1.1.0", "EUR", "2.00", "1.00");
    service("makers", "rooms", Visibility.Shared, "1.0.0", null, null, null).getSpec();
    service("makers", "secret-sauce", Visibility.Private, "3.0.0", null, null, null);
    service("others", "draft", Visibility.Public, null, null, null, null);
  }

  Run run(String... args) {
    return Run.of(clients, args);
  }

  CodeService service(String ns, String name, Visibility v, String published, String currency, String fee, String perM) {
    CodeService s = new CodeService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    s.setSpec(new ServiceSpec());
    s.getSpec().setVersion(published == null ? "0.1.0" : published);
    s.getSpec().setVisibility(v);
    s.getSpec().setDescription("the " + name);
    if (name.equals("rooms")) {
      s.getSpec().getSharedWith().add("acme");
    }
    if (currency != null) {
      Pricing p = new Pricing();
      p.setCurrency(currency);
      p.setMonthlyFee(fee);
      p.setPerMillionRequests(perM);
      s.getSpec().setPricing(p);
    }
    s = client.resource(s).create();
    if (published != null) {
      s.setStatus(new ServiceStatus());
      s.getStatus().setVersion(published);
      s.getStatus().setRevision(name + "-" + published.replace('.', '-'));
      s = client.resource(s).updateStatus();
    }
    return s;
  }

  @Test
  void marketplaceListsWhatThisNamespaceMayReuseWithPrices() {
    Run r = run("marketplace", "-n", "acme");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("shopping-cart").contains("2.00 EUR/month + 1.00 EUR/1M requests").contains("rooms")
        .doesNotContain("secret-sauce").as("published nothing yet").doesNotContain("draft");
    assertThat(r.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("MAKER").contains("PRICE");

    Run elsewhere = run("marketplace", "-n", "beta", "-o", "json");
    List<Map<String, Object>> rows = Serialization.unmarshal(
        new java.io.ByteArrayInputStream(elsewhere.out().getBytes(StandardCharsets.UTF_8)),
        new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() {});
    assertThat(rows).extracting(o -> o.get("name")).containsExactly("shopping-cart");
  }

  @Test
  void aClientsProjectWithoutYaml() {
    assertThat(run("project", "create", "webshop", "--env", "dev,prod", "-n", "acme").exit()).isZero();
    Run twice = run("project", "create", "webshop", "--env", "dev", "-n", "acme");
    assertThat(twice.exit()).isEqualTo(1);
    assertThat(twice.err()).isEqualTo("error: Project webshop already exists in namespace acme\n");
    assertThat(run("project", "create", "Web_Shop", "--env", "dev", "-n", "acme").err())
        .contains("project name \"Web_Shop\" is not a lower-case DNS label");
    assertThat(run("project", "create", "x", "-n", "acme").exit()).as("--env is required").isEqualTo(2);

    Run added = run("project", "add", "webshop", "cart", "--service", "makers/shopping-cart", "--version", "1.x", "-n", "acme");
    assertThat(added.exit()).as(added.err()).isZero();
    Project p = client.resources(Project.class).inNamespace("acme").withName("webshop").get();
    assertThat(p.getSpec().getServices()).singleElement().satisfies(u -> {
      assertThat(u.getServiceRef().getNamespace() + "/" + u.getServiceRef().getName()).isEqualTo("makers/shopping-cart");
      assertThat(u.getVersion()).isEqualTo("1.x");
    });

    assertThat(run("project", "add", "nope", "cart", "--service", "makers/shopping-cart", "-n", "acme").err())
        .isEqualTo("error: no Project nope in namespace acme (codestore project create nope --env dev,prod makes one)\n");
    assertThat(run("project", "add", "webshop", "cart", "--service", "makers/rooms", "-n", "acme").err())
        .contains("already has a service named cart");
    assertThat(run("project", "add", "webshop", "sauce", "--service", "makers/secret-sauce", "-n", "acme").err())
        .contains("Service makers/secret-sauce is Private and not shared with namespace acme");
    assertThat(run("project", "add", "webshop", "x", "--service", "makers/missing", "-n", "acme").err())
        .contains("no Service missing in namespace makers");
    assertThat(run("project", "add", "webshop", "rooms", "--service", "makers/rooms", "--version", "one.two", "-n", "acme")
        .err()).contains("--version \"one.two\" is not a semver range");
    assertThat(client.resources(Project.class).inNamespace("acme").withName("webshop").get().getSpec().getServices())
        .as("nothing half-applied by the refusals").hasSize(1);

    // promote one environment
    Run promoted = run("promote", "webshop/cart", "--env", "prod", "--version", "2.x", "-n", "acme");
    assertThat(promoted.exit()).as(promoted.err()).isZero();
    var use = client.resources(Project.class).inNamespace("acme").withName("webshop").get().getSpec().getServices().get(0);
    assertThat(use.versionIn("prod")).isEqualTo("2.x");
    assertThat(use.versionIn("dev")).isEqualTo("1.x");
    assertThat(run("promote", "webshop/cart", "--env", "staging", "--version", "2.x", "-n", "acme").err())
        .contains("Project webshop has no environment staging; it has [dev, prod]");
    assertThat(run("promote", "webshop/rooms", "--env", "prod", "--version", "2.x", "-n", "acme").err())
        .contains("Project webshop has no service rooms; it has [cart]");
    assertThat(run("promote", "webshop", "--env", "prod", "--version", "2.x", "-n", "acme").err())
        .contains("\"webshop\" is not <project>/<alias>");
    assertThat(run("promote", "webshop/cart", "--env", "prod", "--version", ">>2", "-n", "acme").err())
        .contains("is not a semver range");

    // remove it again
    assertThat(run("project", "remove", "webshop", "cart", "-n", "acme").exit()).isZero();
    assertThat(run("project", "remove", "webshop", "cart", "-n", "acme").err()).contains("has no service cart");
  }

  @Test
  void statusShowsEachInstanceAndWhyItIsNotReady() {
    run("project", "create", "webshop", "--env", "dev,prod", "-n", "acme");
    instance("webshop-cart-prod", "prod", "1.1.0", Phase.Failed, Conditions.of("Ready", false, "SchemaChangeRefused",
        "the migration to version 2.0.0 would be refused", 1L));
    instance("webshop-cart-dev", "dev", "2.0.0", Phase.Ready, Conditions.of("Ready", true, "Ready", "serving", 1L));
    Run r = run("status", "webshop", "-n", "acme");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ENVIRONMENT").contains("VERSION").contains("PHASE").contains("REASON");
    assertThat(lines.get(1)).startsWith("dev").contains("2.0.0").contains("Ready");
    assertThat(lines.get(2)).startsWith("prod").contains("1.1.0").contains("Failed").contains("SchemaChangeRefused");

    Run yaml = run("status", "webshop", "-n", "acme", "-o", "yaml");
    assertThat(yaml.out()).contains("message: \"the migration to version 2.0.0 would be refused\"");
    assertThat(run("status", "nope", "-n", "acme").exit()).isEqualTo(1);
    assertThat(run("status", "webshop", "-n", "acme", "-o", "xml").exit()).as("a bad -o").isEqualTo(2);
  }

  void instance(String name, String env, String version, Phase phase, io.fabric8.kubernetes.api.model.Condition ready) {
    ServiceInstance i = new ServiceInstance();
    i.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName(name)
        .withLabels(Map.of(Labels.PROJECT, "webshop", Labels.SERVICE, "cart", Labels.ENVIRONMENT, env)).build());
    i.setSpec(new ServiceInstanceSpec());
    i.getSpec().setEnvironment(env);
    i.getSpec().setProject("webshop");
    i = client.resource(i).create();
    i.setStatus(new ServiceInstanceStatus());
    i.getStatus().setServiceVersion(version);
    i.getStatus().setPhase(phase);
    i.getStatus().setConditions(List.of(ready));
    client.resource(i).updateStatus();
  }

  @Test
  void revisionsNewestFirstBySemverWithThePublishedOneMarked() {
    for (String v : List.of("1.9.0", "1.10.0", "1.2.0")) {
      ServiceRevision r = new ServiceRevision();
      r.setMetadata(new ObjectMetaBuilder().withNamespace("makers").withName("shopping-cart-" + v.replace('.', '-'))
          .withLabels(Map.of(Labels.SERVICE, "shopping-cart")).build());
      r.setSpec(new ServiceRevisionSpec());
      r.getSpec().setVersion(v);
      client.resource(r).create();
    }
    client.resources(CodeService.class).inNamespace("makers").withName("shopping-cart").editStatus(s -> {
      s.getStatus().setRevision("shopping-cart-1-10-0");
      return s;
    });
    Run r = run("revisions", "shopping-cart", "-n", "makers");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.subList(1, 4)).extracting(l -> l.split("\\s+")[0]).containsExactly("1.10.0", "1.9.0", "1.2.0");
    assertThat(lines.get(1)).contains("*");
    assertThat(run("revisions", "nope", "-n", "makers").err()).contains("no Service nope in namespace makers");
  }

  @Test
  void servicesOfANamespaceOrAll() {
    Run here = run("services", "-n", "makers");
    assertThat(here.out()).contains("shopping-cart").contains("secret-sauce").doesNotContain("draft");
    Run all = run("services", "-A");
    assertThat(all.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE");
    assertThat(all.out()).contains("draft");
    assertThat(run("services", "-n", "empty").out()).isEqualTo("No Services in namespace empty.\n");
  }

  @Test
  void secretsAreWrittenAndHandedOverButNeverPrinted() {
    run("project", "create", "webshop", "--env", "dev,prod", "-n", "acme");
    Run r = run("secrets", "set", "webshop", "SMTP_PASSWORD=s3cr3t-value", "stripe-key=sk_test_1", "-n", "acme");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out() + r.err()).doesNotContain("s3cr3t-value").doesNotContain("sk_test_1").contains("SMTP_PASSWORD");
    Run prod = run("secrets", "set", "webshop", "--env", "prod", "stripe-key=sk_live_9", "-n", "acme");
    assertThat(prod.exit()).as(prod.err()).isZero();
    Run again = run("secrets", "set", "webshop", "SMTP_PASSWORD=rotated=with=equals", "-n", "acme");
    assertThat(again.exit()).isZero();

    var shared = client.secrets().inNamespace("acme").withName("webshop-secrets").get();
    assertThat(decode(shared.getData())).isEqualTo(Map.of("SMTP_PASSWORD", "rotated=with=equals", "stripe-key", "sk_test_1"));
    assertThat(decode(client.secrets().inNamespace("acme").withName("webshop-prod-secrets").get().getData()))
        .isEqualTo(Map.of("stripe-key", "sk_live_9"));
    Project p = client.resources(Project.class).inNamespace("acme").withName("webshop").get();
    assertThat(p.getSpec().getSecretRefs()).extracting(s -> s.getName()).containsExactly("webshop-secrets");
    assertThat(p.getSpec().getEnvironmentSettings().get("prod").getSecretRefs()).extracting(s -> s.getName())
        .containsExactly("webshop-prod-secrets");

    assertThat(run("secrets", "set", "webshop", "not a key=x", "-n", "acme").err()).contains("\"not a key\" is not KEY=VALUE");
    assertThat(run("secrets", "set", "webshop", "NOVALUE", "-n", "acme").err()).contains("is not KEY=VALUE");
    assertThat(run("secrets", "set", "webshop", "--env", "qa", "A=b", "-n", "acme").err()).contains("no environment qa");
    assertThat(run("secrets", "set", "webshop", "-n", "acme").exit()).as("no pairs").isEqualTo(2);
  }

  @Test
  void usageIsTheMonthsReportAsStored() {
    run("project", "create", "webshop", "--env", "dev,prod", "-n", "acme");
    UsageReport report = new UsageReport();
    report.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-2026-11").build());
    report.setSpec(new UsageReportSpec());
    report.getSpec().setProject("webshop");
    report = client.resource(report).create();
    UsageReportStatus status = new UsageReportStatus();
    UsageReportStatus.Line line = new UsageReportStatus.Line();
    line.setInstance("webshop-cart-prod");
    line.setEnvironment("prod");
    line.setService("makers/shopping-cart");
    line.setRequests(1234L);
    line.setRuntimeHours("12.500000");
    line.setAmount("2.001234");
    status.getLines().add(line);
    UsageReportStatus.Money total = new UsageReportStatus.Money();
    total.setCurrency("EUR");
    total.setAmount("2.001234");
    status.setTotal(total);
    report.setStatus(status);
    client.resource(report).updateStatus();

    java.time.Clock november = java.time.Clock.fixed(java.time.Instant.parse("2026-11-15T10:00:00Z"), java.time.ZoneOffset.UTC);
    Run r = Run.at(november, clients, "usage", "webshop", "-n", "acme");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("webshop-cart-prod").contains("1234").contains("2.001234").contains("TOTAL")
        .contains("2.001234 EUR");
    assertThat(run("usage", "webshop", "--month", "2026-11", "-n", "acme").out()).isEqualTo(r.out());
    assertThat(Run.at(november, clients, "usage", "webshop", "--month", "2026-10", "-n", "acme").err())
        .contains("no usage recorded for project webshop in 2026-10");
    assertThat(run("usage", "webshop", "--month", "November", "-n", "acme").err())
        .contains("--month \"November\" is not a month like 2026-11");
    assertThat(run("usage", "nope", "-n", "acme").err()).contains("no Project nope");
  }

  @Test
  void keysAreShownOnceListedAndRevoked() throws Exception {
    run("project", "create", "webshop", "--env", "dev,prod", "-n", "acme");
    // plays the operator: once the ApiKey exists, its key goes into a Secret of its name, owned by it
    Thread operator = new Thread(() -> {
      for (int i = 0; i < 100; i++) {
        ApiKey k = client.resources(ApiKey.class).inNamespace("acme").withName("webshop-ci").get();
        if (k != null) {
          client.resource(Run.keySecret(k, Map.of("key", "csk_plain_42", "keyId", "key-abc"))).create();
          return;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    operator.start();
    Run made = run("keys", "create", "webshop", "--name", "webshop-ci", "--env", "prod", "--description", "CI", "-n", "acme");
    operator.join();
    assertThat(made.exit()).as(made.err()).isZero();
    assertThat(made.out()).contains("csk_plain_42").contains("key-abc").contains("shown once");
    assertThat(client.resources(ApiKey.class).inNamespace("acme").withName("webshop-ci").get().getSpec().getEnvironments())
        .containsExactly("prod");

    Run listed = run("keys", "list", "webshop", "-n", "acme");
    assertThat(listed.out()).contains("webshop-ci").contains("prod").contains("CI").doesNotContain("csk_plain_42");

    assertThat(run("keys", "create", "webshop", "--name", "webshop-ci", "-n", "acme").err()).contains("already exists");
    assertThat(run("keys", "create", "webshop", "--env", "qa", "-n", "acme").err()).contains("no environment qa");
    assertThat(run("keys", "create", "webshop", "--service", "cart", "-n", "acme").err()).contains("has no service cart");
    assertThat(run("keys", "create", "webshop", "--expires", "tomorrow", "-n", "acme").err())
        .contains("--expires \"tomorrow\" is not an instant");
    assertThat(client.resources(ApiKey.class).inNamespace("acme").list().getItems()).as("refusals made no key").hasSize(1);

    assertThat(run("keys", "revoke", "webshop-ci", "-n", "acme").exit()).isZero();
    assertThat(client.resources(ApiKey.class).inNamespace("acme").withName("webshop-ci").get()).isNull();
    assertThat(run("keys", "revoke", "webshop-ci", "-n", "acme").err()).contains("no ApiKey webshop-ci in namespace acme");
  }

  @Test
  void revenueIsTheMonthsSumsTheOperatorKeeps() {
    assertThat(run("revenue", "shopping-cart", "-n", "makers").err()).contains("no use recorded yet");
    client.resources(CodeService.class).inNamespace("makers").withName("shopping-cart").editStatus(s -> {
      s.getStatus().setUsage(usage("2026-11", 3, 4567L, "6.004567"));
      s.getStatus().setUsageHistory(List.of(usage("2026-10", 2, 1200L, "4.001200"), usage("2026-09", 1, 10L, "2.000010")));
      return s;
    });
    Run r = run("revenue", "shopping-cart", "-n", "makers");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().skip(1).toList()).as(r.out()).satisfiesExactly(
        l -> assertThat(l).contains("2026-11").contains("4567").contains("6.004567 EUR"),
        l -> assertThat(l).contains("2026-10").contains("1200").contains("4.001200 EUR"),
        l -> assertThat(l).contains("2026-09").contains("2.000010 EUR"));
    Run october = run("revenue", "shopping-cart", "--month", "2026-10", "-n", "makers", "-o", "json");
    assertThat(october.exit()).as(october.err()).isZero();
    assertThat(october.out()).contains("\"revenue\":\"4.001200 EUR\"").doesNotContain("2026-11");
    assertThat(run("revenue", "shopping-cart", "--month", "2025-01", "-n", "makers").err())
        .contains("no use recorded in 2025-01; months kept: 2026-11, 2026-10, 2026-09");
    Run bad = run("revenue", "shopping-cart", "--month", "October", "-n", "makers");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("--month \"October\" is not a month like 2026-11");
    assertThat(run("revenue", "nope", "-n", "makers").err()).contains("no Service nope in namespace makers");
  }

  static store.code.api.v1alpha1.ServiceUsage usage(String month, int projects, long requests, String revenue) {
    var u = new store.code.api.v1alpha1.ServiceUsage();
    u.setMonth(month);
    u.setProjects(projects);
    u.setRequests(requests);
    u.setCurrency("EUR");
    u.setRevenue(revenue);
    return u;
  }

  static Map<String, String> decode(Map<String, String> data) {
    Map<String, String> out = new java.util.TreeMap<>();
    data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }
}
