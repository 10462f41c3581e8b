package store.code.operator.project;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.Reasons;
import store.code.api.v1alpha1.InstanceSummary;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ProjectStatus;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.support.Applier;
import store.code.operator.support.PrunedStore;

/**
 * Keeps a Project's ServiceInstances equal to (services x environments): creates, updates and
 * prunes them, and summarizes their status. Deleting a Project deletes its instances first, so each
 * one's deletionPolicy runs before the Project goes away.
 */
@ControllerConfiguration(name = ProjectReconciler.NAME,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(itemStore = PrunedStore.class))
public class ProjectReconciler implements Reconciler<Project>, Cleaner<Project> {
  public static final String NAME = "project";

  private final KubernetesClient client;
  private final Applier applier;
  private final Clock clock;

  public ProjectReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.applier = new Applier(client);
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Project>> prepareEventSources(EventSourceContext<Project> context) {
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(ServiceInstance.class, Project.class)
        .withName("instances").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Project.class, false))
        .build(), context));
  }

  private store.code.operator.billing.UsageCollector collector;

  /** Projects this reconciler sees are the ones whose usage is collected (only the leader reconciles). */
  public ProjectReconciler withCollector(store.code.operator.billing.UsageCollector collector) {
    this.collector = collector;
    return this;
  }

  @Override
  public UpdateControl<Project> reconcile(Project project, Context<Project> context) {
    if (collector != null) {
      collector.track(project.getMetadata().getNamespace(), project.getMetadata().getName());
    }
    ProjectInstances.Plan plan = ProjectInstances.plan(project);
    Set<String> wanted = plan.instances().stream().map(i -> i.getMetadata().getName()).collect(Collectors.toSet());
    Set<ServiceInstance> existing = context.getSecondaryResources(ServiceInstance.class);
    for (ServiceInstance desired : plan.instances()) {
      // Observed from the informer cache: a converged project costs no API call at all.
      applier.apply(desired, existing.stream()
          .filter(e -> e.getMetadata().getName().equals(desired.getMetadata().getName())).findFirst().orElse(null));
    }
    for (ServiceInstance si : existing) {
      if (!wanted.contains(si.getMetadata().getName()) && si.getMetadata().getDeletionTimestamp() == null) {
        client.resource(si).delete(); // its own finalizer applies the deletion policy
      }
    }
    return status(project, plan, existing);
  }

  private UpdateControl<Project> status(Project project, ProjectInstances.Plan plan, Set<ServiceInstance> existing) {
    Long gen = project.getMetadata().getGeneration();
    List<InstanceSummary> summaries = new ArrayList<>();
    int ready = 0;
    for (ServiceInstance desired : plan.instances()) {
      ServiceInstance actual = existing.stream()
          .filter(e -> e.getMetadata().getName().equals(desired.getMetadata().getName())).findFirst().orElse(null);
      Phase phase = actual == null || actual.getStatus() == null || actual.getStatus().getPhase() == null
          ? Phase.Pending : actual.getStatus().getPhase();
      if (phase == Phase.Ready) {
        ready++;
      }
      summaries.add(new InstanceSummary(desired.getMetadata().getLabels().get(Labels.SERVICE),
          desired.getSpec().getEnvironment(), desired.getMetadata().getName(), phase,
          actual == null || actual.getStatus() == null ? null : actual.getStatus().getEndpoint()));
    }
    summaries.sort(Comparator.comparing(InstanceSummary::getName));
    int total = plan.instances().size();
    Condition condition;
    if (!plan.problems().isEmpty()) {
      condition = Conditions.of("Ready", false, Reasons.INVALID_SPEC, String.join("; ", plan.problems()), gen);
    } else if (ready == total) {
      condition = Conditions.of("Ready", true, "AllInstancesReady", total + " of " + total + " instances ready", gen);
    } else {
      String waiting = summaries.stream().filter(s -> s.getPhase() != Phase.Ready)
          .map(s -> s.getName() + " (" + s.getPhase() + ")").collect(Collectors.joining(", "));
      condition = Conditions.of("Ready", false, "InstancesNotReady", ready + " of " + total
          + " instances ready; waiting for " + waiting + ": see `kubectl get serviceinstances -n "
          + project.getMetadata().getNamespace() + "`", gen);
    }
    ProjectStatus previous = project.getStatus() == null ? new ProjectStatus() : project.getStatus();
    ProjectStatus next = new ProjectStatus();
    next.setObservedGeneration(gen);
    next.setInstances(summaries);
    next.setReadyInstances(ready + "/" + total);
    next.setConditions(Conditions.merge(previous.getConditions(), List.of(condition), clock.instant()));
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    project.setStatus(next);
    return UpdateControl.patchStatus(project);
  }

  @Override
  public DeleteControl cleanup(Project project, Context<Project> context) {
    if (collector != null) {
      collector.forget(project.getMetadata().getNamespace(), project.getMetadata().getName());
    }
    var instances = client.resources(ServiceInstance.class).inNamespace(project.getMetadata().getNamespace())
        .withLabel(Labels.PROJECT, project.getMetadata().getName()).list().getItems().stream()
        .filter(si -> si.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> o.getUid().equals(project.getMetadata().getUid())))
        .toList();
    if (instances.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    for (ServiceInstance si : instances) {
      if (si.getMetadata().getDeletionTimestamp() == null) {
        client.resource(si).delete();
      }
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(2));
  }
}
