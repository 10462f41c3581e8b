package store.code.operator;

import java.util.Optional;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.ServiceInstanceReconciler;
import store.code.operator.project.ProjectReconciler;
import store.code.operator.service.ServiceReconciler;

/**
 * Builds the operator: the three reconcilers on one Java Operator SDK {@link Operator}. The
 * application ({@link OperatorLauncher}) and the tests against a real API server use this same
 * method, so what is tested is what runs.
 */
public final class CodestoreOperator {
  private CodestoreOperator() {}

  /**
   * @param leaseNamespace when present, only the replica holding the Lease {@code codestore-operator}
   *     in that namespace reconciles; others wait to take over
   */
  public static Operator create(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      Optional<String> leaseNamespace) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false);
      if (meters != null) {
        o.withMetrics(MicrometerMetricsV2.newBuilder(meters).build());
      }
      leaseNamespace.ifPresent(ns -> o.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration("codestore-operator", ns)));
    });
    operator.register(new ServiceReconciler(client));
    operator.register(new ProjectReconciler(client));
    operator.register(new ServiceInstanceReconciler(client, settings));
    return operator;
  }
}
