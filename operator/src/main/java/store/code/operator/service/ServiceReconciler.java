package store.code.operator.service;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import store.code.api.ConditionTypes;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.Reasons;
import store.code.api.v1alpha1.ApiSummary;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.ServiceStatus;
import store.code.api.v1alpha1.Visibility;
import store.code.operator.billing.MakerUsage;
import store.code.operator.support.CompiledSchemas;
import store.code.operator.support.PrunedStore;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompatibility;
import store.code.schema.SchemaException;

/**
 * Validates a maker's Service: compiles its schema (SchemaValid, with line:column on failure),
 * publishes what the generated API offers, counts the instances that reuse it, and labels Public
 * services so the marketplace can be listed across namespaces.
 */
@ControllerConfiguration(name = ServiceReconciler.NAME,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(itemStore = PrunedStore.class))
public class ServiceReconciler implements Reconciler<CodeService> {
  public static final String NAME = "service";

  private final KubernetesClient client;
  private final Clock clock;
  private final CompiledSchemas schemas = new CompiledSchemas();
  private InformerEventSource<UsageReport, CodeService> reports;
  private InformerEventSource<ServiceRevision, CodeService> revisions;

  public ServiceReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, CodeService>> prepareEventSources(EventSourceContext<CodeService> context) {
    // a report's lines name the services they bill: a new reading updates those makers' view
    reports = new InformerEventSource<>(InformerEventSourceConfiguration.from(UsageReport.class, CodeService.class)
        .withName("reports").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper((UsageReport r) -> r.getStatus() == null ? Set.of() : r.getStatus().getLines().stream()
            .filter(l -> l.getService() != null && l.getMaker() != null)
            .map(l -> new ResourceID(l.getService(), l.getMaker())).collect(java.util.stream.Collectors.toSet()))
        .build(), context);
    revisions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ServiceRevision.class, CodeService.class)
        .withName("revisions").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper((ServiceRevision r) -> r.getSpec() == null ? Set.of()
            : Set.of(new ResourceID(r.getSpec().getService(), r.getMetadata().getNamespace())))
        .build(), context);
    return List.of(reports, revisions, new InformerEventSource<>(InformerEventSourceConfiguration.from(ServiceInstance.class, CodeService.class)
        .withName("instances").withItemStore(new PrunedStore<>())
        // counted, nothing more: a status update of one of a thousand instances is no reason to look at the Service
        .withOnUpdateFilter((now, before) -> !now.getSpec().getServiceRef().equals(before.getSpec().getServiceRef()))
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
    setUsage(service, next);
    Condition schemaValid;
    Condition compatible;
    String version = service.getSpec().getVersion();
    List<ServiceRevision> history = List.copyOf(context.getSecondaryResources(ServiceRevision.class));
    try {
      CompiledSchema compiled = schemas.compile(service.getSpec().getSchema());
      schemaValid = Conditions.of(ConditionTypes.SCHEMA_VALID, true, "SchemaValid", compiled.models().size() + " models, "
          + compiled.queries().size() + " queries, " + compiled.mutations().size() + " mutations", gen);
      ServiceRevision wanted = Revisions.of(service, compiled);
      compatible = publishIfCompatible(compiled, wanted, history, service, previous, next, gen);
      if (Conditions.TRUE.equals(compatible.getStatus()) && version.equals(next.getVersion())) {
        next.setRevision(record(wanted, history));
      }
    } catch (SchemaException e) {
      // Instances keep the last published schema; status keeps describing it.
      keepPublished(previous, next);
      schemaValid = Conditions.of(ConditionTypes.SCHEMA_VALID, false, Reasons.SCHEMA_INVALID, "spec.schema does not compile ("
          + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s") + "): " + e.getMessage()
          + (previous.getSchemaHash() == null ? "" : "; instances keep serving schema " + previous.getSchemaHash()), gen);
      compatible = Conditions.of(ConditionTypes.SCHEMA_COMPATIBLE, false, Reasons.SCHEMA_INVALID, "not checked: spec.schema does not compile", gen);
    }
    boolean valid = Conditions.TRUE.equals(schemaValid.getStatus());
    boolean published = valid && Conditions.TRUE.equals(compatible.getStatus());
    Condition ready = Conditions.of(ConditionTypes.READY, published, !valid ? Reasons.SCHEMA_INVALID : published ? "Published" : compatible.getReason(),
        !valid ? "fix spec.schema; see SchemaValid"
            : published ? "version " + version + " can be reused by projects"
            : "version " + version + " is refused (see SchemaCompatible); projects keep version " + next.getVersion(), gen);
    next.setConditions(Conditions.merge(previous.getConditions(), List.of(schemaValid, compatible, ready), clock.instant()));
    if (next.getRevision() == null && next.getVersion() != null) { // kept published: name its revision, if it has one
      String kept = Revisions.name(service.getMetadata().getName(), next.getVersion());
      Revisions.named(history, kept).ifPresent(r -> next.setRevision(kept));
    }
    prune(service, history, next.getVersion(), context.getSecondaryResources(ServiceInstance.class));
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    service.setStatus(next);
    return UpdateControl.patchStatus(service);
  }

  /**
   * Publishes a compiled spec.schema unless it breaks what clients of the published one use without a major version
   * bump; returns the SchemaCompatible condition that says which.
   */
  private Condition publishIfCompatible(CompiledSchema compiled, ServiceRevision wanted, List<ServiceRevision> history,
      CodeService service, ServiceStatus previous, ServiceStatus next, Long gen) {
    String version = service.getSpec().getVersion();
    String before = previous.getPublishedSchema();
    ServiceRevision published = Revisions.named(history, wanted.getMetadata().getName()).orElse(null);
    List<String> changes = Revisions.changesTo(published, wanted);
    if (!changes.isEmpty()) {
      keepPublished(previous, next);
      return Conditions.of(ConditionTypes.SCHEMA_COMPATIBLE, false, Reasons.VERSION_ALREADY_PUBLISHED, "version " + version + " is already "
          + "published (ServiceRevision " + wanted.getMetadata().getName() + ") and a published version never changes: "
          + "this spec changes " + String.join(", ", changes) + ". Publish it under a new version (e.g. "
          + nextPatch(version) + "). Instances keep serving version " + previous.getVersion(), gen);
    }
    if (compiled.source().equals(before) && Objects.equals(version, previous.getVersion())) {
      keepPublished(previous, next); // already published: what was said about it stands, unless it was a refusal
      return Conditions.find(previous.getConditions(), ConditionTypes.SCHEMA_COMPATIBLE)
          .filter(c -> Conditions.TRUE.equals(c.getStatus()))
          .orElse(Conditions.of(ConditionTypes.SCHEMA_COMPATIBLE, true, "Compatible", "version " + version + " is published", gen));
    }
    List<String> breaking = List.of();
    if (before != null && !before.equals(compiled.source())) {
      try {
        breaking = SchemaCompatibility.breakingChanges(schemas.compile(before), compiled);
      } catch (SchemaException e) {
        breaking = List.of(); // what was published compiled then; if the compiler changed since, do not block on it
      }
    }
    boolean allowed = breaking.isEmpty() || SchemaCompatibility.majorBump(previous.getVersion(), version);
    if (!allowed) {
      keepPublished(previous, next);
      return Conditions.of(ConditionTypes.SCHEMA_COMPATIBLE, false, Reasons.BREAKING_CHANGE, "version " + version + " breaks clients of version "
          + previous.getVersion() + " (" + breaking.size() + " change" + (breaking.size() == 1 ? "" : "s") + ": "
          + String.join("; ", breaking) + "); keep those fields and arguments, or publish it as "
          + SchemaCompatibility.nextMajor(previous.getVersion()) + ". Instances keep serving version " + previous.getVersion(), gen);
    }
    next.setPublishedSchema(compiled.source());
    next.setSchemaHash(compiled.hash());
    next.setVersion(version);
    next.setApi(new ApiSummary(compiled.queries(), compiled.mutations()));
    if (breaking.isEmpty()) {
      return Conditions.of(ConditionTypes.SCHEMA_COMPATIBLE, true, "Compatible", before == null ? "first published version"
          : "clients of version " + previous.getVersion() + " keep working", gen);
    }
    return Conditions.of(ConditionTypes.SCHEMA_COMPATIBLE, true, "MajorVersion", "version " + version + " makes " + breaking.size()
        + " breaking change" + (breaking.size() == 1 ? "" : "s") + ", allowed by the major version: " + String.join("; ", breaking), gen);
  }

  private static String nextPatch(String version) {
    org.semver4j.Semver v = org.semver4j.Semver.parse(version);
    return v == null ? "a higher version" : v.withIncPatch().getVersion();
  }

  /**
   * The revision of the version just published, created once (it never changes afterwards): returns its name.
   * One that exists already is kept as it is ({@link #publishIfCompatible} refused a spec that differs from it).
   */
  private String record(ServiceRevision wanted, List<ServiceRevision> history) {
    String name = wanted.getMetadata().getName();
    if (Revisions.named(history, name).isEmpty()) {
      try {
        client.resource(wanted).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) { // 409: made by an earlier pass the informer has not shown yet
          throw e;
        }
      }
    }
    return name;
  }

  /** Lets go of the revisions past spec.revisionHistoryLimit, but not the published one or one an instance serves. */
  private void prune(CodeService service, List<ServiceRevision> history, String published,
      Set<ServiceInstance> instances) {
    int limit = service.getSpec().getRevisionHistoryLimit() == null ? Revisions.DEFAULT_HISTORY_LIMIT
        : service.getSpec().getRevisionHistoryLimit();
    Set<String> inUse = instances.stream().filter(i -> i.getStatus() != null && i.getStatus().getServiceVersion() != null)
        .map(i -> i.getStatus().getServiceVersion()).collect(java.util.stream.Collectors.toSet());
    for (ServiceRevision r : Revisions.toPrune(history, limit, published, inUse)) {
      client.resource(r).delete();
    }
  }

  /** This month's use and the months before it, from every project's report in the informer's cache (no API call). */
  private void setUsage(CodeService service, ServiceStatus next) {
    if (reports == null) {
      return;
    }
    var byMonth = MakerUsage.byMonth(reports.list().toList(), service);
    var month = java.time.YearMonth.now(clock.withZone(java.time.ZoneOffset.UTC));
    next.setUsage(MakerUsage.of(byMonth, month));
    var history = MakerUsage.before(byMonth, month);
    next.setUsageHistory(history.isEmpty() ? null : history); // absent rather than [], as the API server keeps it
  }

  private static void keepPublished(ServiceStatus previous, ServiceStatus next) {
    next.setPublishedSchema(previous.getPublishedSchema());
    next.setSchemaHash(previous.getSchemaHash());
    next.setVersion(previous.getVersion());
    next.setApi(previous.getApi());
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
