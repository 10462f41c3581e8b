package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.operator.CodestoreOperator;
import store.code.operator.billing.UsageCollector;
import store.code.operator.billing.UsageSource;
import store.code.operator.config.OperatorSettings;
import store.code.operator.support.Events;

/**
 * Usage collection with the operator running against a real API server: the runtimes' {@code GET /usage} contract
 * served by {@link FakeRuntimes} whose counters the test moves, on a {@link TestClock}; faults injected (a collector
 * restarted, a concurrent write between read and write, the month ending, a deleted instance, replicas taking over
 * and collectors racing across midnight), and the billed requests compared with the counters to the request.
 * Collection without an operator, and a collector SIGKILLed, are in {@link UsageCollectorIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpOnFailure.class)
class BillingIT {

  KubeCluster cluster;
  FakeRuntimes runtimes;
  /** The operator's and the collectors' clock: these tests choose the month, the day and the second. */
  final TestClock clock = TestClock.at("2026-11-20T10:00:00Z");

  UsageCollector collector() {
    return new UsageCollector(cluster.admin, runtimes.source(), clock, new Events(cluster.admin, clock));
  }

  @BeforeAll
  void start() throws Exception {
    runtimes = new FakeRuntimes();
    cluster = KubeCluster.withFakeProviders();
    // the operator's own collector is kept out of the way: these tests drive collections themselves
    cluster.startOperator(OperatorSettings.defaults().withUsageInterval(Duration.ofHours(1)),
        b -> b.usage(runtimes.source()).clock(clock));
    cluster.applyExamplesAndAwaitWebshop();
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

  UsageReport report(String name) {
    return cluster.admin.resources(UsageReport.class).inNamespace("acme").withName(name).get();
  }

  static UsageReportStatus.Line line(UsageReport r, String instance) {
    return r.getStatus().getLines().stream().filter(l -> l.getInstance().equals(instance)).findFirst().orElseThrow();
  }

  /** What the reports of {@code project}, whatever their month, have billed for {@code instance}. */
  long billed(String project, String instance) {
    return cluster.admin.resources(UsageReport.class).inNamespace("acme").withLabel(Labels.PROJECT, project).list()
        .getItems().stream().filter(r -> r.getStatus() != null).flatMap(r -> r.getStatus().getLines().stream())
        .filter(l -> l.getInstance().equals(instance)).mapToLong(l -> l.getRequests()).sum();
  }

  @Test
  @Order(1)
  void readingsBecomeLinesOfTheMonthsReport() {
    runtimes.counters.put("webshop-cart-dev", new long[] {100, 2});
    runtimes.counters.put("webshop-rooms-dev", new long[] {40, 0});
    assertThat(collector().collect("acme", "webshop")).isTrue();
    UsageReport r = report("webshop-2026-11");
    assertThat(r.getSpec().getPeriod().getStart()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(line(r, "webshop-cart-dev").getRequests()).isEqualTo(100);
    assertThat(line(r, "webshop-cart-dev").getService()).isEqualTo("shopping-cart");
    assertThat(line(r, "webshop-cart-dev").getMaker()).isEqualTo("acme-makers");
    assertThat(line(r, "webshop-rooms-dev").getRequests()).isEqualTo(40);
    assertThat(r.getStatus().getLines()).as("prod runtimes did not answer").hasSize(2);
    assertThat(r.getStatus().getTotal().getCurrency()).isEqualTo("EUR");
  }

  @Test
  @Order(2)
  void aRestartedCollectorAndARepeatedPassCountNothingTwice() {
    runtimes.counters.get("webshop-cart-dev")[0] = 250;
    clock.advance(Duration.ofMinutes(1));
    assertThat(collector().collect("acme", "webshop")).isTrue();
    assertThat(collector().collect("acme", "webshop")).as("the same readings again, same instant").isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(collector().collect("acme", "webshop")).as("a new collector: an operator restart").isTrue();
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(250);

    // the maker's view: this month's use of the service over all projects, nothing about the clients beyond that
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      var usage = cluster.admin.resources(store.code.api.v1alpha1.CodeService.class).inNamespace("acme-makers")
          .withName("shopping-cart").get().getStatus().getUsage();
      assertThat(usage.getMonth()).as("the month of the operator's clock").isEqualTo("2026-11");
      assertThat(usage.getProjects()).isEqualTo(1);
      assertThat(usage.getRequests()).isEqualTo(250);
      assertThat(usage.getCurrency()).isEqualTo("EUR");
      assertThat(usage.getRevenue()).isEqualTo(line(report("webshop-2026-11"), "webshop-cart-dev").getAmount());
    });
  }

  static double count(MeterRegistry meters, String outcome) {
    return meters.get("codestore.usage.collections").tag("outcome", outcome).counter().count();
  }

  @Test
  @Order(3)
  void aConcurrentWriteBetweenReadAndWriteLosesNothingAndDoublesNothing() {
    MeterRegistry meters = new SimpleMeterRegistry();
    UsageCollector collector = collector().withMetrics(meters);
    runtimes.counters.get("webshop-cart-dev")[0] = 400;
    clock.advance(Duration.ofMinutes(1));
    // someone else (another replica, a person) writes the report while this pass reads the runtimes
    AtomicBoolean touched = new AtomicBoolean();
    runtimes.beforeAnswer = instance -> {
      if (touched.compareAndSet(false, true)) {
        UsageReport r = report("webshop-2026-11");
        r.getStatus().setMessage("touched by another writer");
        cluster.admin.resource(r).updateStatus();
      }
    };
    assertThat(collector.collect("acme", "webshop")).as("409: nothing written").isFalse();
    runtimes.beforeAnswer = instance -> {};
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(250);
    assertThat(count(meters, "conflict")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(collector.collect("acme", "webshop")).isTrue();
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(400);
    assertThat(count(meters, "written")).isEqualTo(1);
    // the two prod runtimes never answer: counted as unreachable on both passes, and waiting to be billed since the
    // first, which is what the lag says
    assertThat(meters.get("codestore.usage.unreachable").counter().count()).isEqualTo(4);
    assertThat(meters.get("codestore.usage.collection.lag").gauge().value()).isEqualTo(60.0);
  }

  @Test
  @Order(4)
  void theMonthEndsFinalAndTheNextStartsFromItsCursors() {
    runtimes.counters.get("webshop-cart-dev")[0] = 450;
    clock.set("2026-11-30T23:59:59Z"); // the last second of November
    assertThat(collector().collect("acme", "webshop")).isTrue();
    runtimes.counters.get("webshop-cart-dev")[0] = 470;
    clock.set("2026-12-01T00:00:00Z"); // midnight: December
    assertThat(collector().collect("acme", "webshop")).isTrue();

    UsageReport november = report("webshop-2026-11");
    assertThat(november.getStatus().getFinalized()).isTrue();
    assertThat(line(november, "webshop-cart-dev").getRequests()).isEqualTo(450);
    UsageReport december = report("webshop-2026-12");
    assertThat(december.getSpec().getOpening().getFrom()).isEqualTo("webshop-2026-11");
    assertThat(line(december, "webshop-cart-dev").getRequests()).isEqualTo(20);
    long billed = billed("webshop", "webshop-cart-dev");
    System.out.printf("[measure] billing drift after a restart, a 409 and a month end: expected %d requests, billed %d%n",
        runtimes.counters.get("webshop-cart-dev")[0], billed);
    assertThat(billed).isEqualTo(runtimes.counters.get("webshop-cart-dev")[0]);

    // a late pass for November (a replica whose clock is behind) cannot change a final report, nor bill anywhere
    clock.set("2026-11-30T23:59:30Z");
    runtimes.counters.get("webshop-cart-dev")[0] = 480;
    assertThat(collector().collect("acme", "webshop")).isTrue();
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(450);
    assertThat(line(report("webshop-2026-12"), "webshop-cart-dev").getRequests()).isEqualTo(20);
    clock.set("2026-12-01T00:01:00Z");
    assertThat(collector().collect("acme", "webshop")).isTrue();
    assertThat(billed("webshop", "webshop-cart-dev")).as("the next pass bills what the late one read").isEqualTo(480);

    // the maker's view moves to December, and November stays readable as history (codestore revenue --month)
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      var status = cluster.admin.resources(store.code.api.v1alpha1.CodeService.class).inNamespace("acme-makers")
          .withName("shopping-cart").get().getStatus();
      assertThat(status.getUsage().getMonth()).isEqualTo("2026-12");
      assertThat(status.getUsage().getRequests()).isEqualTo(30);
      var cartLines = report("webshop-2026-11").getStatus().getLines().stream()
          .filter(l -> l.getService().equals("shopping-cart")).toList();
      assertThat(status.getUsageHistory()).singleElement().satisfies(u -> {
        assertThat(u.getMonth()).isEqualTo("2026-11");
        assertThat(u.getRequests()).isEqualTo(cartLines.stream().mapToLong(l -> l.getRequests()).sum());
        assertThat(new java.math.BigDecimal(u.getRevenue())).isEqualByComparingTo(cartLines.stream()
            .map(l -> new java.math.BigDecimal(l.getAmount())).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add));
      });
    });
  }

  @Test
  @Order(5)
  void aDeletedInstanceIsReadOnceMoreOnItsWayOut() throws Exception {
    cluster.applyYaml("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: billed, namespace: acme}
        spec:
          environments: [dev]
          deletionPolicy: Delete
          services:
          - name: rooms
            serviceRef: {name: meeting-rooms, namespace: acme-makers}
        """);
    await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> Conditions.isTrue(
        cluster.admin.resources(Project.class).inNamespace("acme").withName("billed").get().getStatus().getConditions(), "Ready"));
    // requests the collector has not seen yet, then the project goes: the operator reads the instance once more
    runtimes.counters.put("billed-rooms-dev", new long[] {77, 1});
    cluster.admin.resources(Project.class).inNamespace("acme").withName("billed").delete();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      assertThat(cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("billed-rooms-dev").get()).isNull();
      UsageReport r = report("billed-2026-12");
      assertThat(line(r, "billed-rooms-dev").getRequests()).as("billed up to its deletion").isEqualTo(77);
    });
  }

  /**
   * Two operator replicas with leader election: the leader stops, the other takes over through the Lease; then two
   * collectors that both believe they lead write through each other's 409s. Their clocks run from ten seconds before
   * midnight on the last day of January, so the run straddles the turn of the month. Every request is billed once.
   */
  @Test
  @Order(6)
  void twoReplicasTakingOverFromEachOtherAcrossMidnightBillEveryRequestOnce() throws Exception {
    cluster.stopOperator();
    String leases = "billing-leases";
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(leases).endMetadata().build())
        .create();
    OperatorSettings fast = OperatorSettings.defaults().withUsageInterval(Duration.ofMillis(300));
    TestClock running = TestClock.runningFrom("2027-01-31T23:59:50Z");
    KubernetesClient clientA = cluster.newClient();
    KubernetesClient clientB = cluster.newClient();
    CodestoreOperator a = CodestoreOperator.builder(clientA, fast).leaseNamespace(Optional.of(leases))
        .usage(runtimes.source()).identity("replica-a").clock(running).build();
    CodestoreOperator b = CodestoreOperator.builder(clientB, fast).leaseNamespace(Optional.of(leases))
        .usage(runtimes.source()).identity("replica-b").clock(running).build();
    Thread ticking = null;
    AtomicBoolean tick = new AtomicBoolean(true);
    try {
      a.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder(leases)));
      b.start();
      cluster.applyYaml("""
          apiVersion: code.store/v1alpha1
          kind: Project
          metadata: {name: replicated, namespace: acme}
          spec:
            environments: [dev]
            services:
            - name: rooms
              serviceRef: {name: meeting-rooms, namespace: acme-makers}
          """);
      long[] requests = {0, 0};
      runtimes.counters.put("replicated-rooms-dev", requests);
      ticking = new Thread(() -> { // a runtime answering requests the whole time
        while (tick.get()) {
          requests[0]++;
          LockSupport.parkNanos(1_000_000);
        }
      });
      ticking.start();
      await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> billed("replicated", "replicated-rooms-dev") > 0);
      await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> report("replicated-2027-02") != null);

      a.stop(); // the leader goes away (a rolling update, a drained node)
      long t0 = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> "replica-b".equals(holder(leases)));
      long takeover = (System.nanoTime() - t0) / 1_000_000;
      assertThat(takeover).as("takeover within the Lease's duration (15 s) and a few renewal periods, in ms")
          .isLessThan(30_000);
      long billedByA = billed("replicated", "replicated-rooms-dev");
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> billed("replicated", "replicated-rooms-dev") > billedByA);

      // two that both think they lead (a partition healing late): their first passes read the same report before
      // either writes, so one of them must lose a 409
      MeterRegistry meters = new SimpleMeterRegistry();
      CyclicBarrier bothRead = new CyclicBarrier(2);
      Runnable rogue = () -> {
        AtomicBoolean first = new AtomicBoolean(true);
        UsageSource waitingForTheOther = instance -> {
          if (first.getAndSet(false)) {
            try {
              bothRead.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
          return runtimes.source().read(instance);
        };
        UsageCollector c = new UsageCollector(cluster.admin, waitingForTheOther, running, new Events(cluster.admin, running))
            .withMetrics(meters);
        for (int i = 0; i < 30; i++) {
          c.collect("acme", "replicated");
        }
      };
      Thread r1 = new Thread(rogue);
      Thread r2 = new Thread(rogue);
      r1.start();
      r2.start();
      r1.join();
      r2.join();

      tick.set(false);
      ticking.join();
      long expected = requests[0];
      await().atMost(Duration.ofSeconds(30)).until(() -> billed("replicated", "replicated-rooms-dev") == expected);
      UsageReport january = report("replicated-2027-01");
      assertThat(january.getStatus().getFinalized()).as("January closed at midnight").isTrue();
      assertThat(line(january, "replicated-rooms-dev").getRequests()).isPositive();
      assertThat(count(meters, "conflict")).as("passes of the rogue collectors that lost a 409").isGreaterThanOrEqualTo(1);
      System.out.printf("[measure] billing drift with two replicas (leader stopped, B took over in %d ms) and two rogue "
          + "collectors (%.0f passes lost a 409), across midnight: expected %d requests, billed %d (January %d)%n",
          takeover, count(meters, "conflict"), expected, billed("replicated", "replicated-rooms-dev"),
          line(january, "replicated-rooms-dev").getRequests());
    } finally {
      tick.set(false);
      a.stop();
      b.stop();
      clientA.close();
      clientB.close();
    }
  }

  String holder(String namespace) {
    var lease = cluster.admin.leases().inNamespace(namespace).withName("codestore-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
