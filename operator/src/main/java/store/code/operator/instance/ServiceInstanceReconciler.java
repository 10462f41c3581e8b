package store.code.operator.instance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
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
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceInstanceStatus;
import store.code.api.v1alpha1.ServiceRef;
import store.code.operator.apikey.ProjectKeys;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.database.CnpgDatabase;
import store.code.operator.instance.database.DatabaseProvider;
import store.code.operator.instance.database.ExternalDatabase;
import store.code.operator.instance.storage.ExternalStorage;
import store.code.operator.instance.storage.ObjectBucketClaimStorage;
import store.code.operator.instance.storage.StorageProvider;
import store.code.operator.service.Marketplace;
import store.code.operator.support.Applier;
import store.code.operator.support.CompiledSchemas;
import store.code.operator.support.CrdPresence;
import store.code.operator.support.Events;
import store.code.operator.support.ProviderConfigException;
import store.code.operator.support.SecretData;
import store.code.operator.support.StepResult;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * Provisions one ServiceInstance, in the order of DESIGN section 4: namespace and guardrails,
 * database, bucket, schema, runtime. Observe, then act: each step reports what it observed as a
 * condition, {@code Ready} is their conjunction, and status is written only when it changed.
 */
@ControllerConfiguration(name = ServiceInstanceReconciler.NAME,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = java.util.concurrent.TimeUnit.MINUTES))
public class ServiceInstanceReconciler implements Reconciler<ServiceInstance>, Cleaner<ServiceInstance> {
  public static final String NAME = "serviceinstance";
  static final String SERVICE_INDEX = "code.store/service-ref";
  /** While something is still coming up, look again this soon even without an event (CNPG, OBC and external providers have none). */
  static final Duration POLL_WHILE_PROVISIONING = Duration.ofSeconds(10);
  /** A problem that needs a person is looked at again this often (e.g. CloudNativePG installed meanwhile). */
  static final Duration POLL_WHILE_FAILED = Duration.ofSeconds(30);
  /** Failures whose fix arrives as an event on the Service, so no polling is needed. */
  static final Set<String> EVENT_DRIVEN_FAILURES = Set.of("ServiceNotShared", "SchemaInvalid", "ProjectNotFound");

  public static final String NAMESPACE_READY = "NamespaceReady";
  public static final String SCHEMA_VALID = "SchemaValid";
  public static final String DATABASE_READY = "DatabaseReady";
  public static final String STORAGE_READY = "StorageReady";
  public static final String RUNTIME_READY = "RuntimeReady";
  public static final String READY = "Ready";

  /** Reasons that need a person, not time: the phase is Failed instead of Provisioning. */
  static final Set<String> NEEDS_A_PERSON = Set.of("ServiceNotShared", "ProjectNotFound", "NamespaceConflict", "ProviderNotInstalled",
      "ProviderMisconfigured", "SchemaInvalid", "SchemaChangeRefused");

  private static final Logger LOG = Logger.getLogger(ServiceInstanceReconciler.class);

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final Clock clock;
  private final Applier applier;
  private final RuntimeDiagnosis diagnosis;
  private final DatabaseProvider database;
  private final StorageProvider storage;
  private final CrdPresence crds;
  private InformerEventSource<CodeService, ServiceInstance> services;
  private InformerEventSource<ApiKey, ServiceInstance> apiKeys;
  private InformerEventSource<Project, ServiceInstance> projects;

  private InstancePhases phases = new InstancePhases(null);
  private final CompiledSchemas schemas = new CompiledSchemas();
  private final InstanceCleanup cleanup;
  private final KeyHandover keyHandover;
  private final java.security.SecureRandom random = new java.security.SecureRandom();

  /** Takes a last reading of an instance's usage before its runtime goes, so it is billed up to its deletion. */
  public ServiceInstanceReconciler withCollector(store.code.operator.billing.UsageCollector collector) {
    cleanup.withCollector(collector);
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
    this.applier = new Applier(client);
    this.diagnosis = new RuntimeDiagnosis(client);
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
    this.keyHandover = new KeyHandover(client);
  }

  @Override
  public List<EventSource<?, ServiceInstance>> prepareEventSources(EventSourceContext<ServiceInstance> context) {
    context.getPrimaryCache().addIndexer(SERVICE_INDEX, si -> List.of(serviceKey(si)));
    services = new InformerEventSource<>(InformerEventSourceConfiguration.from(CodeService.class, ServiceInstance.class)
        .withName("services")
        .withSecondaryToPrimaryMapper((CodeService s) -> context.getPrimaryCache()
            .byIndex(SERVICE_INDEX, s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).stream()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((ServiceInstance si) -> Set.of(serviceId(si)))
        .build(), context);
    var namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, ServiceInstance.class)
        .withName("namespaces").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<Namespace>byInstanceAnnotations())
        .build(), context);
    var deployments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, ServiceInstance.class)
        .withName("deployments").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<Deployment>byInstanceAnnotations())
        .build(), context);
    // A cache only: the schema and config ConfigMaps are read every pass, and change only when this operator writes them.
    var configMaps = new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, ServiceInstance.class)
        .withName("configmaps").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<ConfigMap>byInstanceAnnotations())
        .withGenericFilter(cm -> false)
        .build(), context);
    // a project's keys: one made, deleted or expired changes the key hashes its instances accept
    apiKeys = new InformerEventSource<>(InformerEventSourceConfiguration.from(ApiKey.class, ServiceInstance.class)
        .withName("apikeys")
        .withSecondaryToPrimaryMapper((ApiKey k) -> context.getPrimaryCache().list(k.getMetadata().getNamespace())
            .filter(si -> k.getSpec() != null && Objects.equals(si.getSpec().getProject(), k.getSpec().getProject()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context);
    // the project an instance is billed to: one created (or deleted) starts (or stops) its instances' provisioning
    projects = new InformerEventSource<>(InformerEventSourceConfiguration.from(Project.class, ServiceInstance.class)
        .withName("projects")
        .withSecondaryToPrimaryMapper((Project p) -> context.getPrimaryCache().list(p.getMetadata().getNamespace())
            .filter(si -> Objects.equals(si.getSpec().getProject(), p.getMetadata().getName()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((ServiceInstance si) -> si.getSpec().getProject() == null ? Set.of()
            : Set.of(new ResourceID(si.getSpec().getProject(), si.getMetadata().getNamespace())))
        // only whether it exists matters here
        .withOnUpdateFilter((now, before) -> false)
        .build(), context);
    applier.readFrom(Namespace.class, namespaces);
    applier.readFrom(Deployment.class, deployments);
    applier.readFrom(ConfigMap.class, configMaps);
    List<EventSource<?, ServiceInstance>> sources = new ArrayList<>(List.of(services, namespaces, deployments, configMaps,
        apiKeys, projects));
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
        .withName("databases").withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(ServiceInstanceReconciler.<GenericKubernetesResource>byInstanceAnnotations())
        // only what CloudNativePG reports matters; our own spec writes start no pass
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getAdditionalProperties().get("status"),
            before.getAdditionalProperties().get("status")))
        .build(), context);
    applier.readFrom(CnpgDatabase.CLUSTER_API_VERSION, CnpgDatabase.CLUSTER.getKind(), clusters);
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
    Outcome outcome = provision(instance);
    return finish(instance, outcome);
  }

  /** What one pass observed: conditions in provisioning order, and status fields. */
  record Outcome(List<Condition> conditions, Phase phase, String endpoint, String serviceVersion, String schemaHash) {}

  private Outcome provision(ServiceInstance instance) {
    Long gen = instance.getMetadata().getGeneration();
    Target t = Target.of(instance);
    List<Condition> conditions = new ArrayList<>();
    ServiceRef ref = instance.getSpec().getServiceRef();
    String serviceName = ref.namespaceOr(instance.getMetadata().getNamespace()) + "/" + ref.getName();

    Optional<String> unbilled = ProjectBilling.unbilledBecause(instance,
        project -> projects.get(new ResourceID(project, instance.getMetadata().getNamespace())).isPresent());
    if (unbilled.isPresent()) {
      return stopped(conditions, Phase.Failed, "ProjectNotFound", unbilled.get(), gen);
    }
    CodeService service = services.get(serviceId(instance)).orElse(null);
    if (service == null) {
      return stopped(conditions, Phase.Pending, "ServiceNotFound", "Service " + serviceName
          + " does not exist: create it, or fix spec.serviceRef (services.code.store in namespace "
          + ref.namespaceOr(instance.getMetadata().getNamespace()) + ")", gen);
    }
    if (!Marketplace.admits(service, instance.getMetadata().getNamespace())) {
      return stopped(conditions, Phase.Failed, "ServiceNotShared", "Service " + serviceName + " has visibility "
          + service.getSpec().getVisibility() + " and is not shared with namespace " + instance.getMetadata().getNamespace()
          + ": ask its maker to make it Public or add this namespace to spec.sharedWith"
          + (applier.current(NamespaceManifests.namespace(t)) != null
              ? ". What this instance already runs in " + t.namespace() + " is left as it was (nothing was deleted); "
                  + "delete the Project or this service from it to remove it" : ""), gen);
    }

    // 1. Namespace and guardrails.
    Namespace desiredNamespace = NamespaceManifests.namespace(t);
    Namespace ns = applier.current(desiredNamespace);
    if (ns != null && !isOurs(ns, t)) {
      return stopped(conditions, Phase.Failed, "NamespaceConflict", "namespace " + t.namespace()
          + " exists but does not belong to this instance; it is left untouched: remove or rename it", gen);
    }
    if (ns != null && ns.getMetadata().getDeletionTimestamp() != null) {
      conditions.add(Conditions.of(NAMESPACE_READY, false, "NamespaceTerminating", "namespace " + t.namespace()
          + " is still being deleted; provisioning resumes when it is gone", gen));
      return stopped(conditions, Phase.Provisioning, "NamespaceTerminating", "waiting for namespace " + t.namespace()
          + " to finish deleting", gen);
    }
    applier.apply(desiredNamespace, ns);
    // first: the operator writes everything else in the namespace through this binding
    settings.rbac().ifPresent(rbac -> applier.apply(NamespaceManifests.operatorBinding(t, rbac)));
    if (ns != null && ns.getMetadata().getLabels() != null && ns.getMetadata().getLabels().containsKey(Labels.RETAINED)) {
      client.namespaces().withName(t.namespace()).edit(n -> {
        n.getMetadata().getLabels().remove(Labels.RETAINED);
        return n;
      });
    }
    applier.apply(NamespaceManifests.quota(t, settings.quota()));
    applier.apply(NamespaceManifests.limitRange(t));
    applier.apply(NamespaceManifests.networkPolicy(t, settings.network()));
    applier.apply(NamespaceManifests.runtimeCallers(t, settings.network(), settings.ingressDomain().isPresent()));
    applier.apply(NamespaceManifests.runtimeServiceAccount(t));
    applyKeys(t, instance);
    conditions.add(Conditions.of(NAMESPACE_READY, true, "NamespaceReady", "namespace " + t.namespace()
        + " with quota, limits, network policies, runtime service account and the project's API key hashes", gen));

    // 2. Schema: a schema that does not compile is never rolled out; a running instance keeps its schema.
    ConfigMap running = applier.current(new ConfigMapBuilder().withNewMetadata()
        .withNamespace(t.namespace()).withName(RuntimeManifests.SCHEMA_CONFIG_MAP).endMetadata().build());
    String schema = service.getSpec().getSchema();
    String version = service.getSpec().getVersion();
    String hash;
    String published = service.getStatus() == null ? null : service.getStatus().getPublishedSchema();
    String range = instance.getSpec().getVersion();
    if (range != null) {
      // Pinned: the highest published version in the range, as it was published (schema and code image).
      RevisionChoice.Choice choice = RevisionChoice.choose(range, client.resources(ServiceRevision.class)
          .inNamespace(service.getMetadata().getNamespace()).withLabel(Labels.SERVICE, service.getMetadata().getName())
          .list().getItems());
      if (choice.revision().isPresent()) {
        ServiceRevision chosen = choice.revision().get();
        schema = chosen.getSpec().getSchema();
        version = chosen.getSpec().getVersion();
        hash = chosen.getSpec().getSchemaHash();
        service = RevisionChoice.asPublished(service, chosen);
        conditions.add(Conditions.of(SCHEMA_VALID, true, "SchemaValid", "schema " + hash + " of " + serviceName
            + " version " + version + ", the highest published in range " + range, gen));
      } else if (running != null) {
        schema = running.getData().get("schema.graphql");
        version = running.getData().get("version");
        hash = running.getData().get("hash");
        conditions.add(Conditions.of(SCHEMA_VALID, false, choice.reason(), choice.message()
            + "; the instance keeps serving version " + version, gen));
      } else {
        conditions.add(Conditions.of(SCHEMA_VALID, false, choice.reason(), choice.message(), gen));
        return stopped(conditions, Phase.Pending, choice.reason(), choice.message()
            + " (spec.services[].version of Project " + instance.getSpec().getProject() + ")", gen);
      }
    } else try { // unpinned: the version the Service publishes now, as every instance did before ranges
      hash = schemas.compile(schema).hash();
      if (published != null && !published.equals(schema)) {
        // spec.schema compiles but is not published: a breaking change refused, or not checked yet. Serve the published one.
        conditions.add(Conditions.of(SCHEMA_VALID, false, "SchemaNotPublished", "version " + version + " of Service "
            + serviceName + " is not published (see its SchemaCompatible condition); the instance serves version "
            + service.getStatus().getVersion() + " (schema " + service.getStatus().getSchemaHash() + ")", gen));
        schema = published;
        version = service.getStatus().getVersion();
        hash = service.getStatus().getSchemaHash();
      } else {
        conditions.add(Conditions.of(SCHEMA_VALID, true, "SchemaValid", "schema " + hash + " of " + serviceName
            + " version " + version, gen));
      }
    } catch (SchemaException e) {
      if (running == null) {
        conditions.add(Conditions.of(SCHEMA_VALID, false, "SchemaInvalid", "the schema of Service " + serviceName
            + " does not compile, so no runtime is deployed: " + e.getMessage(), gen));
        return stopped(conditions, Phase.Failed, "SchemaInvalid", "Service " + serviceName
            + " has an invalid schema; see the SchemaValid condition", gen);
      }
      schema = running.getData().get("schema.graphql");
      version = running.getData().get("version");
      hash = running.getData().get("hash");
      conditions.add(Conditions.of(SCHEMA_VALID, false, "SchemaInvalid", "the new schema of Service " + serviceName
          + " does not compile; the instance keeps serving version " + version + " (schema " + hash + "): "
          + e.getMessage(), gen));
    }

    // 3. Database and bucket.
    StepResult db = database.reconcile(t, service);
    conditions.add(db.toCondition(DATABASE_READY, gen));
    StepResult files = storage.reconcile(t);
    conditions.add(files.toCondition(STORAGE_READY, gen));

    // 4. Runtime, once its database and bucket credentials exist.
    String endpoint = null;
    if (db.ready() && files.ready()) {
      List<StepResult.Endpoint> reaches = new ArrayList<>(db.endpoints());
      reaches.addAll(files.endpoints());
      NamespaceManifests.identityProviderEndpoint(instance).ifPresent(reaches::add);
      // before the pods: a runtime never runs without its egress rules
      applier.apply(NamespaceManifests.runtimeEgress(t, reaches, RuntimeManifests.codeEgress(service)));
      StepResult runtime = deployRuntime(t, service, instance, schema, version, hash);
      conditions.add(runtime.toCondition(RUNTIME_READY, gen));
      endpoint = t.endpoint();
    } else {
      conditions.add(Conditions.of(RUNTIME_READY, false, "WaitingForDependencies",
          "the runtime is deployed once the database and the bucket are ready", gen));
    }
    return conclude(conditions, endpoint, version, hash, gen);
  }

  /** The instance's key hashes; when they changed, handed to the running pods at once as well. */
  private void applyKeys(Target t, ServiceInstance instance) {
    String lines = ProjectKeys.keysFile(apiKeys.list(instance.getMetadata().getNamespace()).toList(), instance, clock.instant());
    Secret current = client.secrets().inNamespace(t.namespace()).withName(RuntimeManifests.KEYS_SECRET).get();
    Map<String, String> stored = current == null ? Map.of() : SecretData.decode(current);
    String token = stored.get(RuntimeManifests.PUSH_TOKEN);
    if (token == null || token.length() < 32) {
      token = ProjectKeys.newPushToken(random);
    }
    applier.apply(RuntimeManifests.keysSecret(t, lines, token), current);
    if (current != null && !lines.equals(stored.get(RuntimeManifests.KEYS_FILE))) {
      keyHandover.handOver(t, lines, token);
    }
  }

  private StepResult deployRuntime(Target t, CodeService service, ServiceInstance instance, String schema,
      String version, String hash) {
    Map<String, String> config = instance.getSpec().getConfig() == null ? Map.of() : new TreeMap<>(instance.getSpec().getConfig());
    applier.apply(RuntimeManifests.schemaConfigMap(t, schema, version, hash));
    // before the Deployment that mounts it
    applier.apply(RuntimeManifests.versionSchemaConfigMap(t, schema, version, hash));
    applier.apply(RuntimeManifests.instanceConfigMap(t, config));
    String configHash = InstanceNames.shortHash(Serialization.asJson(config), 12);
    boolean autoscale = RuntimeManifests.wantsAutoscaler(service, instance);
    // The replica count is always ours (the autoscaler's minimum when there is one): a retained instance
    // scaled to zero must come back, and an autoscaler never scales up from zero.
    Deployment deployment = applier.apply(RuntimeManifests.deployment(t, service, instance, settings, hash, version,
        configHash));
    applier.apply(RuntimeManifests.service(t));
    var hpas = client.autoscaling().v1().horizontalPodAutoscalers().inNamespace(t.namespace()).withName(RuntimeManifests.NAME);
    if (autoscale) {
      applier.apply(RuntimeManifests.autoscaler(t, service, instance));
    } else if (hpas.get() != null) {
      hpas.delete();
    }
    settings.ingressDomain().ifPresent(domain -> {
      settings.ingressTlsSecret().ifPresent(ref -> {
        String[] at = ref.split("/", 2);
        Secret platform = client.secrets().inNamespace(at[0]).withName(at[1]).get();
        if (platform == null) {
          throw new ProviderConfigException("the ingress TLS Secret " + ref + " (codestore.ingress.tls-secret) does not exist");
        }
        applier.apply(RuntimeManifests.tlsSecret(t, platform));
      });
      applier.apply(RuntimeManifests.ingress(t, domain, settings));
    });
    StepResult readiness = runtimeReadiness(deployment, RuntimeManifests.replicas(service, instance));
    if (readiness.ready()) {
      forgetUnmountedSchemas(t, RuntimeManifests.schemaConfigMapName(version, hash));
      return readiness;
    }
    return diagnosis.diagnose(t).map(f -> StepResult.waiting(f.reason(), f.message())).orElse(readiness);
  }

  /**
   * Deletes the per-version schema ConfigMaps that no pod mounts any more, once a rollout finished: while one runs or
   * is refused, the pods of the previous version still mount theirs, and keep it.
   */
  private void forgetUnmountedSchemas(Target t, String current) {
    var all = client.configMaps().inNamespace(t.namespace()).withLabel(RuntimeManifests.VERSION_SCHEMA_LABEL, "true")
        .list().getItems();
    if (all.size() <= 1) {
      return;
    }
    Set<String> mounted = new java.util.HashSet<>();
    for (var pod : client.pods().inNamespace(t.namespace()).withLabels(t.runtimeSelector()).list().getItems()) {
      pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
          .forEach(v -> mounted.add(v.getConfigMap().getName()));
    }
    for (ConfigMap cm : all) {
      String name = cm.getMetadata().getName();
      if (!name.equals(current) && !mounted.contains(name)) {
        client.configMaps().inNamespace(t.namespace()).withName(name).delete();
      }
    }
  }

  /**
   * Ready when the rollout of the current template finished, as `kubectl rollout status` judges it: every replica
   * runs the current template and is available, and no pod of an older template is left. While a new template's pods
   * are not ready, the old ones keep serving, but the instance is not Ready: what it serves is not what it should.
   */
  public static StepResult runtimeReadiness(Deployment d, int replicas) {
    if (replicas == 0) {
      return StepResult.ready("Suspended", "the runtime is scaled to zero (spec.suspended)");
    }
    var s = d.getStatus();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < d.getMetadata().getGeneration()) {
      return StepResult.waiting("RolloutInProgress", "Deployment runtime: the new template is not observed yet");
    }
    int updated = s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
    int total = s.getReplicas() == null ? 0 : s.getReplicas();
    int available = s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
    int ready = s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    if (updated >= replicas && total <= updated && available >= updated) {
      return StepResult.ready("RuntimeReady", "Deployment runtime: " + ready + "/" + replicas + " replicas ready");
    }
    return StepResult.waiting("RolloutInProgress", "Deployment runtime: " + updated + "/" + replicas
        + " replicas on the current template, " + available + " available, " + (total - updated)
        + " of an older one; see `kubectl -n " + d.getMetadata().getNamespace() + " get pods` if this lasts");
  }

  private Outcome stopped(List<Condition> conditions, Phase phase, String reason, String message, Long gen) {
    conditions.add(Conditions.of(READY, false, reason, message, gen));
    return new Outcome(conditions, phase, null, null, null);
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
    return new Outcome(conditions, phase, endpoint, version, hash);
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
    next.setObservedGeneration(instance.getMetadata().getGeneration());
    next.setConditions(Conditions.merge(previous.getConditions(), o.conditions(), clock.instant()));
    String reason = o.conditions().get(o.conditions().size() - 1).getReason();
    UpdateControl<ServiceInstance> control;
    if (next.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      instance.setStatus(next);
      control = UpdateControl.patchStatus(instance);
    }
    Duration again = nextLook(o.phase(), reason);
    return again == null ? control : control.rescheduleAfter(again);
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

  static boolean isOurs(Namespace ns, Target t) {
    Map<String, String> a = ns.getMetadata().getAnnotations();
    return a != null && t.instanceNamespace().equals(a.get(Labels.INSTANCE_NAMESPACE_ANNOTATION))
        && t.instanceName().equals(a.get(Labels.INSTANCE_NAME_ANNOTATION));
  }

  @Override
  public ErrorStatusUpdateControl<ServiceInstance> updateErrorStatus(ServiceInstance instance, Context<ServiceInstance> context,
      Exception e) {
    LOG.warnf(e, "reconcile of ServiceInstance %s/%s failed", instance.getMetadata().getNamespace(), instance.getMetadata().getName());
    ServiceInstanceStatus status = instance.getStatus() == null ? new ServiceInstanceStatus() : instance.getStatus();
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> c.getType().equals(READY));
    conditions.add(Conditions.of(READY, false, "ReconcileError", "the operator could not complete a pass and will retry: "
        + e.getMessage(), instance.getMetadata().getGeneration()));
    status.setConditions(Conditions.merge(status.getConditions(), conditions, clock.instant()));
    instance.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(instance);
  }

  @Override
  public DeleteControl cleanup(ServiceInstance instance, Context<ServiceInstance> context) {
    phases.record(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), Phase.Deleting);
    DeleteControl done = cleanup.run(instance);
    if (done.isRemoveFinalizer()) {
      phases.forget(instance.getMetadata().getNamespace(), instance.getMetadata().getName());
    }
    return done;
  }
}
