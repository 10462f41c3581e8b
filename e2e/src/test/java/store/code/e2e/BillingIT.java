package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import store.code.api.Conditions;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.operator.CodestoreOperator;
import store.code.operator.billing.UsageCollector;
import store.code.operator.billing.UsageSource;
import store.code.operator.config.OperatorSettings;

/**
 * Usage collection against a real API server: the runtimes' {@code GET /usage} contract served by a test HTTP
 * server whose counters the test moves, faults injected (a collector restarted, a concurrent write between read and
 * write, the month ending), and the billed requests compared with the counters to the request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpOnFailure.class)
class BillingIT {

  KubeCluster cluster;
  HttpServer usageServer;
  final Map<String, long[]> counters = new ConcurrentHashMap<>(); // instance -> {requests, errors}
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-20T10:00:00Z"));
  final AtomicReference<Runnable> duringReadings = new AtomicReference<>(() -> {});

  final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  /** The runtime's contract, over HTTP, one path per instance. */
  UsageSource source() {
    HttpClient http = HttpClient.newHttpClient();
    return instance -> {
      duringReadings.get().run();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + usageServer.getAddress().getPort()
            + "/usage/" + instance.getMetadata().getName())).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? UsageSource.parse(r.body()) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    };
  }

  UsageCollector collector() {
    return new UsageCollector(cluster.admin, source(), clock);
  }

  @BeforeAll
  void start() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(KubeCluster.thirdPartyCrds().isPresent(),
        "the upstream CNPG and ObjectBucketClaim CRDs are not beside the repository (../shared/third-party-crds)");
    usageServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    usageServer.createContext("/usage/", exchange -> {
      String instance = exchange.getRequestURI().getPath().substring("/usage/".length());
      long[] c = counters.get(instance);
      byte[] body = c == null ? new byte[0] : ("{\"requests\":" + c[0] + ",\"errors\":" + c[1]
          + ",\"databaseBytes\":1073741824,\"bucketBytes\":0}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(c == null ? 404 : 200, c == null ? -1 : body.length);
      if (c != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    usageServer.start();
    cluster = KubeCluster.withFakeProviders();
    // the operator's own collector is kept out of the way: these tests drive collections with a clock of their own
    cluster.startOperator(OperatorSettings.defaults().withUsageInterval(Duration.ofHours(1)), source());
    cluster.applyExamples();
    await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> Conditions.isTrue(
        cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get().getStatus().getConditions(), "Ready"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (usageServer != null) {
      usageServer.stop(0);
    }
  }

  UsageReport report(String name) {
    return cluster.admin.resources(UsageReport.class).inNamespace("acme").withName(name).get();
  }

  static UsageReportStatus.Line line(UsageReport r, String instance) {
    return r.getStatus().getLines().stream().filter(l -> l.getInstance().equals(instance)).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
  void readingsBecomeLinesOfTheMonthsReport() {
    counters.put("webshop-cart-dev", new long[] {100, 2});
    counters.put("webshop-rooms-dev", new long[] {40, 0});
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
    counters.get("webshop-cart-dev")[0] = 250;
    now.set(now.get().plus(Duration.ofMinutes(1)));
    // an operator that dies after reading the runtimes, before writing: nothing is written, so nothing is lost
    duringReadings.set(() -> {
      duringReadings.set(() -> {});
      throw new IllegalStateException("operator killed between read and write");
    });
    assertThatThrownBy(() -> collector().collect("acme", "webshop")).hasMessageContaining("killed");
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(100);
    assertThat(collector().collect("acme", "webshop")).isTrue();
    now.set(now.get().plus(Duration.ofMinutes(1)));
    assertThat(collector().collect("acme", "webshop")).as("a new collector: an operator restart").isTrue();
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(250);

    // the maker's view: this month's use of the service over all projects, nothing about the clients beyond that
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      var usage = cluster.admin.resources(store.code.api.v1alpha1.CodeService.class).inNamespace("acme-makers")
          .withName("shopping-cart").get().getStatus().getUsage();
      assertThat(usage.getMonth()).isEqualTo(java.time.YearMonth.now(ZoneOffset.UTC).toString());
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
    counters.get("webshop-cart-dev")[0] = 400;
    now.set(now.get().plus(Duration.ofMinutes(1)));
    // someone else (another replica, a person) writes the report while this pass reads the runtimes
    duringReadings.set(() -> {
      duringReadings.set(() -> {});
      UsageReport r = report("webshop-2026-11");
      r.getStatus().setMessage("touched by another writer");
      cluster.admin.resource(r).updateStatus();
    });
    assertThat(collector.collect("acme", "webshop")).as("409: nothing written").isFalse();
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(250);
    assertThat(count(meters, "conflict")).isEqualTo(1);
    now.set(now.get().plus(Duration.ofMinutes(1)));
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
    counters.get("webshop-cart-dev")[0] = 450;
    now.set(Instant.parse("2026-11-30T23:59:00Z"));
    collector().collect("acme", "webshop");
    counters.get("webshop-cart-dev")[0] = 470;
    now.set(Instant.parse("2026-12-01T00:05:00Z"));
    assertThat(collector().collect("acme", "webshop")).isTrue();

    UsageReport november = report("webshop-2026-11");
    assertThat(november.getStatus().getFinalized()).isTrue();
    UsageReport december = report("webshop-2026-12");
    assertThat(line(december, "webshop-cart-dev").getRequests()).isEqualTo(20);
    long billed = line(november, "webshop-cart-dev").getRequests() + line(december, "webshop-cart-dev").getRequests();
    System.out.printf("[measure] billing drift after a restart, a 409 and a month end: expected %d requests, billed %d%n",
        counters.get("webshop-cart-dev")[0], billed);
    assertThat(billed).isEqualTo(counters.get("webshop-cart-dev")[0]);

    // a late pass for November (a slow replica) cannot change a final report
    now.set(Instant.parse("2026-11-30T23:59:30Z"));
    counters.get("webshop-cart-dev")[0] = 480;
    collector().collect("acme", "webshop");
    assertThat(line(report("webshop-2026-11"), "webshop-cart-dev").getRequests()).isEqualTo(450);
    assertThat(cluster.admin.resources(ServiceInstance.class).inNamespace("acme").list().getItems()).isNotEmpty();
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
    counters.put("billed-rooms-dev", new long[] {77, 1});
    cluster.admin.resources(Project.class).inNamespace("acme").withName("billed").delete();
    String month = java.time.YearMonth.now(ZoneOffset.UTC).toString();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      assertThat(cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("billed-rooms-dev").get()).isNull();
      UsageReport r = report("billed-" + month);
      assertThat(line(r, "billed-rooms-dev").getRequests()).as("billed up to its deletion").isEqualTo(77);
    });
  }

  @Test
  @Order(6)
  void twoReplicasTakingOverFromEachOtherBillEveryRequestOnce() throws Exception {
    cluster.stopOperator();
    String leases = "billing-leases";
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(leases).endMetadata().build())
        .create();
    OperatorSettings fast = OperatorSettings.defaults().withUsageInterval(Duration.ofMillis(300));
    KubernetesClient clientA = cluster.newClient();
    KubernetesClient clientB = cluster.newClient();
    // both replicas bill with the real clock, this month
    CodestoreOperator a = CodestoreOperator.create(clientA, fast, null, Optional.of(leases), source(), "replica-a");
    CodestoreOperator b = CodestoreOperator.create(clientB, fast, null, Optional.of(leases), source(), "replica-b");
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
      counters.put("replicated-rooms-dev", requests);
      ticking = new Thread(() -> { // a runtime answering requests the whole time
        while (tick.get()) {
          requests[0]++;
          LockSupport.parkNanos(1_000_000);
        }
      });
      ticking.start();
      String name = "replicated-" + java.time.YearMonth.now(ZoneOffset.UTC);
      await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> line(report(name), "replicated-rooms-dev").getRequests() > 0);

      a.stop(); // the leader goes away (a rolling update, a drained node)
      long t0 = System.nanoTime();
      long billedByA = line(report(name), "replicated-rooms-dev").getRequests();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> line(report(name), "replicated-rooms-dev").getRequests() > billedByA);
      long takeover = (System.nanoTime() - t0) / 1_000_000;
      assertThat(holder(leases)).isEqualTo("replica-b");

      // and two that both think they lead (a partition healing late) write through each other's 409s
      MeterRegistry meters = new SimpleMeterRegistry();
      Runnable rogue = () -> {
        UsageCollector c = new UsageCollector(cluster.admin, source(), Clock.systemUTC()).withMetrics(meters);
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
      await().atMost(Duration.ofSeconds(30)).until(() -> line(report(name), "replicated-rooms-dev").getRequests() == expected);
      System.out.printf("[measure] billing drift with two replicas (leader stopped, B took over in %d ms) and two rogue "
          + "collectors (%.0f passes lost a 409): expected %d requests, billed %d%n", takeover, count(meters, "conflict"),
          expected, line(report(name), "replicated-rooms-dev").getRequests());
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
