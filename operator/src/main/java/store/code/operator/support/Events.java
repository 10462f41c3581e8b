package store.code.operator.support;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import store.code.operator.instance.InstanceNames;

/**
 * Kubernetes Events on our resources, for what a person should see in `kubectl describe`. The same fact about the same
 * object (reason and message) is one Event whose count grows, as kubelet's are, so a problem seen on every pass of a
 * loop does not bury the others.
 */
public final class Events {
  private final KubernetesClient client;
  private final Clock clock;

  public Events(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    String object = about.getMetadata().getName();
    String name = object.substring(0, Math.min(object.length(), 200)) + "."
        + InstanceNames.shortHash(about.getMetadata().getUid() + "/" + type + "/" + reason + "/" + message, 16);
    var events = client.v1().events().inNamespace(about.getMetadata().getNamespace());
    try {
      // Created at once: most facts are new, and a create that finds one already there costs what a read would.
      try {
        events.resource(new EventBuilder()
            .withNewMetadata().withName(name).endMetadata()
            .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
            .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid()).endInvolvedObject()
            .withType(type).withReason(reason).withMessage(message)
            .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
            .withNewSource().withComponent(Applier.FIELD_MANAGER).endSource()
            .build()).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != java.net.HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        events.withName(name).edit(seen -> {
          seen.setCount(seen.getCount() == null ? 2 : seen.getCount() + 1);
          seen.setLastTimestamp(now);
          return seen;
        });
      }
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to record one must not fail the reconcile or the collection pass.
    }
  }
}
