package store.code.operator.instance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;

import store.code.api.Labels;
import store.code.api.Reasons;
import store.code.api.v1alpha1.DeletionPolicy;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.billing.UsageCollector;
import store.code.operator.instance.database.DatabaseProvider;
import store.code.operator.instance.storage.StorageProvider;
import store.code.operator.support.Events;

/**
 * What deleting a ServiceInstance does (DESIGN section 4.7), run under its finalizer: a last usage reading so the
 * instance is billed up to its deletion, then the deletion policy ({@code Delete}: namespace, external database and
 * bucket go; {@code Retain}: all kept, the runtime scaled to zero, the namespace labelled).
 *
 * <p>A cleanup that fails (the external Postgres is down, say) is retried for {@link #GRACE} counted from its first
 * failed attempt, which is recorded on the instance ({@link #FAILING_SINCE}) so an operator restart does not start the
 * count again. Then the finalizer lets go and an Event names what is left behind. The grace is not counted from the
 * deletion request: a deletion requested while the operator was down must still get its retries.
 */
final class InstanceCleanup {

  static final Duration GRACE = Duration.ofMinutes(5);
  static final Duration RETRY = Duration.ofSeconds(15);
  /** When the first cleanup attempt failed (RFC 3339), on an instance being deleted. */
  static final String FAILING_SINCE = "code.store/cleanup-failing-since";

  private static final Logger LOG = Logger.getLogger(InstanceCleanup.class);

  private final KubernetesClient client;
  private final DatabaseProvider database;
  private final StorageProvider storage;
  private final Events events;
  private final Clock clock;
  private UsageCollector collector;

  InstanceCleanup(KubernetesClient client, DatabaseProvider database, StorageProvider storage, Events events, Clock clock) {
    this.client = client;
    this.database = database;
    this.storage = storage;
    this.events = events;
    this.clock = clock;
  }

  void withCollector(UsageCollector collector) {
    this.collector = collector;
  }

  /** What to do after a failed attempt: retry (the grace is not over) or give up (it is). */
  enum AfterFailure { RETRY, GIVE_UP }

  /** @param failingSince when the first attempt failed; null when this is the first failure */
  static AfterFailure afterFailure(Instant failingSince, Instant now) {
    return failingSince == null || now.isBefore(failingSince.plus(GRACE)) ? AfterFailure.RETRY : AfterFailure.GIVE_UP;
  }

  DeleteControl run(ServiceInstance instance) {
    finalReading(instance);
    Target t = Target.of(instance);
    Namespace ns = client.namespaces().withName(t.namespace()).get();
    if (ns != null && !NamespaceStep.isOurs(ns, t)) {
      return DeleteControl.defaultDelete(); // never touch a namespace that is not ours
    }
    try {
      if (instance.getSpec().getDeletionPolicy() == DeletionPolicy.Delete) {
        database.deleteOutsideNamespace(t);
        storage.deleteOutsideNamespace(t);
        if (ns != null) {
          client.namespaces().withName(t.namespace()).delete();
        }
        LOG.infof("ServiceInstance %s/%s deleted with its namespace %s, database and bucket",
            t.instanceNamespace(), t.instanceName(), t.namespace());
      } else if (ns != null) {
        retain(t);
        events.normal(instance, Reasons.RETAINED, "namespace " + t.namespace()
            + " with its database and bucket is kept (deletionPolicy Retain); the runtime is scaled to zero");
      }
      return DeleteControl.defaultDelete();
    } catch (Exception e) {
      return failed(instance, t, e);
    }
  }

  private DeleteControl failed(ServiceInstance instance, Target t, Exception e) {
    Instant now = clock.instant();
    Instant since = failingSince(instance);
    if (afterFailure(since, now) == AfterFailure.GIVE_UP) {
      events.warning(instance, Reasons.CLEANUP_ABANDONED, "gave up cleaning up " + GRACE.toMinutes() + " minutes after the first "
          + "failed attempt (" + since + "); remove by hand what is left of namespace " + t.namespace()
          + ", its database and bucket: " + e.getMessage());
      LOG.errorf("cleanup of ServiceInstance %s/%s abandoned after %s: %s", t.instanceNamespace(), t.instanceName(),
          GRACE, e.getMessage());
      return DeleteControl.defaultDelete();
    }
    if (since == null) {
      since = now;
      recordFailingSince(instance, now);
    }
    LOG.warnf("cleanup of ServiceInstance %s/%s failed, will retry: %s", t.instanceNamespace(), t.instanceName(), e.getMessage());
    events.warning(instance, Reasons.CLEANUP_FAILED, "cleanup failed, retrying until " + since.plus(GRACE) + ": " + e.getMessage());
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(RETRY);
  }

  static Instant failingSince(ServiceInstance instance) {
    var annotations = instance.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(FAILING_SINCE);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null; // not ours to trust: count from now
    }
  }

  private void recordFailingSince(ServiceInstance instance, Instant now) {
    client.resources(ServiceInstance.class).inNamespace(instance.getMetadata().getNamespace())
        .withName(instance.getMetadata().getName()).edit(si -> {
          if (si.getMetadata().getAnnotations() == null) {
            si.getMetadata().setAnnotations(new java.util.HashMap<>());
          }
          si.getMetadata().getAnnotations().put(FAILING_SINCE, now.toString());
          return si;
        });
  }

  /**
   * The requests since the last collection would go with a deleted runtime: collect its project once more now (the
   * instance, marked for deletion, is billed up to its deletion timestamp). A failure costs at most that interval.
   */
  private void finalReading(ServiceInstance instance) {
    String project = instance.getMetadata().getLabels() == null ? null : instance.getMetadata().getLabels().get(Labels.PROJECT);
    if (collector == null || project == null || instance.getStatus() == null || instance.getStatus().getTargetNamespace() == null) {
      return;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (collector.collect(instance.getMetadata().getNamespace(), project, instance.getMetadata().getName())) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.warnf("last usage reading of %s/%s failed: %s", instance.getMetadata().getNamespace(),
            instance.getMetadata().getName(), e.getMessage());
        return;
      }
    }
  }

  /** Keep namespace, database and bucket; stop the runtime; mark the namespace as retained. */
  private void retain(Target t) {
    var deployments = client.apps().deployments().inNamespace(t.namespace()).withName(RuntimeManifests.NAME);
    if (deployments.get() != null) {
      deployments.edit(d -> {
        d.getSpec().setReplicas(0);
        // Forget the applied hash: a re-created instance must apply its replica count again.
        d.getMetadata().getAnnotations().remove(Labels.APPLIED_HASH_ANNOTATION);
        return d;
      });
    }
    client.autoscaling().v1().horizontalPodAutoscalers().inNamespace(t.namespace()).withName(RuntimeManifests.NAME).delete();
    client.namespaces().withName(t.namespace()).edit(n -> {
      n.getMetadata().getLabels().put(Labels.RETAINED, "true");
      return n;
    });
  }
}
