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
    var code = instance.engine() == null ? null : instance.engine().code();
    if (code != null && code.present()) {
      // maker code does not decide readiness: without it, every other field still serves
      code.inventory(java.time.Duration.ofMillis(300)).ifPresentOrElse(
          i -> r.withData("makerCode", i.problems().isEmpty() ? "serving " + i.handlers() : String.join("; ", i.problems())),
          () -> r.withData("makerCode", "not answering: its process is starting again (see the code container's log)"));
    }
    return r.build();
  }
}
