package store.code.operator.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Kubernetes Events on our resources, for what a person should see in `kubectl describe`. */
public final class Events {
  private Events() {}

  public static void warning(KubernetesClient client, HasMetadata about, String reason, String message) {
    record(client, about, "Warning", reason, message);
  }

  public static void normal(KubernetesClient client, HasMetadata about, String reason, String message) {
    record(client, about, "Normal", reason, message);
  }

  private static void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata().withGenerateName(about.getMetadata().getName() + ".").endMetadata()
          .withNewInvolvedObject().withApiVersion(about.getApiVersion()).withKind(about.getKind())
          .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
          .withUid(about.getMetadata().getUid()).endInvolvedObject()
          .withType(type).withReason(reason).withMessage(message)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent(Applier.FIELD_MANAGER).endSource()
          .build()).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to record one must not fail the reconcile.
    }
  }
}
