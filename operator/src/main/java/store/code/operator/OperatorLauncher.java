package store.code.operator;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import store.code.operator.config.OperatorSettings;

/**
 * Starts the operator with the application and stops it on shutdown. The Kubernetes client comes
 * from Quarkus (KUBECONFIG or the in-cluster service account). Ready once every informer is synced.
 */
@ApplicationScoped
@Readiness
public class OperatorLauncher implements HealthCheck {
  private static final Logger LOG = Logger.getLogger(OperatorLauncher.class);

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final MeterRegistry meters;
  private final Optional<String> leaseNamespace;
  private volatile CodestoreOperator operator;

  public OperatorLauncher(KubernetesClient client, OperatorSettings settings, MeterRegistry meters,
      @ConfigProperty(name = "codestore.leader-election.namespace") Optional<String> leaseNamespace) {
    this.client = client;
    this.settings = settings;
    this.meters = meters;
    this.leaseNamespace = leaseNamespace;
  }

  void start(@Observes StartupEvent event) {
    LOG.infof("code.store operator starting against %s; database provider %s, storage provider %s, runtime image %s",
        client.getMasterUrl(), settings.databaseProvider(), settings.storageProvider(), settings.runtimeImage());
    operator = CodestoreOperator.builder(client, settings).meters(meters).leaseNamespace(leaseNamespace).build();
    operator.start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (operator != null) {
      operator.stop();
    }
  }

  @Override
  public HealthCheckResponse call() {
    Operator op = operator == null ? null : operator.operator();
    boolean ready = op != null && op.getRuntimeInfo().isStarted() && op.getRuntimeInfo().allEventSourcesAreHealthy();
    return HealthCheckResponse.named("operator").status(ready).build();
  }
}
