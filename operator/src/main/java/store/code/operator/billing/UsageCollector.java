package store.code.operator.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.operator.support.Events;

/**
 * Reads each instance's usage and writes it into its project's UsageReport of the month, on a timer of its own (a
 * collection never delays a reconcile). The report's status is written with the resourceVersion it was read at: a
 * concurrent writer makes the write fail with 409 and the next pass starts over from what is stored, and since the
 * cursors travel in the same status as the totals ({@link Ledger}), nothing is ever counted twice or lost.
 * Projects are registered by the project reconciler, which only runs on the leader.
 *
 * <p>A month's report is opened by {@link MonthlyReports} with the cursors it starts from; what a runtime answers is
 * checked ({@link UsageSource}) and what the ledger would not bill as read is an Event on the instance
 * ({@link Ledger.Anomaly}).
 *
 * <p>Metrics: {@code codestore_usage_collections_total{outcome}} (written, conflict, idle, failed),
 * {@code codestore_usage_unreachable_total} (instance readings that failed; retried next pass, nothing lost),
 * {@code codestore_usage_refused_total} (answers that are not usage readings; nothing of them billed), and
 * {@code codestore_usage_collection_lag_seconds}: how long ago the instance least recently billed had its usage
 * written into its report, which is how much usage a lost cluster would leave unbilled.
 */
public final class UsageCollector implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(UsageCollector.class);

  private final KubernetesClient client;
  private final UsageSource source;
  private final Clock clock;
  private final Events events;
  private final MonthlyReports reports;
  private final Set<String> projects = ConcurrentHashMap.newKeySet();
  /** namespace/project -> instance -> when its usage was last written into a report (or first seen). */
  private final Map<String, Map<String, Instant>> billedAt = new ConcurrentHashMap<>();
  private Counter written;
  private Counter conflicts;
  private Counter idle;
  private Counter failed;
  private Counter unreachable;
  private Counter refused;
  private ScheduledExecutorService timer;

  public UsageCollector(KubernetesClient client, UsageSource source, Clock clock, Events events) {
    this.client = client;
    this.source = source;
    this.clock = clock;
    this.events = events;
    this.reports = new MonthlyReports(client);
    registerMeters(new SimpleMeterRegistry()); // counting never needs a null check
  }

  /** Registers this collector's meters (see the class comment). */
  public UsageCollector withMetrics(MeterRegistry meters) {
    if (meters != null) {
      registerMeters(meters);
    }
    return this;
  }

  private void registerMeters(MeterRegistry meters) {
    written = outcome(meters, "written");
    conflicts = outcome(meters, "conflict");
    idle = outcome(meters, "idle");
    failed = outcome(meters, "failed");
    unreachable = Counter.builder("codestore.usage.unreachable")
        .description("Instance usage readings that failed (the runtime did not answer); retried on the next pass")
        .register(meters);
    refused = Counter.builder("codestore.usage.refused")
        .description("Instance usage readings refused (too large, not JSON, a value missing or negative); not billed")
        .register(meters);
    Gauge.builder("codestore.usage.collection.lag", this, c -> c.lag().toMillis() / 1000.0).baseUnit("seconds")
        .description("Time since the least recently billed instance had its usage written into its UsageReport")
        .register(meters);
  }

  private static Counter outcome(MeterRegistry meters, String outcome) {
    return Counter.builder("codestore.usage.collections").tag("outcome", outcome)
        .description("Usage collection passes per project, by outcome").register(meters);
  }

  /** How long ago the least recently billed instance was billed (zero when nothing is tracked). */
  public Duration lag() {
    Instant now = clock.instant();
    return billedAt.values().stream().flatMap(m -> m.values().stream()).min(Instant::compareTo)
        .map(oldest -> Duration.between(oldest, now)).filter(d -> !d.isNegative()).orElse(Duration.ZERO);
  }

  public UsageCollector every(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "usage-collector");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::collectAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public void track(String namespace, String project) {
    projects.add(namespace + "/" + project);
  }

  public void forget(String namespace, String project) {
    projects.remove(namespace + "/" + project);
    billedAt.remove(namespace + "/" + project);
  }

  /**
   * One pass over every tracked project. The instances are listed once per namespace, not once per project: the API
   * server reads a namespace's instances whole for any label selector, so a list per project would make a pass grow
   * with the square of a namespace's instances.
   */
  public void collectAll() {
    Map<String, List<String>> byNamespace = new TreeMap<>();
    for (String p : List.copyOf(projects)) {
      String[] parts = p.split("/", 2);
      byNamespace.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
    }
    byNamespace.forEach((namespace, inNamespace) -> {
      Map<String, List<ServiceInstance>> instances;
      try {
        instances = client.resources(ServiceInstance.class).inNamespace(namespace).withLabel(Labels.PROJECT).list()
            .getItems().stream().collect(Collectors.groupingBy(si -> si.getMetadata().getLabels()
                .get(Labels.PROJECT)));
      } catch (RuntimeException e) {
        failed.increment();
        LOG.warnf("usage of the projects in namespace %s not collected this time: %s", namespace, e.getMessage());
        return;
      }
      for (String project : inNamespace) {
        try {
          pass(namespace, project, null, instances.getOrDefault(project, List.of()));
        } catch (RuntimeException e) {
          failed.increment();
          LOG.warnf("usage of project %s/%s not collected this time: %s", namespace, project, e.getMessage());
        }
      }
    });
  }

  /** One pass for one project. Returns false when the write lost a race (409) and nothing was written. */
  public boolean collect(String namespace, String project) {
    return collect(namespace, project, null);
  }

  /** Like {@link #collect(String, String)}, reading only {@code onlyInstance} when given (its last reading). */
  public boolean collect(String namespace, String project, String onlyInstance) {
    try {
      return pass(namespace, project, onlyInstance, client.resources(ServiceInstance.class).inNamespace(namespace)
          .withLabel(Labels.PROJECT, project).list().getItems());
    } catch (RuntimeException e) {
      failed.increment();
      throw e;
    }
  }

  /** @param instances the project's instances, as listed for this pass */
  private boolean pass(String namespace, String project, String onlyInstance, List<ServiceInstance> instances) {
    Instant now = clock.instant();
    YearMonth month = MonthlyReports.monthOf(now);
    // read before the readings: a write based on it fails if anyone changed it meanwhile
    UsageReport stored = reports.get(namespace, project, month);
    List<Reading> readings = new ArrayList<>();
    Map<String, ServiceInstance> read = new HashMap<>();
    Map<String, Instant> billed = billedAt.computeIfAbsent(namespace + "/" + project, k -> new ConcurrentHashMap<>());
    if (onlyInstance == null) { // instances gone since the last pass are no longer waiting to be billed
      Set<String> listed = new HashSet<>();
      instances.forEach(si -> listed.add(si.getMetadata().getName()));
      billed.keySet().retainAll(listed);
    }
    Map<String, Optional<CodeService>> services = new HashMap<>(); // dev and prod share a Service
    for (ServiceInstance si : instances) {
      if (si.getStatus() == null || si.getStatus().getTargetNamespace() == null
          || (onlyInstance != null && !onlyInstance.equals(si.getMetadata().getName()))) {
        continue;
      }
      billed.putIfAbsent(si.getMetadata().getName(), now);
      UsageSource.Answer answer = source.read(si);
      if (answer instanceof UsageSource.Unreachable) {
        unreachable.increment();
        continue;
      }
      if (answer instanceof UsageSource.Refused x) {
        refused.increment();
        events.warning(si, Ledger.REFUSED, "the runtime's usage reading was refused and nothing of it billed: " + x.why());
        continue;
      }
      UsageSource.Usage u = ((UsageSource.Read) answer).usage();
      var ref = si.getSpec().getServiceRef();
      String serviceNs = ref.namespaceOr(namespace);
      CodeService service = services.computeIfAbsent(serviceNs + "/" + ref.getName(), k -> Optional.ofNullable(
          client.resources(CodeService.class).inNamespace(serviceNs).withName(ref.getName()).get())).orElse(null);
      read.put(si.getMetadata().getName(), si);
      readings.add(new Reading(si.getMetadata().getName(), ref.getName(), serviceNs, si.getSpec().getEnvironment(),
          service == null ? null : service.getSpec().getPricing(), u.epoch(), u.requests(), u.errors(),
          u.databaseBytes(), u.bucketBytes(), now, Instant.parse(si.getMetadata().getCreationTimestamp()),
          si.getMetadata().getDeletionTimestamp() == null ? null : Instant.parse(si.getMetadata().getDeletionTimestamp()),
          si.getStatus().getPhase() == Phase.Ready));
    }
    if (readings.isEmpty()) {
      idle.increment();
      return true; // nothing reachable: no report is created, nothing written
    }
    try {
      UsageReport report = stored != null ? stored : reports.open(namespace, project, month, readings, now);
      UsageReportStatus start = reports.startingStatus(namespace, report);
      if (Boolean.TRUE.equals(start.getFinalized())) {
        idle.increment(); // a pass late for a month already closed (a clock behind): the next one bills these readings
        return true;
      }
      Ledger.Result next = Ledger.apply(start, MonthlyReports.period(month), readings, now);
      report.setStatus(next.status());
      client.resource(report).updateStatus(); // carries the resourceVersion it was read at
      readings.forEach(r -> billed.put(r.instance(), now));
      written.increment();
      next.anomalies().forEach(a -> events.warning(read.get(a.instance()), a.reason(), a.message()));
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        conflicts.increment();
        LOG.infof("usage report of %s/%s for %s changed meanwhile; the next pass re-reads it", namespace, project, month);
        return false;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
