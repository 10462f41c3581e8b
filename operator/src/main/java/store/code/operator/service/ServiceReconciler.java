package store.code.operator.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiSummary;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceStatus;
import store.code.api.v1alpha1.Visibility;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * Validates a maker's Service: compiles its schema (SchemaValid, with line:column on failure),
 * publishes what the generated API offers, counts the instances that reuse it, and labels Public
 * services so the marketplace can be listed across namespaces.
 */
@ControllerConfiguration(name = ServiceReconciler.NAME)
public class ServiceReconciler implements Reconciler<CodeService> {
  public static final String NAME = "service";

  private final KubernetesClient client;
  private final Clock clock;

  public ServiceReconciler(KubernetesClient client) {
    this(client, Clock.systemUTC());
  }

  public ServiceReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, CodeService>> prepareEventSources(EventSourceContext<CodeService> context) {
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(ServiceInstance.class, CodeService.class)
        .withName("instances")
        .withSecondaryToPrimaryMapper((ServiceInstance si) -> Set.of(new ResourceID(si.getSpec().getServiceRef().getName(),
            si.getSpec().getServiceRef().namespaceOr(si.getMetadata().getNamespace()))))
        .build(), context));
  }

  @Override
  public UpdateControl<CodeService> reconcile(CodeService service, Context<CodeService> context) {
    markPublic(service);
    Long gen = service.getMetadata().getGeneration();
    ServiceStatus previous = service.getStatus() == null ? new ServiceStatus() : service.getStatus();
    ServiceStatus next = new ServiceStatus();
    next.setObservedGeneration(gen);
    next.setInstances(context.getSecondaryResources(ServiceInstance.class).size());
    Condition schemaValid;
    try {
      CompiledSchema compiled = SchemaCompiler.compile(service.getSpec().getSchema());
      next.setSchemaHash(compiled.hash());
      next.setVersion(service.getSpec().getVersion());
      next.setApi(new ApiSummary(compiled.queries(), compiled.mutations()));
      schemaValid = Conditions.of("SchemaValid", true, "SchemaValid", compiled.models().size() + " models, "
          + compiled.queries().size() + " queries, " + compiled.mutations().size() + " mutations", gen);
    } catch (SchemaException e) {
      // Instances keep the last schema that compiled; status keeps describing it.
      next.setSchemaHash(previous.getSchemaHash());
      next.setVersion(previous.getVersion());
      next.setApi(previous.getApi());
      schemaValid = Conditions.of("SchemaValid", false, "SchemaInvalid", "spec.schema does not compile ("
          + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s") + "): " + e.getMessage()
          + (previous.getSchemaHash() == null ? "" : "; instances keep serving schema " + previous.getSchemaHash()), gen);
    }
    boolean valid = Conditions.TRUE.equals(schemaValid.getStatus());
    Condition ready = Conditions.of("Ready", valid, valid ? "Published" : "SchemaInvalid",
        valid ? "version " + service.getSpec().getVersion() + " can be reused by projects" : "fix spec.schema; see SchemaValid", gen);
    next.setConditions(Conditions.merge(previous.getConditions(), List.of(schemaValid, ready), clock.instant()));
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    service.setStatus(next);
    return UpdateControl.patchStatus(service);
  }

  /** Label code.store/public=true exactly on Public services (written only when it differs). */
  private void markPublic(CodeService service) {
    boolean isPublic = service.getSpec().getVisibility() == Visibility.Public;
    Map<String, String> labels = service.getMetadata().getLabels();
    boolean labelled = labels != null && "true".equals(labels.get(Labels.PUBLIC));
    if (isPublic != labelled) {
      client.resources(CodeService.class).inNamespace(service.getMetadata().getNamespace())
          .withName(service.getMetadata().getName()).edit(s -> {
            if (isPublic) {
              s.getMetadata().getLabels().put(Labels.PUBLIC, "true");
            } else {
              s.getMetadata().getLabels().remove(Labels.PUBLIC);
            }
            return s;
          });
    }
  }
}
