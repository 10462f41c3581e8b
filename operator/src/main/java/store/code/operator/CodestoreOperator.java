package store.code.operator;

import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import store.code.operator.config.OperatorSettings;
import store.code.operator.billing.UsageCollector;
import store.code.operator.billing.UsageSource;
import store.code.operator.instance.InstancePhases;
import store.code.operator.instance.ServiceInstanceReconciler;
import store.code.operator.project.ProjectReconciler;
import store.code.operator.service.ServiceReconciler;

/**
 * The operator: the three reconcilers on one Java Operator SDK {@link Operator}. The application
 * ({@link OperatorLauncher}) and the tests against a real API server build it with this same method,
 * so what is tested is what runs.
 */
public final class CodestoreOperator {

  private static final Logger LOG = Logger.getLogger(CodestoreOperator.class);

  private final Operator operator;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final UsageCollector collector;

  private CodestoreOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      Optional<String> leaseNamespace, UsageSource usage, Optional<String> identity) {
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false);
      if (meters != null) {
        o.withMetrics(MicrometerMetricsV2.newBuilder(meters).build());
      }
      // A replica that loses its lease while running exits, so two never reconcile at once. One that gives the lease
      // up because it is stopping must not: JOSDK 5.3.2 calls System.exit then too, which inside the JVM's shutdown
      // (SIGTERM) deadlocks, and in tests ends the test JVM. So JOSDK's exit is off (its builder only allows that
      // through buildForTest) and our callback exits when the lease is lost other than by stopping.
      leaseNamespace.ifPresent(ns -> o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
          .aLeaderElectionConfiguration("codestore-operator").withLeaseNamespace(ns)
          .withIdentity(identity.orElse(null)) // unset: the pod's name (HOSTNAME)
          .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.info("leading: this replica reconciles"), () -> {
            if (!stopping.get()) {
              LOG.error("lost the leader lease while running: exiting so that only the new leader reconciles");
              System.exit(1);
            }
          }, leader -> LOG.infof("leader is %s", leader))).buildForTest(false)));
    });
    operator.register(new ServiceReconciler(client));
    this.collector = new UsageCollector(client, usage, java.time.Clock.systemUTC()).withMetrics(meters)
        .every(settings.usageInterval());
    operator.register(new ProjectReconciler(client).withCollector(collector));
    operator.register(new ServiceInstanceReconciler(client, settings).withPhases(new InstancePhases(meters))
        .withCollector(collector));
  }

  /**
   * @param leaseNamespace when present, only the replica holding the Lease {@code codestore-operator}
   *     in that namespace reconciles; others wait to take over
   */
  public static CodestoreOperator create(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      Optional<String> leaseNamespace) {
    return create(client, settings, meters, leaseNamespace, UsageSource.http(client));
  }

  /** @param usage where instances' usage is read from (the runtimes' /usage; tests serve that contract themselves) */
  public static CodestoreOperator create(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      Optional<String> leaseNamespace, UsageSource usage) {
    return new CodestoreOperator(client, settings, meters, leaseNamespace, usage, Optional.empty());
  }

  /** @param identity this replica's name in the leader Lease (replicas in one process need distinct ones) */
  public static CodestoreOperator create(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      Optional<String> leaseNamespace, UsageSource usage, String identity) {
    return new CodestoreOperator(client, settings, meters, leaseNamespace, usage, Optional.of(identity));
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
