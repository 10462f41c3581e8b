package store.code.operator;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import store.code.operator.apikey.ApiKeyReconciler;
import store.code.operator.billing.UsageCollector;
import store.code.operator.billing.UsageSource;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstancePhases;
import store.code.operator.instance.MigrationDryRuns;
import store.code.operator.instance.ServiceInstanceReconciler;
import store.code.operator.project.ProjectReconciler;
import store.code.operator.service.ServiceReconciler;
import store.code.operator.support.Events;

/**
 * The operator: the reconcilers of its four kinds and the usage collector on one Java Operator SDK {@link Operator}. The
 * application ({@link OperatorLauncher}) and the tests against a real API server build it with the same
 * {@link #builder}, so what is tested is what runs; tests only swap what they must control (the clock, where usage is
 * read from, the replica's identity).
 */
public final class CodestoreOperator {

  private static final Logger LOG = Logger.getLogger(CodestoreOperator.class);

  private final Operator operator;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final UsageCollector collector;

  private CodestoreOperator(Builder b) {
    this.operator = new Operator(o -> {
      o.withKubernetesClient(b.client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false);
      if (b.meters != null) {
        o.withMetrics(MicrometerMetricsV2.newBuilder(b.meters).build());
      }
      // A replica that loses its lease while running exits, so two never reconcile at once. One that gives the lease
      // up because it is stopping must not: JOSDK 5.3.2 calls System.exit then too, which inside the JVM's shutdown
      // (SIGTERM) deadlocks, and in tests ends the test JVM. So JOSDK's exit is off (its builder only allows that
      // through buildForTest) and our callback exits when the lease is lost other than by stopping.
      b.leaseNamespace.ifPresent(ns -> o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
          .aLeaderElectionConfiguration("codestore-operator").withLeaseNamespace(ns)
          .withIdentity(b.identity.orElse(null)) // unset: the pod's name (HOSTNAME)
          .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.info("leading: this replica reconciles"), () -> {
            if (!stopping.get()) {
              LOG.error("lost the leader lease while running: exiting so that only the new leader reconciles");
              System.exit(1);
            }
          }, leader -> LOG.infof("leader is %s", leader))).buildForTest(false)));
    });
    Events events = new Events(b.client, b.clock);
    UsageSource usage = b.usage != null ? b.usage : UsageSource.http(b.client);
    operator.register(new ServiceReconciler(b.client, b.clock));
    this.collector = new UsageCollector(b.client, usage, b.clock, events).withMetrics(b.meters)
        .every(b.settings.usageInterval());
    operator.register(new ProjectReconciler(b.client, b.clock).withCollector(collector));
    operator.register(new ApiKeyReconciler(b.client, b.clock).withRbac(b.settings.rbac()));
    operator.register(new ServiceInstanceReconciler(b.client, b.settings, b.clock, events)
        .withPhases(new InstancePhases(b.meters)).withCollector(collector)
        .withMigrationDryRuns(b.dryRuns != null ? b.dryRuns : MigrationDryRuns.http(b.client)));
  }

  /** The operator for this cluster and these settings; what is not set takes the production default. */
  public static Builder builder(KubernetesClient client, OperatorSettings settings) {
    return new Builder(client, settings);
  }

  /** What an operator is built from. */
  public static final class Builder {
    private final KubernetesClient client;
    private final OperatorSettings settings;
    private MeterRegistry meters;
    private Optional<String> leaseNamespace = Optional.empty();
    private UsageSource usage;
    private MigrationDryRuns dryRuns;
    private Optional<String> identity = Optional.empty();
    private Clock clock = Clock.systemUTC();

    private Builder(KubernetesClient client, OperatorSettings settings) {
      this.client = client;
      this.settings = settings;
    }

    /** Where reconcile, instance and usage-collection metrics go (none when unset). */
    public Builder meters(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    /** When present, only the replica holding the Lease {@code codestore-operator} there reconciles. */
    public Builder leaseNamespace(Optional<String> namespace) {
      this.leaseNamespace = namespace;
      return this;
    }

    /** Where instances' usage is read from (default: each runtime's {@code GET /usage}). */
    public Builder usage(UsageSource usage) {
      this.usage = usage;
      return this;
    }

    /** Who answers migration dry runs before an instance moves to another version (default: its runtime pods). */
    public Builder migrationDryRuns(MigrationDryRuns dryRuns) {
      this.dryRuns = dryRuns;
      return this;
    }

    /** This replica's name in the leader Lease (default: the pod's name; replicas in one process need their own). */
    public Builder identity(String identity) {
      this.identity = Optional.of(identity);
      return this;
    }

    /** What "now" is for conditions, events, billing months and cleanup deadlines (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public CodestoreOperator build() {
      return new CodestoreOperator(this);
    }
  }

  public void start() {
    operator.start();
  }

  public void stop() {
    stopping.set(true);
    collector.close();
    operator.stop();
  }

  public Operator operator() {
    return operator;
  }
}
