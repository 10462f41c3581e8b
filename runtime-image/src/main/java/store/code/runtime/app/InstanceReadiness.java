package store.code.runtime.app;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Ready once the database holds the schema; the response says why not otherwise (kubectl describe shows it). */
@Readiness
@ApplicationScoped
public class InstanceReadiness implements HealthCheck {

  @Inject
  Instance instance;

  @Override
  public HealthCheckResponse call() {
    var r = HealthCheckResponse.named("instance").status(instance.state() == Instance.State.READY)
        .withData("state", instance.state().name()).withData("message", instance.message());
    if (instance.engine() != null && !instance.engine().code().problems().isEmpty()) {
      r.withData("makerCode", String.join("; ", instance.engine().code().problems()));
    }
    return r.build();
  }
}
