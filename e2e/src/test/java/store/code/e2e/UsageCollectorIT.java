package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceInstanceStatus;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportSpec;
import store.code.operator.billing.Ledger;
import store.code.operator.billing.UsageCollector;
import store.code.operator.support.Events;

/**
 * The usage collector alone against a real API server (no operator: the tests write the instances and their status
 * themselves), one project per test: how a month's report opens, what a runtime's answer must be to be billed, and a
 * collector killed with SIGKILL in the middle of a pass. Each test compares what was billed with the counters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class UsageCollectorIT {

  KubeCluster cluster;
  FakeRuntimes runtimes;
  final AtomicInteger projects = new AtomicInteger();

  @BeforeAll
  void start() throws Exception {
    runtimes = new FakeRuntimes();
    cluster = new KubeCluster();
    DumpOnFailure.cluster = cluster;
    cluster.installCodestoreCrds();
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (runtimes != null) {
      runtimes.close();
    }
  }

  /** A client project in a namespace of its own, its service priced per request, and one running instance per name. */
  record Billed(String namespace, String project) {}

  Billed project(String... instances) {
    String ns = "billing-" + projects.incrementAndGet();
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    CodeService service = new CodeService();
    service.getMetadata().setName("notes");
    service.setSpec(new ServiceSpec());
    service.getSpec().setVersion("1.0.0");
    service.getSpec().setSchema("type Note @model { text: String! }");
    Pricing pricing = new Pricing();
    pricing.setCurrency("EUR");
    pricing.setPerMillionRequests("2.00");
    service.getSpec().setPricing(pricing);
    cluster.admin.resources(CodeService.class).inNamespace(ns).resource(service).create();
    for (String name : instances) {
      ServiceInstance si = new ServiceInstance();
      si.getMetadata().setName(name);
      si.getMetadata().setLabels(Map.of(Labels.PROJECT, "shop"));
      si.setSpec(new ServiceInstanceSpec());
      ServiceRef ref = new ServiceRef();
      ref.setName("notes");
      si.getSpec().setServiceRef(ref);
      si.getSpec().setProject("shop");
      si.getSpec().setEnvironment("dev");
      ServiceInstance created = cluster.admin.resources(ServiceInstance.class).inNamespace(ns).resource(si).create();
      ServiceInstanceStatus status = new ServiceInstanceStatus();
      status.setPhase(Phase.Ready);
      status.setTargetNamespace("cs-" + ns + "-" + name);
      created.setStatus(status);
      cluster.admin.resource(created).updateStatus();
    }
    return new Billed(ns, "shop");
  }

  UsageCollector collector(KubernetesClient client, Clock clock, MeterRegistry meters) {
    return new UsageCollector(client, runtimes.source(), clock, new Events(client, clock)).withMetrics(meters);
  }

  UsageCollector collector(Clock clock) {
    return collector(cluster.admin, clock, new SimpleMeterRegistry());
  }

  UsageReport report(Billed p, String month) {
    return cluster.admin.resources(UsageReport.class).inNamespace(p.namespace()).withName(p.project() + "-" + month).get();
  }

  /** Requests billed for {@code instance} over every report of the project, whatever the month. */
  long billed(Billed p, String instance) {
    return cluster.admin.resources(UsageReport.class).inNamespace(p.namespace()).list().getItems().stream()
        .filter(r -> r.getStatus() != null).flatMap(r -> r.getStatus().getLines().stream())
        .filter(l -> l.getInstance().equals(instance)).mapToLong(l -> l.getRequests()).sum();
  }

  List<String> events(Billed p, String instance) {
    return cluster.admin.v1().events().inNamespace(p.namespace()).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(instance))
        .map(e -> e.getReason() + ": " + e.getMessage() + " (x" + e.getCount() + ")").toList();
  }

  /**
   * Billing hole: the first pass of a month created the report, then wrote its cursors in a second write; when that
   * write failed, the next pass read a report without cursors as "start from zero" and billed every counter's whole
   * life again. The second write fails here for real: the collector acts as a user whose RBAC allows creating reports
   * and closing November's, but not writing December's status (403).
   */
  @Test
  void aMonthsFirstWriteThatFailsAfterTheReportIsCreatedBillsNothingTwice() {
    Billed p = project("shop-notes-dev");
    runtimes.counters.put("shop-notes-dev", new long[] {1_000, 0});
    assertThat(collector(TestClock.at("2026-11-30T23:59:59Z")).collect(p.namespace(), p.project())).isTrue();
    assertThat(billed(p, "shop-notes-dev")).isEqualTo(1_000);

    String user = "collector-without-status-" + p.namespace();
    cluster.admin.rbac().roles().inNamespace(p.namespace()).resource(new RoleBuilder().withNewMetadata()
        .withName("no-status").endMetadata().withRules(
            new PolicyRuleBuilder().withApiGroups("code.store").withResources("serviceinstances", "services", "usagereports")
                .withVerbs("get", "list", "create").build(),
            // November's report may be closed; December's, once created, not written
            new PolicyRuleBuilder().withApiGroups("code.store").withResources("usagereports/status")
                .withResourceNames("shop-2026-11").withVerbs("get", "update").build(),
            new PolicyRuleBuilder().withApiGroups("").withResources("events").withVerbs("get", "create", "patch").build())
        .build()).create();
    cluster.admin.rbac().roleBindings().inNamespace(p.namespace()).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("no-status").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "no-status")
        .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName(user).endSubject().build())
        .create();
    runtimes.counters.get("shop-notes-dev")[0] = 1_100;
    try (KubernetesClient limited = cluster.newClientAs(user)) {
      TestClock midnight = TestClock.at("2026-12-01T00:00:00Z");
      assertThatThrownBy(() -> collector(limited, midnight, new SimpleMeterRegistry()).collect(p.namespace(), p.project()))
          .isInstanceOf(KubernetesClientException.class).hasMessageContaining("Forbidden");
    }
    UsageReport december = report(p, "2026-12");
    assertThat(december).as("created by the failed pass").isNotNull();
    assertThat(december.getSpec().getOpening().getCursors()).as("with the cursors it starts from")
        .anySatisfy(c -> assertThat(c.getValue()).isEqualTo(1_000));

    assertThat(collector(TestClock.at("2026-12-01T00:01:00Z")).collect(p.namespace(), p.project())).isTrue();
    assertThat(billed(p, "shop-notes-dev")).as("1,000 in November and 100 in December, not 1,100 again")
        .isEqualTo(1_100);
    assertThat(report(p, "2026-12").getStatus().getLines().get(0).getRequests()).isEqualTo(100);
  }

  /**
   * Billing hole: cursors came only from last month's report, so a project with no report last month (collection
   * down for a whole month, or the project re-created after a Retain delete) was billed its history again.
   */
  @Test
  void aMonthWithoutAReportStartsFromTheLatestEarlierOne() {
    Billed p = project("shop-notes-dev");
    runtimes.counters.put("shop-notes-dev", new long[] {500, 5});
    assertThat(collector(TestClock.at("2026-10-10T12:00:00Z")).collect(p.namespace(), p.project())).isTrue();
    // no pass in November
    runtimes.counters.get("shop-notes-dev")[0] = 800;
    assertThat(collector(TestClock.at("2026-12-02T08:00:00Z")).collect(p.namespace(), p.project())).isTrue();

    assertThat(report(p, "2026-11")).as("no pass, no report").isNull();
    assertThat(report(p, "2026-10").getStatus().getFinalized()).as("October closed when December opened").isTrue();
    assertThat(report(p, "2026-12").getSpec().getOpening().getFrom()).isEqualTo("shop-2026-10");
    assertThat(report(p, "2026-12").getStatus().getLines().get(0).getRequests()).isEqualTo(300);
    assertThat(billed(p, "shop-notes-dev")).isEqualTo(800);
  }

  /** A report without cursors, as an operator older than openings could leave it, is never read as zero. */
  @Test
  void aReportWithoutCursorsIsReadFromTheLatestEarlierReportNotFromZero() {
    Billed p = project("shop-notes-dev");
    runtimes.counters.put("shop-notes-dev", new long[] {2_000, 0});
    assertThat(collector(TestClock.at("2026-11-15T00:00:00Z")).collect(p.namespace(), p.project())).isTrue();
    UsageReport bare = new UsageReport();
    bare.getMetadata().setName("shop-2026-12");
    bare.getMetadata().setLabels(Map.of(Labels.PROJECT, "shop"));
    bare.setSpec(new UsageReportSpec());
    bare.getSpec().setProject("shop");
    UsageReportSpec.Period period = new UsageReportSpec.Period();
    period.setStart("2026-12-01T00:00:00Z");
    period.setEnd("2027-01-01T00:00:00Z");
    bare.getSpec().setPeriod(period);
    cluster.admin.resources(UsageReport.class).inNamespace(p.namespace()).resource(bare).create();

    runtimes.counters.get("shop-notes-dev")[0] = 2_050;
    assertThat(collector(TestClock.at("2026-12-03T00:00:00Z")).collect(p.namespace(), p.project())).isTrue();
    assertThat(report(p, "2026-12").getStatus().getLines().get(0).getRequests()).isEqualTo(50);
    assertThat(billed(p, "shop-notes-dev")).isEqualTo(2_050);
  }

  /**
   * What a runtime answers is checked before anything is billed: too large, not JSON, a negative counter are refused
   * with an Event; a counter below what was billed in its epoch bills nothing and says so; a new epoch (the database
   * created anew) is billed from zero and says so.
   */
  @Test
  void readingsThatCannotBeTrueAreRefusedWithAnEventAndNeverBilled() {
    Billed p = project("shop-notes-dev");
    String si = "shop-notes-dev";
    MeterRegistry meters = new SimpleMeterRegistry();
    TestClock clock = TestClock.at("2026-11-03T10:00:00Z");
    UsageCollector collector = collector(cluster.admin, clock, meters);
    runtimes.counters.put(si, new long[] {400, 4});
    assertThat(collector.collect(p.namespace(), p.project())).isTrue();

    for (String answer : List.of("{\"requests\": 1, \"errors\": 0, \"padding\": \"" + "x".repeat(10_000) + "\"}",
        "{\"requests\": -400, \"errors\": 0}", "<html>busy</html>", "{\"requests\": 1.5, \"errors\": 0}")) {
      runtimes.rawAnswers.put(si, answer);
      clock.advance(java.time.Duration.ofMinutes(1));
      assertThat(collector.collect(p.namespace(), p.project())).isTrue();
    }
    runtimes.rawAnswers.remove(si);
    assertThat(meters.get("codestore.usage.refused").counter().count()).isEqualTo(4);
    assertThat(billed(p, si)).as("nothing of a refused answer").isEqualTo(400);
    assertThat(events(p, si)).anySatisfy(e -> assertThat(e).startsWith(Ledger.REFUSED).contains("larger than 4096 bytes"))
        .anySatisfy(e -> assertThat(e).contains("\"requests\" is -400: a counter or size is never negative"))
        .anySatisfy(e -> assertThat(e).contains("not JSON"))
        .anySatisfy(e -> assertThat(e).contains("\"requests\" is 1.5: not an integer"));

    runtimes.counters.get(si)[0] = 350; // restored from a backup: the same epoch, below what was billed
    clock.advance(java.time.Duration.ofMinutes(1));
    assertThat(collector.collect(p.namespace(), p.project())).isTrue();
    assertThat(billed(p, si)).isEqualTo(400);
    runtimes.counters.get(si)[0] = 380;
    clock.advance(java.time.Duration.ofMinutes(1));
    assertThat(collector.collect(p.namespace(), p.project())).isTrue();
    assertThat(billed(p, si)).as("the 30 requests served after the restore").isEqualTo(430);

    runtimes.epochs.put(si, "e2"); // the database created anew: counting starts from zero
    runtimes.counters.get(si)[0] = 12;
    clock.advance(java.time.Duration.ofMinutes(1));
    assertThat(collector.collect(p.namespace(), p.project())).isTrue();
    assertThat(billed(p, si)).isEqualTo(442);
    assertThat(events(p, si)).anySatisfy(e -> assertThat(e).startsWith(Ledger.WENT_BACK).contains("from 400 to 350"))
        .anySatisfy(e -> assertThat(e).startsWith(Ledger.RESTARTED).contains("new epoch e2"));
  }

  /**
   * The collector's JVM is killed with SIGKILL after it read the report and the first runtime, before it wrote: the
   * report is as it was, and the next pass bills exactly what the counters say (drift 0).
   */
  @Test
  void aCollectorSigkilledBetweenReadingAndWritingLosesNothingAndDoublesNothing() throws Exception {
    Billed p = project("shop-notes-dev", "shop-notes-prod");
    runtimes.counters.put("shop-notes-dev", new long[] {100, 1});
    runtimes.counters.put("shop-notes-prod", new long[] {50, 0});
    assertThat(collector(TestClock.at("2026-11-10T00:00:00Z")).collect(p.namespace(), p.project())).isTrue();
    String before = report(p, "2026-11").getMetadata().getResourceVersion();
    runtimes.counters.get("shop-notes-dev")[0] = 300;
    runtimes.counters.get("shop-notes-prod")[0] = 80;

    CountDownLatch secondReading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    runtimes.beforeAnswer = instance -> {
      if (instance.equals("shop-notes-prod")) { // instances are read in name order: dev was read already
        secondReading.countDown();
        try {
          release.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    Path log = Files.createTempFile("collector", ".log");
    Process collector = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CollectorProcess.class.getName(), cluster.writeKubeconfig().toString(),
        runtimes.url(), p.namespace(), p.project(), "2026-11-11T00:00:00Z")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(secondReading.await(2, TimeUnit.MINUTES)).as("the collector process reached the second runtime; its "
          + "output:%n%s", Files.readString(log)).isTrue();
      collector.destroyForcibly(); // SIGKILL
      assertThat(collector.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(collector.exitValue()).as("ended by SIGKILL").isEqualTo(128 + 9);
    } finally {
      release.countDown();
      runtimes.beforeAnswer = instance -> {};
      collector.destroyForcibly();
    }
    assertThat(report(p, "2026-11").getMetadata().getResourceVersion()).as("nothing written").isEqualTo(before);
    assertThat(billed(p, "shop-notes-dev")).isEqualTo(100);

    assertThat(collector(TestClock.at("2026-11-11T00:01:00Z")).collect(p.namespace(), p.project())).isTrue();
    long drift = Math.abs(billed(p, "shop-notes-dev") - 300) + Math.abs(billed(p, "shop-notes-prod") - 80);
    System.out.printf("[measure] billing drift after a collector SIGKILLed between reading and writing: %d%n", drift);
    assertThat(drift).isZero();
  }
}
