package store.code.operator.instance;

import static store.code.api.ConditionTypes.DATABASE_READY;
import static store.code.api.ConditionTypes.NAMESPACE_READY;
import static store.code.api.ConditionTypes.READY;
import static store.code.api.ConditionTypes.RECONCILING;
import static store.code.api.ConditionTypes.RUNTIME_READY;
import static store.code.api.ConditionTypes.SCHEMA_VALID;
import static store.code.api.ConditionTypes.SECRETS_READY;
import static store.code.api.ConditionTypes.STALLED;
import static store.code.api.ConditionTypes.STORAGE_READY;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.Marketplace;
import store.code.api.Reasons;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceInstanceStatus;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.UpgradeCheck;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.database.CnpgDatabase;
import store.code.operator.instance.database.DatabaseProvider;
import store.code.operator.instance.database.ExternalDatabase;
import store.code.operator.instance.storage.ExternalStorage;
import store.code.operator.instance.storage.ObjectBucketClaimStorage;
import store.code.operator.instance.storage.StorageProvider;
import store.code.operator.support.Applier;
import store.code.operator.support.CompiledSchemas;
import store.code.operator.support.CrdPresence;
import store.code.operator.support.Events;
import store.code.operator.support.Indexes;
import store.code.operator.support.KeysRoleBindings;
import store.code.operator.support.PrunedStore;
import store.code.operator.support.StepResult;

/**
 * Provisions one ServiceInstance, in the order of DESIGN section 4: namespace and guardrails, schema (which
 * version to serve), database, bucket, the project's secrets, then the runtime, after a migration dry run when it
 * moves to another schema. Observe, then act: each step reports what it observed as a
 * condition, {@code Ready} is their conjunction, and status is written only when it changed.
 */
@ControllerConfiguration(name = ServiceInstanceReconciler.NAME,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(itemStore = PrunedStore.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = java.util.concurrent.TimeUnit.MINUTES))
public class ServiceInstanceReconciler implements Reconciler<ServiceInstance>, Cleaner<ServiceInstance> {
  public static final String NAME = "serviceinstance";
  static final String SERVICE_INDEX = "code.store/service-ref";
  /** Instances by "namespace/project": who a Project's or an ApiKey's change concerns. */
  static final String PROJECT_INDEX = "code.store/project";
  /** While something is still coming up, look again this soon even without an event (CNPG, OBC and external providers have none). */
  static final Duration POLL_WHILE_PROVISIONING = Duration.ofSeconds(10);
  /** A problem that needs a person is looked at again this often (e.g. CloudNativePG installed meanwhile). */
  static final Duration POLL_WHILE_FAILED = Duration.ofSeconds(30);
  /** Failures whose fix arrives as an event on the Service, so no polling is needed. */
  static final Set<String> EVENT_DRIVEN_FAILURES = Set.of(Reasons.SERVICE_NOT_SHARED, Reasons.SCHEMA_INVALID,
      Reasons.PROJECT_NOT_FOUND, Reasons.NO_MATCHING_REVISION, Reasons.INVALID_VERSION_RANGE);

  /** Reasons that need a person, not time: the phase is Failed instead of Provisioning. */
  static final Set<String> NEEDS_A_PERSON = Set.of(Reasons.SERVICE_NOT_SHARED, Reasons.PROJECT_NOT_FOUND,
      Reasons.NAMESPACE_CONFLICT, Reasons.PROVIDER_NOT_INSTALLED, Reasons.PROVIDER_MISCONFIGURED, Reasons.SCHEMA_INVALID,
      Reasons.SCHEMA_CHANGE_REFUSED, Reasons.NO_MATCHING_REVISION, Reasons.INVALID_VERSION_RANGE, Reasons.SECRET_NOT_FOUND,
      Reasons.SECRET_KEY_NOT_FOUND);
  /**
   * How soon a Ready instance with secretRefs reads its Secrets again: the operator may not watch Secrets (it has no
   * right on them cluster-wide, and reads them by name in a project's namespace), so a rotated value arrives by this.
   */
  static final Duration SECRETS_RECHECK = Duration.ofSeconds(60);

  private static final Logger LOG = Logger.getLogger(ServiceInstanceReconciler.class);
  /** Beside JOSDK's resource.name and resource.namespace on each log line of a pass: the project it is billed to. */
  static final String PROJECT_MDC = "codestore.project";

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final Clock clock;
  private final Events events;
  private final Applier applier;
  private final RuntimeStep runtimeStep;
  private final DatabaseProvider database;
  private final StorageProvider storage;
  private final CrdPresence crds;
  private InformerEventSource<CodeService, ServiceInstance> services;
  private InformerEventSource<ApiKey, ServiceInstance> apiKeys;
  private InformerEventSource<Project, ServiceInstance> projects;
  private InformerEventSource<RoleBinding, ServiceInstance> roleBindings;

  private InstancePhases phases = new InstancePhases(null);
  private final CompiledSchemas schemas = new CompiledSchemas();
  private final InstanceCleanup cleanup;
  private final NamespaceStep namespaceStep;
  private final SecretsStep secretsStep;
  private MigrationDryRuns dryRuns;

  /** Takes a last reading of an instance's usage before its runtime goes, so it is billed up to its deletion. */
  public ServiceInstanceReconciler withCollector(store.code.operator.billing.UsageCollector collector) {
    cleanup.withCollector(collector);
    return this;
  }

  /** Who answers migration dry runs (default: the instance's runtime pods, over HTTP). */
  public ServiceInstanceReconciler withMigrationDryRuns(MigrationDryRuns dryRuns) {
    this.dryRuns = dryRuns;
    return this;
  }

  /** Where the phase gauge reads from (the application passes one bound to its meter registry). */
  public ServiceInstanceReconciler withPhases(InstancePhases phases) {
    this.phases = phases;
    return this;
  }

  public ServiceInstanceReconciler(KubernetesClient client, OperatorSettings settings, Clock clock, Events events) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.applier = new Applier(client);
    this.runtimeStep = new RuntimeStep(client, applier, settings);
    this.crds = new CrdPresence(client, clock);
    this.database = switch (settings.databaseProvider()) {
      case cnpg -> new CnpgDatabase(applier, crds, settings.cnpgInstances());
      case external -> new ExternalDatabase(client, applier, settings.externalDatabaseSecret().orElse(""));
    };
    this.storage = switch (settings.storageProvider()) {
      case objectbucketclaim -> new ObjectBucketClaimStorage(client, applier, crds, settings.bucketStorageClass().orElse(null));
      case external -> new ExternalStorage(client, applier, settings.externalStorageSecret().orElse(""),
          settings.storageGatewayEndpoint().orElse(null));
      case none -> StorageProvider.NONE;
    };
    this.cleanup = new InstanceCleanup(client, database, storage, events, clock);
    this.namespaceStep = new NamespaceStep(client, applier, settings, clock);
    this.secretsStep = new SecretsStep(client, applier, new KeysRoleBindings(client, settings.rbac()));
    this.dryRuns = MigrationDryRuns.http(client);
  }

  @Override
  public List<EventSource<?, ServiceInstance>> prepareEventSources(EventSourceContext<ServiceInstance> context) {
    context.getPrimaryCache().addIndexer(SERVICE_INDEX, si -> List.of(serviceKey(si)));
    context.getPrimaryCache().addIndexer(PROJECT_INDEX, si -> si.getSpec().getProject() == null ? List.of()
        : List.of(projectKey(si.getMetadata().getNamespace(), si.getSpec().getProject())));
    services = new InformerEventSource<>(InformerEventSourceConfiguration.from(CodeService.class, ServiceInstance.class)
        .withName("services").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper((CodeService s) -> context.getPrimaryCache()
            .byIndex(SERVICE_INDEX, s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((ServiceInstance si) -> Set.of(serviceId(si)))
        .build(), context);
    var namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, ServiceInstance.class)
        .withName("namespaces").withItemStore(new PrunedStore<>()).withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<Namespace>byInstanceAnnotations())
        .build(), context);
    var deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, ServiceInstance.class)
        .withName("deployments").withItemStore(new PrunedStore<>()).withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<Deployment>byInstanceAnnotations())
        .build(), context);
    // A cache only: the schema and config ConfigMaps are read every pass, and change only when this operator writes them.
    var configMaps = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, ServiceInstance.class)
        .withName("configmaps").withItemStore(new PrunedStore<>()).withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<ConfigMap>byInstanceAnnotations())
        .withGenericFilter(cm -> false)
        .build(), context);
    // a project's keys: one made, deleted or expired changes the key hashes its instances accept
    apiKeys = new InformerEventSource<>(InformerEventSourceConfiguration.from(ApiKey.class, ServiceInstance.class)
        .withName("apikeys").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper((ApiKey k) -> k.getSpec() == null || k.getSpec().getProject() == null ? Set.of()
            : context.getPrimaryCache().byIndex(PROJECT_INDEX, projectKey(k.getMetadata().getNamespace(), k.getSpec().getProject()))
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    // the project an instance is billed to: one created (or deleted) starts (or stops) its instances' provisioning
    projects = new InformerEventSource<>(InformerEventSourceConfiguration.from(Project.class, ServiceInstance.class)
        .withName("projects").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper((Project p) -> context.getPrimaryCache()
            .byIndex(PROJECT_INDEX, projectKey(p.getMetadata().getNamespace(), p.getMetadata().getName())).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((ServiceInstance si) -> si.getSpec().getProject() == null ? Set.of()
            : Set.of(new ResourceID(si.getSpec().getProject(), si.getMetadata().getNamespace())))
        // only whether it exists matters here
        .withOnUpdateFilter((now, before) -> false)
        .build(), context);
    // who may look into a project's instances: its namespace's bindings (InstanceAccess); also the cache the
    // operator's own bindings in instance namespaces are read from (those map to no instance)
    roleBindings = new InformerEventSource<>(InformerEventSourceConfiguration.from(RoleBinding.class, ServiceInstance.class)
        .withName("rolebindings").withItemStore(new PrunedStore<>())
        .withSecondaryToPrimaryMapper((RoleBinding b) -> Indexes.inNamespace(context.getPrimaryCache(),
                b.getMetadata().getNamespace()).map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    // a namespace of the same name may be someone else's (not labelled ours): a miss is read from the API server
    applier.readFrom(Namespace.class, namespaces);
    // every RoleBinding is cached; the Deployments and ConfigMaps applied are in the operator's own namespaces
    applier.readFrom(RoleBinding.class, roleBindings, Applier.Misses.ABSENT);
    applier.readFrom(Deployment.class, deployments, Applier.Misses.ABSENT);
    applier.readFrom(ConfigMap.class, configMaps, Applier.Misses.ABSENT);
    // written in the instance's namespace and never read back: remembered across a provisioning burst's passes
    applier.remembering(io.fabric8.kubernetes.api.model.ResourceQuota.class,
        io.fabric8.kubernetes.api.model.LimitRange.class,
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
        io.fabric8.kubernetes.api.model.ServiceAccount.class, io.fabric8.kubernetes.api.model.rbac.Role.class,
        io.fabric8.kubernetes.api.model.Service.class,
        io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class,
        io.fabric8.kubernetes.api.model.networking.v1.Ingress.class);
    List<EventSource<?, ServiceInstance>> sources = new ArrayList<>(List.of(services, namespaces, deployments, configMaps,
        apiKeys, projects, roleBindings));
    databaseClusters(context).ifPresent(sources::add);
    return sources;
  }

  /**
   * With CloudNativePG as the provider and installed when the operator starts, its Clusters are watched: a database
   * that becomes ready starts the next pass at once, and the Cluster is read from the cache. Without the CRD at start,
   * the Cluster is polled ({@link #POLL_WHILE_PROVISIONING}), which also picks up CloudNativePG installed later.
   */
  private Optional<InformerEventSource<GenericKubernetesResource, ServiceInstance>> databaseClusters(
      EventSourceContext<ServiceInstance> context) {
    if (settings.databaseProvider() != OperatorSettings.DatabaseProvider.cnpg || !crds.isInstalled(CnpgDatabase.CRD)) {
      return Optional.empty();
    }
    var clusters = new InformerEventSource<>(InformerEventSourceConfiguration.from(
            new GroupVersionKind(CnpgDatabase.CLUSTER.getGroup(), CnpgDatabase.CLUSTER.getVersion(),
                CnpgDatabase.CLUSTER.getKind()), ServiceInstance.class)
        .withName("databases").withItemStore(new PrunedStore<>()).withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<GenericKubernetesResource>byInstanceAnnotations())
        // only what CloudNativePG reports matters; our own spec writes start no pass
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getAdditionalProperties().get("status"),
            before.getAdditionalProperties().get("status")))
        .build(), context);
    applier.readFrom(CnpgDatabase.CLUSTER_API_VERSION, CnpgDatabase.CLUSTER.getKind(), clusters, Applier.Misses.ABSENT);
    return Optional.of(clusters);
  }

  static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byInstanceAnnotations() {
    return r -> {
      Map<String, String> a = r.getMetadata().getAnnotations();
      if (a == null || a.get(Labels.INSTANCE_NAME_ANNOTATION) == null) {
        return Set.of();
      }
      return Set.of(new ResourceID(a.get(Labels.INSTANCE_NAME_ANNOTATION), a.get(Labels.INSTANCE_NAMESPACE_ANNOTATION)));
    };
  }

  /** Runs {@code work} with the instance's project in the log context ({@link #PROJECT_MDC}). */
  private static <T> T withProjectInLog(ServiceInstance instance, java.util.function.Supplier<T> work) {
    MDC.put(PROJECT_MDC, String.valueOf(instance.getSpec().getProject()));
    try {
      return work.get();
    } finally {
      MDC.remove(PROJECT_MDC);
    }
  }

  /** The key of {@link #PROJECT_INDEX}. */
  static String projectKey(String namespace, String project) {
    return namespace + "/" + project;
  }

  static String serviceKey(ServiceInstance si) {
    ServiceRef ref = si.getSpec().getServiceRef();
    return ref.namespaceOr(si.getMetadata().getNamespace()) + "/" + ref.getName();
  }

  static ResourceID serviceId(ServiceInstance si) {
    ServiceRef ref = si.getSpec().getServiceRef();
    return new ResourceID(ref.getName(), ref.namespaceOr(si.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<ServiceInstance> reconcile(ServiceInstance instance, Context<ServiceInstance> context) {
    return withProjectInLog(instance, () -> finish(instance, provision(instance)));
  }

  /** What one pass observed: conditions in provisioning order, and status fields. */
  record Outcome(List<Condition> conditions, Phase phase, String endpoint, String serviceVersion, String schemaHash,
      UpgradeCheck upgrade) {
    Outcome withUpgrade(UpgradeCheck check) {
      return new Outcome(conditions, phase, endpoint, serviceVersion, schemaHash, check);
    }
  }

  private Outcome provision(ServiceInstance instance) {
    Long gen = instance.getMetadata().getGeneration();
    Target t = Target.of(instance);
    List<Condition> conditions = new ArrayList<>();
    ServiceRef ref = instance.getSpec().getServiceRef();
    String serviceName = ref.namespaceOr(instance.getMetadata().getNamespace()) + "/" + ref.getName();

    Optional<String> unbilled = ProjectBilling.unbilledBecause(instance,
        project -> projects.get(new ResourceID(project, instance.getMetadata().getNamespace())).isPresent());
    if (unbilled.isPresent()) {
      return stopped(conditions, Phase.Failed, Reasons.PROJECT_NOT_FOUND, unbilled.get(), gen);
    }
    CodeService service = services.get(serviceId(instance)).orElse(null);
    if (service == null) {
      return stopped(conditions, Phase.Pending, Reasons.SERVICE_NOT_FOUND, "Service " + serviceName
          + " does not exist: create it, or fix spec.serviceRef (services.code.store in namespace "
          + ref.namespaceOr(instance.getMetadata().getNamespace()) + ")", gen);
    }
    if (!Marketplace.admits(service, instance.getMetadata().getNamespace())) {
      return stopped(conditions, Phase.Failed, Reasons.SERVICE_NOT_SHARED, "Service " + serviceName + " has visibility "
          + service.getSpec().getVisibility() + " and is not shared with namespace " + instance.getMetadata().getNamespace()
          + ": ask its maker to make it Public or add this namespace to spec.sharedWith"
          + (applier.current(NamespaceManifests.namespace(t)) != null
              ? ". What this instance already runs in " + t.namespace() + " is left as it was (nothing was deleted); "
                  + "delete the Project or this service from it to remove it" : ""), gen);
    }

    // 1. Namespace and guardrails.
    StepResult namespace = namespaceStep.reconcile(t, instance,
        Indexes.inNamespace(apiKeys, instance.getMetadata().getNamespace()).toList(),
        Indexes.inNamespace(roleBindings, instance.getMetadata().getNamespace()).toList());
    if (!namespace.ready()) {
      if (namespace.reason().equals(Reasons.NAMESPACE_TERMINATING)) {
        conditions.add(namespace.toCondition(NAMESPACE_READY, gen));
        return stopped(conditions, Phase.Provisioning, namespace.reason(), "waiting for namespace " + t.namespace()
            + " to finish deleting", gen);
      }
      return stopped(conditions, Phase.Failed, namespace.reason(), namespace.message(), gen);
    }
    conditions.add(namespace.toCondition(NAMESPACE_READY, gen));

    // 2. Schema (SchemaChoice decides).
    ConfigMap running = applier.current(new ConfigMapBuilder().withNewMetadata()
        .withNamespace(t.namespace()).withName(RuntimeManifests.SCHEMA_CONFIG_MAP).endMetadata().build());
    CodeService offered = service;
    SchemaChoice.Decision choice = SchemaChoice.decide(service, serviceName, instance.getSpec().getVersion(),
        () -> client.resources(ServiceRevision.class).inNamespace(offered.getMetadata().getNamespace())
            .withLabel(Labels.SERVICE, offered.getMetadata().getName()).list().getItems(),
        running == null ? null : running.getData(), instance.getSpec().getProject(), sdl -> schemas.compile(sdl).hash());
    conditions.add(Conditions.of(SCHEMA_VALID, choice.valid(), choice.reason(), choice.message(), gen));
    if (choice.served().isEmpty()) {
      return stopped(conditions, choice.phase(), choice.reason(), choice.stopMessage(), gen);
    }
    SchemaChoice.Served served = choice.served().get();
    service = served.service();

    // 3. Database and bucket.
    StepResult db = database.reconcile(t, service);
    conditions.add(db.toCondition(DATABASE_READY, gen));
    StepResult files = storage.reconcile(t);
    conditions.add(files.toCondition(STORAGE_READY, gen));

    // 4. The project's Secrets, copied into the instance's namespace; a missing one leaves the runtime as it is.
    SecretsStep.Copied secrets = secretsStep.reconcile(t, instance);
    conditions.add(secrets.result().toCondition(SECRETS_READY, gen));

    // 5. Runtime, once its database, bucket credentials and secrets exist; before it moves to another schema, the
    // migration is tried against its database (and rolled back): a refused one keeps the instance where it is.
    String endpoint = null;
    UpgradeCheck upgrade = null;
    if (db.ready() && files.ready() && secrets.result().ready()) {
      Map<String, String> runs = running == null || running.getData() == null ? Map.of() : running.getData();
      if (runs.get("hash") != null && !runs.get("hash").equals(served.hash())) {
        upgrade = UpgradeGate.check(runs.get("version"), runs.get("schema.graphql"), served.version(), served.schema(),
            dryRuns.dryRun(t, served.schema()), schemas::compile);
        if (UpgradeCheck.REFUSED.equals(upgrade.getResult())) {
          conditions.add(Conditions.of(RUNTIME_READY, false, Reasons.SCHEMA_CHANGE_REFUSED, UpgradeGate.refusal(upgrade), gen));
          return conclude(conditions, t.endpoint(), runs.get("version"), runs.get("hash"), gen).withUpgrade(upgrade);
        }
      }
      List<StepResult.Endpoint> reaches = new ArrayList<>(db.endpoints());
      reaches.addAll(files.endpoints());
      NamespaceManifests.identityProviderEndpoint(instance).ifPresent(reaches::add);
      StepResult runtime = runtimeStep.reconcile(t, instance, served, reaches, secrets.version());
      conditions.add(runtime.toCondition(RUNTIME_READY, gen));
      endpoint = t.endpoint();
    } else {
      conditions.add(Conditions.of(RUNTIME_READY, false, Reasons.WAITING_FOR_DEPENDENCIES,
          "the runtime is deployed (or changed) once the database, the bucket and the secrets are ready", gen));
    }
    return conclude(conditions, endpoint, served.version(), served.hash(), gen).withUpgrade(upgrade);
  }

  private Outcome stopped(List<Condition> conditions, Phase phase, String reason, String message, Long gen) {
    conditions.add(Conditions.of(READY, false, reason, message, gen));
    return new Outcome(conditions, phase, null, null, null, null);
  }

  private Outcome conclude(List<Condition> conditions, String endpoint, String version, String hash, Long gen) {
    List<Condition> notReady = conditions.stream().filter(c -> !Conditions.TRUE.equals(c.getStatus()))
        .filter(c -> !(c.getType().equals(SCHEMA_VALID) && endpoint != null)) // an invalid new schema leaves the old one serving
        .toList();
    Condition ready;
    Phase phase;
    if (notReady.isEmpty()) {
      ready = Conditions.of(READY, true, "Ready", "serving at " + endpoint, gen);
      phase = Phase.Ready;
    } else {
      Condition first = notReady.get(0);
      ready = Conditions.of(READY, false, first.getReason(), first.getType() + ": " + first.getMessage(), gen);
      phase = notReady.stream().anyMatch(c -> NEEDS_A_PERSON.contains(c.getReason())) ? Phase.Failed : Phase.Provisioning;
    }
    conditions.add(ready);
    return new Outcome(conditions, phase, endpoint, version, hash, null);
  }

  private UpdateControl<ServiceInstance> finish(ServiceInstance instance, Outcome o) {
    phases.record(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), o.phase());
    ServiceInstanceStatus previous = instance.getStatus() == null ? new ServiceInstanceStatus() : instance.getStatus();
    ServiceInstanceStatus next = new ServiceInstanceStatus();
    next.setPhase(o.phase());
    next.setTargetNamespace(Target.of(instance).namespace());
    // Keep what the instance last ran when this pass stopped early (e.g. the Service vanished): status stays honest about it.
    next.setEndpoint(o.endpoint() != null ? o.endpoint() : previous.getEndpoint());
    next.setServiceVersion(o.serviceVersion() != null ? o.serviceVersion() : previous.getServiceVersion());
    next.setSchemaHash(o.schemaHash() != null ? o.schemaHash() : previous.getSchemaHash());
    next.setUpgrade(o.upgrade() != null ? o.upgrade() : previous.getUpgrade());
    next.setObservedGeneration(instance.getMetadata().getGeneration());
    Condition ready = o.conditions().get(o.conditions().size() - 1);
    String reason = ready.getReason();
    next.setConditions(Conditions.merge(previous.getConditions(), withKstatus(o.conditions(), o.phase(), ready,
        instance.getMetadata().getGeneration()), clock.instant()));
    if (previous.getPhase() != o.phase()) {
      String change = (previous.getPhase() == null ? "" : previous.getPhase() + " -> ") + o.phase() + ": "
          + ready.getMessage();
      if (o.phase() == Phase.Failed) {
        events.warning(instance, reason, change);
      } else {
        events.normal(instance, reason, change);
      }
    }
    UpdateControl<ServiceInstance> control;
    if (next.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      instance.setStatus(next);
      control = UpdateControl.patchStatus(instance);
    }
    Duration again = nextLook(o.phase(), reason);
    if (again == null && o.phase() == Phase.Ready && instance.getSpec().getSecretRefs() != null
        && !instance.getSpec().getSecretRefs().isEmpty()) {
      again = SECRETS_RECHECK;
    }
    return again == null ? control : control.rescheduleAfter(again);
  }

  /**
   * The conditions with kstatus's two beside them (Flux and {@code kubectl wait} read these): Reconciling while the
   * instance is on its way by itself, Stalled when it needs a person; both say the Ready reason.
   */
  static List<Condition> withKstatus(List<Condition> conditions, Phase phase, Condition ready, Long gen) {
    List<Condition> all = new ArrayList<>(conditions);
    boolean reconciling = phase == Phase.Provisioning || phase == Phase.Pending || phase == Phase.Deleting;
    all.add(reconciling ? Conditions.of(RECONCILING, true, ready.getReason(), ready.getMessage(), gen)
        : Conditions.of(RECONCILING, false, "Reconciled", "nothing in progress", gen));
    all.add(phase == Phase.Failed ? Conditions.of(STALLED, true, ready.getReason(), ready.getMessage(), gen)
        : Conditions.of(STALLED, false, "NotStalled", "nothing waits for a person", gen));
    return all;
  }

  /**
   * When to look again without an event. Changes to Services, namespaces and Deployments arrive as
   * events; CNPG, bucket claims, external servers and installed CRDs are polled.
   */
  static Duration nextLook(Phase phase, String reason) {
    return switch (phase) {
      case Ready, Pending, Deleting -> null;
      case Failed -> EVENT_DRIVEN_FAILURES.contains(reason) ? null : POLL_WHILE_FAILED;
      case Provisioning -> POLL_WHILE_PROVISIONING;
    };
  }


  @Override
  public ErrorStatusUpdateControl<ServiceInstance> updateErrorStatus(ServiceInstance instance, Context<ServiceInstance> context,
      Exception e) {
    withProjectInLog(instance, () -> {
      LOG.warnf(e, "reconcile of ServiceInstance %s/%s failed", instance.getMetadata().getNamespace(),
          instance.getMetadata().getName());
      return null;
    });
    ServiceInstanceStatus status = instance.getStatus() == null ? new ServiceInstanceStatus() : instance.getStatus();
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> c.getType().equals(READY));
    conditions.add(Conditions.of(READY, false, Reasons.RECONCILE_ERROR, "the operator could not complete a pass and will retry: "
        + e.getMessage(), instance.getMetadata().getGeneration()));
    status.setConditions(Conditions.merge(status.getConditions(), conditions, clock.instant()));
    instance.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(instance);
  }

  @Override
  public DeleteControl cleanup(ServiceInstance instance, Context<ServiceInstance> context) {
    return withProjectInLog(instance, () -> {
      phases.record(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), Phase.Deleting);
      DeleteControl done = cleanup.run(instance);
      if (done.isRemoveFinalizer()) {
        phases.forget(instance.getMetadata().getNamespace(), instance.getMetadata().getName());
      }
      return done;
    });
  }
}
