package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;
import store.code.operator.instance.MigrationDryRuns;
import store.code.operator.instance.RuntimeManifests;
import store.code.operator.instance.database.CnpgDatabase;

/**
 * The whole control loop against a real API server: examples applied as a user would, every
 * provisioned object checked, readiness after fake controllers, schema roll-outs, bad input at the
 * door and as conditions, zero writes on resync, and both deletion policies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpOnFailure.class)
class PlatformIT {
  static final Duration CONVERGE = Duration.ofSeconds(60);
  static final List<String> INSTANCES = List.of("webshop-cart-dev", "webshop-cart-prod", "webshop-rooms-dev", "webshop-rooms-prod");

  KubeCluster cluster;
  /**
   * What the instances' runtimes answer to a migration dry run, by instance name (no pods run here): none, unless a
   * test says, as for an instance with no runtime serving. The runtime's side is RuntimeProcessIT's and MigrationTest's.
   */
  final Map<String, MigrationDryRuns.Plan> dryRunAnswers = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  void startCluster() throws IOException {
    cluster = KubeCluster.withFakeProviders();
    cluster.startOperator(OperatorSettings.defaults(), this::answeringDryRuns);
  }

  private store.code.operator.CodestoreOperator.Builder answeringDryRuns(store.code.operator.CodestoreOperator.Builder b) {
    return b.migrationDryRuns((t, sdl) -> java.util.Optional.ofNullable(dryRunAnswers.get(t.instanceName())));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** `kubectl get codestore` lists every kind of the platform: the API server's discovery puts each in the category. */
  @Test
  @Order(0)
  void everyKindIsInTheCodestoreCategoryWithItsReadinessColumns() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var kinds = cluster.admin.getApiResources(CodeService.GROUP + "/" + CodeService.VERSION).getResources().stream()
          .filter(r -> !r.getName().contains("/")).toList();
      assertThat(kinds).extracting(io.fabric8.kubernetes.api.model.APIResource::getName).containsExactlyInAnyOrder(
          "services", "projects", "serviceinstances", "apikeys", "usagereports", "servicerevisions");
      assertThat(kinds).allSatisfy(r -> assertThat(r.getCategories()).as(r.getName()).containsExactly("codestore"));
    });
    for (String crd : List.of("services.code.store", "projects.code.store", "serviceinstances.code.store",
        "apikeys.code.store")) {
      assertThat(cluster.admin.apiextensions().v1().customResourceDefinitions().withName(crd).get().getSpec()
          .getVersions().get(0).getAdditionalPrinterColumns()).as(crd)
          .extracting(c -> c.getName()).contains("Ready", "Reason", "Age");
    }
  }

  @Test
  @Order(1)
  void crdSchemaRefusesMalformedSpecsAtTheDoor() {
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bad-input").endMetadata().build())
        .serverSideApply();
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: p, namespace: bad-input}
        spec:
          services: [{name: cart, serviceRef: {name: shopping-cart}}]
        """, "spec.environments", "Required value");
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: p, namespace: bad-input}
        spec:
          environments: [Prod]
          deletionPolicy: Sometimes
          services: [{name: cart, serviceRef: {name: shopping-cart}}]
        """, "spec.deletionPolicy", "Unsupported value: \"Sometimes\"");
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: p, namespace: bad-input}
        spec:
          environments: [Prod]
          services: [{name: cart, serviceRef: {name: shopping-cart}}]
        """, "spec.environments", "should match");
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: s, namespace: bad-input}
        spec:
          version: v1
          schema: "type A @model { x: Int }"
        """, "spec.version", "should match");
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: s, namespace: bad-input}
        spec:
          version: 1.0.0
          schema: "type A @model { x: Int }"
          visibility: Everyone
          pricing: {currency: euro, monthlyFee: "5,00"}
        """, "spec.visibility", "spec.pricing.currency", "spec.pricing.monthlyFee");
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: s, namespace: bad-input}
        spec:
          version: 1.0.0
          schema: "type A @model { x: Int }"
          code:
            image: example/code:1
            egress:
              - {cidr: 10.0.0.256/32, port: 443}
              - {cidr: 0.0.0.0/0, port: 0}
              - {cidr: 0.0.0.0/0}
        """, "spec.code.egress", "\"10.0.0.256/32\"", "should be greater than or equal to 1", "Required value");
    assertRefused("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: s, namespace: bad-input}
        spec:
          version: 1.0.0
          schema: "type A @model { x: Int }"
          code: {image: example/code:1, egress: [{cidr: api.example.com, port: 443}]}
        """, "spec.code.egress", "\"api.example.com\"");
    assertThat(cluster.admin.resources(Project.class).inNamespace("bad-input").list().getItems()).isEmpty();
  }

  private void assertRefused(String yaml, String... fragments) {
    assertThatThrownBy(() -> cluster.admin.resource(yaml).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> {
          assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(fragments);
        });
  }

  @Test
  @Order(2)
  void examplesConvergeToReadyInstancesWithEveryObjectWired() throws IOException {
    long started = System.nanoTime();
    cluster.applyExamples();
    eventually().untilAsserted(() -> {
      for (String name : INSTANCES) {
        ServiceInstance si = instance(name);
        assertThat(si).as(name).isNotNull();
        String ns = InstanceNames.targetNamespace(si);
        assertThat(cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get()).as(name + " runtime").isNotNull();
      }
    });
    long allObjectsMs = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("[measure] examples applied -> all instance objects exist: %d ms%n", allObjectsMs);

    for (String name : INSTANCES) {
      ServiceInstance si = instance(name);
      assertThat(si.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind()).isEqualTo("Project"));
      String ns = InstanceNames.targetNamespace(si);
      assertThat(ns).startsWith("cs-acme-webshop-").hasSizeLessThanOrEqualTo(63);
      Namespace namespace = cluster.admin.namespaces().withName(ns).get();
      assertThat(namespace.getMetadata().getLabels())
          .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
          .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
          .containsEntry(Labels.INSTANCE, "acme." + name);
      assertThat(cluster.admin.resourceQuotas().inNamespace(ns).withName("codestore-quota").get().getSpec().getHard())
          .containsKeys("pods", "requests.cpu", "requests.memory", "requests.storage");
      assertThat(cluster.admin.limitRanges().inNamespace(ns).withName("codestore-limits").get()).isNotNull();
      var policy = cluster.admin.network().v1().networkPolicies().inNamespace(ns).withName("codestore-isolation").get();
      assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
      // per instance, as the API server stores them: its project's namespace calls the API port; the runtime
      // reaches its own namespace (the CNPG database) and DNS, nothing else (this cluster has no external endpoints)
      var callers = cluster.admin.network().v1().networkPolicies().inNamespace(ns).withName("codestore-runtime-callers").get();
      assertThat(callers.getSpec().getPodSelector().getMatchLabels()).containsEntry(Labels.INSTANCE, "acme." + name);
      assertThat(callers.getSpec().getIngress()).singleElement().satisfies(r -> {
        assertThat(r.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
        assertThat(r.getFrom()).singleElement().satisfies(f -> assertThat(f.getNamespaceSelector().getMatchLabels())
            .containsEntry("kubernetes.io/metadata.name", "acme"));
      });
      var egress = cluster.admin.network().v1().networkPolicies().inNamespace(ns).withName("codestore-runtime-egress").get();
      assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
      assertThat(egress.getSpec().getEgress()).hasSize(2);
      assertThat(cluster.admin.serviceAccounts().inNamespace(ns).withName("runtime").get().getAutomountServiceAccountToken()).isFalse();
      // one binding only: the project namespace's people (none here) to the instance-access Role; the runtime has none
      assertThat(cluster.admin.rbac().roleBindings().inNamespace(ns).list().getItems()).singleElement().satisfies(b -> {
        assertThat(b.getMetadata().getName()).isEqualTo("codestore-instance-access");
        assertThat(b.getSubjects()).isEmpty();
      });

      GenericKubernetesResource db = cluster.admin.genericKubernetesResources(CnpgDatabase.CLUSTER).inNamespace(ns).withName("db").get();
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) db.getAdditionalProperties().get("spec");
      assertThat(spec).containsEntry("instances", 1);
      assertThat(spec.get("bootstrap").toString()).contains("database=app").contains("owner=app");

      var schema = cluster.admin.configMaps().inNamespace(ns).withName("service-schema").get();
      assertThat(schema.getData()).containsKeys("schema.graphql", "version", "hash");
      Deployment runtime = cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get();
      var pod = runtime.getSpec().getTemplate().getSpec();
      // the pods mount the schema of their own version, a ConfigMap that never changes
      String versioned = RuntimeManifests.schemaConfigMapName(schema.getData().get("version"), schema.getData().get("hash"));
      assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("schema"))
          .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo(versioned));
      assertThat(cluster.admin.configMaps().inNamespace(ns).withName(versioned).get().getData())
          .isEqualTo(schema.getData());
      assertThat(pod.getServiceAccountName()).isEqualTo("runtime");
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      var container = pod.getContainers().get(0);
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
      assertThat(container.getEnv()).extracting(EnvVar::getName)
          .contains("CODESTORE_SCHEMA_PATH", "CODESTORE_DB_HOST", "CODESTORE_DB_PASSWORD")
          .doesNotContain("CODESTORE_S3_ENDPOINT");
      assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("CODESTORE_DB_PASSWORD")).singleElement()
          .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db-app"));
      assertThat(runtime.getSpec().getTemplate().getMetadata().getAnnotations())
          .containsEntry(Labels.SCHEMA_HASH_ANNOTATION, schema.getData().get("hash"));
      assertThat(cluster.admin.services().inNamespace(ns).withName("runtime").get().getSpec().getPorts().get(0).getPort())
          .isEqualTo(8080);
      boolean cart = name.contains("-cart-");
      assertThat(cluster.admin.autoscaling().v1().horizontalPodAutoscalers().inNamespace(ns).withName("runtime").get() != null)
          .as("HPA only where maxReplicas > replicas").isEqualTo(cart);
      if (cart) {
        assertThat(cluster.admin.configMaps().inNamespace(ns).withName("instance-config").get().getData())
            .containsEntry("CURRENCY", "EUR");
      }
    }

    eventually().untilAsserted(() -> {
      for (String name : INSTANCES) {
        ServiceInstance si = instance(name);
        assertThat(si.getStatus()).as(name).isNotNull();
        assertThat(si.getStatus().getPhase()).as(name + " " + si.getStatus().getConditions()).isEqualTo(Phase.Ready);
        assertThat(si.getStatus().getEndpoint()).isEqualTo("http://runtime." + si.getStatus().getTargetNamespace() + ".svc:8080/graphql");
        assertThat(si.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus()).contains(
            "NamespaceReady=True", "SchemaValid=True", "DatabaseReady=True", "StorageReady=True", "RuntimeReady=True", "Ready=True",
            "Reconciling=False", "Stalled=False");
        // each phase it went through is an Event on it (kubectl describe)
        assertThat(cluster.admin.v1().events().inNamespace(si.getMetadata().getNamespace())
            .withField("involvedObject.name", name).list().getItems())
            .anySatisfy(e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getReason()).isEqualTo("Ready");
              assertThat(e.getMessage()).contains("-> Ready: serving at");
            });
      }
      Project p = cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get();
      assertThat(Conditions.isTrue(p.getStatus().getConditions(), "Ready")).isTrue();
      assertThat(p.getStatus().getReadyInstances()).isEqualTo("4/4");
      assertThat(p.getStatus().getInstances()).extracting(i -> i.getEndpoint()).allMatch(e -> e != null && e.endsWith("/graphql"));
    });
    System.out.printf("[measure] examples applied -> project Ready: %d ms%n", (System.nanoTime() - started) / 1_000_000);

    CodeService cartService = service("shopping-cart");
    eventually().untilAsserted(() -> {
      CodeService s = service("shopping-cart");
      assertThat(s.getStatus().getInstances()).isEqualTo(2);
      assertThat(s.getStatus().getApi().getMutations()).contains("createCart", "checkout");
      assertThat(s.getMetadata().getLabels()).containsEntry(Labels.PUBLIC, "true");
      assertThat(service("meeting-rooms").getMetadata().getLabels()).doesNotContainKey(Labels.PUBLIC);
    });
    assertThat(cartService).isNotNull();
  }

  @Test
  @Order(3)
  void aResyncOfAnUnchangedWorldWritesNothing() {
    awaitQuiet();
    // A fresh operator lists everything and reconciles every resource once: a full resync.
    cluster.stopOperator();
    long before = cluster.operatorWrites.get();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    cluster.startOperator(OperatorSettings.defaults(), b -> answeringDryRuns(b).meters(meters));
    await().atMost(CONVERGE).untilAsserted(() -> {
      assertThat(reconciled(meters, "serviceinstance")).as("every instance reconciled again").isGreaterThanOrEqualTo(INSTANCES.size());
      assertThat(reconciled(meters, "project")).as("the project reconciled again").isGreaterThanOrEqualTo(1);
      assertThat(reconciled(meters, "service")).as("both services reconciled again").isGreaterThanOrEqualTo(2);
    });
    awaitQuiet();
    long writes = cluster.operatorWrites.get() - before;
    System.out.printf("[measure] writes during a full resync of %d instances (%.0f reconciles): %d%n", INSTANCES.size(),
        reconciled(meters, ""), writes);
    assertThat(writes).as("API writes during a resync of a converged world: " + List.copyOf(cluster.operatorWriteLog))
        .isZero();
  }

  /** Successful reconciles of the controllers whose name contains {@code controller}, since the operator started. */
  static double reconciled(SimpleMeterRegistry meters, String controller) {
    return meters.find("reconciliations.success.total").counters().stream()
        .filter(c -> c.getId().getTags().stream().anyMatch(t -> t.getValue().equals(controller))
            || controller.isEmpty())
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  /** An edit as a user makes it: read, change, write; again if the operator wrote in between. */
  private static void retryOnConflict(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** Waits for a state; a null on the way (object not there yet) is a reason to wait, not to fail. */
  private static org.awaitility.core.ConditionFactory eventually() {
    return await().atMost(CONVERGE).ignoreExceptions();
  }

  /** Quiet: no operator write for 3 seconds. */
  private void awaitQuiet() {
    long[] last = {-1};
    await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(3)).until(() -> {
      long now = cluster.operatorWrites.get();
      boolean quiet = now == last[0];
      last[0] = now;
      return quiet;
    });
  }

  @Test
  @Order(4)
  void aSchemaChangeRollsEveryInstanceAndAnInvalidOneRollsNone() {
    Map<String, String> before = runtimeSchemaHashes();
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").edit(s -> {
      s.getSpec().setSchema(s.getSpec().getSchema().replace("sku: String! @index", "sku: String! @index\n  giftWrap: Boolean"));
      s.getSpec().setVersion("1.1.0");
      return s;
    }));
    eventually().untilAsserted(() -> {
      Map<String, String> after = runtimeSchemaHashes();
      for (String name : INSTANCES) {
        if (name.contains("-cart-")) {
          assertThat(after.get(name)).as(name + " rolled").isNotEqualTo(before.get(name));
          assertThat(instance(name).getStatus().getServiceVersion()).isEqualTo("1.1.0");
        } else {
          assertThat(after.get(name)).as(name + " untouched").isEqualTo(before.get(name));
        }
      }
    });
    Map<String, String> good = runtimeSchemaHashes();

    String goodSchema = service("shopping-cart").getSpec().getSchema();
    long brokenLine = goodSchema.chars().filter(c -> c == '\n').count() + 2;
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").edit(s -> {
      s.getSpec().setSchema(goodSchema + "\ntype Broken @model { x: Nope }\n");
      s.getSpec().setVersion("1.2.0");
      return s;
    }));
    eventually().untilAsserted(() -> {
      CodeService s = service("shopping-cart");
      var valid = Conditions.find(s.getStatus().getConditions(), "SchemaValid").orElseThrow();
      assertThat(valid.getStatus()).isEqualTo("False");
      assertThat(valid.getMessage()).contains("line " + brokenLine + ", column").contains("Nope");
      ServiceInstance si = instance("webshop-cart-dev");
      var instanceValid = Conditions.find(si.getStatus().getConditions(), "SchemaValid").orElseThrow();
      assertThat(instanceValid.getStatus()).isEqualTo("False");
      assertThat(instanceValid.getMessage()).contains("keeps serving version 1.1.0");
      assertThat(si.getStatus().getPhase()).isEqualTo(Phase.Ready);
    });
    assertThat(runtimeSchemaHashes()).isEqualTo(good);

    // a breaking change (a field clients may read disappears) is refused without a major version...
    String withoutGiftWrap = goodSchema.replace("\n  giftWrap: Boolean", "");
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").edit(s -> {
      s.getSpec().setSchema(withoutGiftWrap);
      s.getSpec().setVersion("1.3.0");
      return s;
    }));
    eventually().untilAsserted(() -> {
      CodeService s = service("shopping-cart");
      var compatible = Conditions.find(s.getStatus().getConditions(), "SchemaCompatible").orElseThrow();
      assertThat(compatible.getReason()).isEqualTo("BreakingChange");
      assertThat(compatible.getMessage()).contains("version 1.3.0 breaks clients of version 1.1.0").contains("CartItem.giftWrap")
          .contains("publish it as 2.0.0");
      assertThat(s.getStatus().getVersion()).isEqualTo("1.1.0");
      var instanceValid = Conditions.find(instance("webshop-cart-dev").getStatus().getConditions(), "SchemaValid").orElseThrow();
      assertThat(instanceValid.getReason()).isEqualTo("SchemaNotPublished");
      assertThat(instanceValid.getMessage()).contains("serves version 1.1.0");
    });
    assertThat(runtimeSchemaHashes()).isEqualTo(good);

    // ...and rolls out with one
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").edit(s -> {
      s.getSpec().setVersion("2.0.0");
      return s;
    }));
    eventually().untilAsserted(() -> {
      CodeService s = service("shopping-cart");
      assertThat(Conditions.find(s.getStatus().getConditions(), "SchemaCompatible").orElseThrow().getReason()).isEqualTo("MajorVersion");
      assertThat(instance("webshop-cart-dev").getStatus().getServiceVersion()).isEqualTo("2.0.0");
      assertThat(runtimeSchemaHashes().get("webshop-cart-dev")).isNotEqualTo(good.get("webshop-cart-dev"));
    });
    // once rolled out, the schema ConfigMaps of versions no pod mounts are gone (these fake runtimes have no pods)
    eventually().untilAsserted(() -> assertThat(cluster.admin.configMaps()
        .inNamespace(InstanceNames.targetNamespace(instance("webshop-cart-dev")))
        .withLabel(RuntimeManifests.VERSION_SCHEMA_LABEL, "true").list().getItems())
        .extracting(c -> c.getData().get("version")).containsExactly("2.0.0"));

    // every version published is a revision; the invalid (1.2.0) and refused (1.3.0) ones never were
    eventually().untilAsserted(() -> assertThat(revisions("shopping-cart")).containsOnlyKeys("1.0.0", "1.1.0", "2.0.0"));
    var published = cluster.admin.resources(ServiceRevision.class).inNamespace("acme-makers")
        .withName("shopping-cart-2-0-0").get();
    assertThat(published.getSpec().getSchema()).doesNotContain("giftWrap");
    assertThat(published.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("shopping-cart"));
    assertThat(service("shopping-cart").getStatus().getRevision()).isEqualTo("shopping-cart-2-0-0");
    assertThat(revisions("shopping-cart").get("1.1.0")).contains("giftWrap");

    // a published version never changes: the same version with another schema is refused, and nothing moves
    CodeService atTwo = service("shopping-cart");
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").edit(s -> {
      s.getSpec().setSchema(s.getSpec().getSchema() + "\ntype Coupon @model { code: String! }\n");
      return s;
    }));
    eventually().untilAsserted(() -> {
      CodeService s = service("shopping-cart");
      var compatible = Conditions.find(s.getStatus().getConditions(), "SchemaCompatible").orElseThrow();
      assertThat(compatible.getReason()).isEqualTo("VersionAlreadyPublished");
      assertThat(compatible.getMessage()).contains("version 2.0.0 is already published (ServiceRevision shopping-cart-2-0-0)")
          .contains("changes the schema").contains("e.g. 2.0.1");
      assertThat(Conditions.find(s.getStatus().getConditions(), "Ready").orElseThrow().getReason())
          .isEqualTo("VersionAlreadyPublished");
      assertThat(s.getStatus().getSchemaHash()).isEqualTo(atTwo.getStatus().getSchemaHash());
    });
    assertThat(revisions("shopping-cart").get("2.0.0")).isEqualTo(published.getSpec().getSchema());
    assertThat(runtimeSchemaHashes().get("webshop-cart-dev")).isEqualTo(atTwo.getStatus().getSchemaHash());
    // taken back: published again, as it was
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("shopping-cart").edit(s -> {
      s.getSpec().setSchema(atTwo.getSpec().getSchema());
      return s;
    }));
    eventually().untilAsserted(() -> assertThat(Conditions.find(service("shopping-cart").getStatus().getConditions(),
        "Ready").orElseThrow().getReason()).isEqualTo("Published"));
  }

  @Test
  @Order(6)
  void revisionHistoryKeepsTheNewestVersionsItIsToldTo() {
    apply("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: history, namespace: acme-makers}
        spec:
          version: 1.0.0
          revisionHistoryLimit: 2
          schema: "type Note @model { text: String }"
        """);
    eventually().untilAsserted(() -> assertThat(service("history").getStatus().getVersion()).isEqualTo("1.0.0"));
    String schema = "type Note @model { text: String }";
    for (String version : List.of("1.0.1", "1.2.0", "1.10.0")) {
      String next = schema + "\ntype V" + version.replace('.', '_') + " @model { x: Int }";
      schema = next;
      retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("history").edit(s -> {
        s.getSpec().setSchema(next);
        s.getSpec().setVersion(version);
        return s;
      }));
      eventually().untilAsserted(() -> assertThat(service("history").getStatus().getVersion()).isEqualTo(version));
    }
    eventually().untilAsserted(() -> assertThat(revisions("history")).as("the two highest by semver")
        .containsOnlyKeys("1.2.0", "1.10.0"));
  }

  @Test
  @Order(6)
  void eachEnvironmentServesTheHighestVersionInItsRangeAndIsPromotedByEditingIt() {
    apply("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: catalog, namespace: acme-makers}
        spec:
          version: 1.0.0
          revisionHistoryLimit: 1
          visibility: Public
          schema: "type Item @model { name: String }"
        ---
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: shelf, namespace: acme}
        spec:
          environments: [dev, prod]
          services:
          - name: cat
            serviceRef: {name: catalog, namespace: acme-makers}
            environments: {prod: {version: 1.x}}
        """);
    eventually().untilAsserted(() -> assertThat(versions("shelf-cat-dev", "shelf-cat-prod")).containsExactly("1.0.0", "1.0.0"));

    publish("catalog", "1.1.0", "type Item @model { name: String  price: Int }");
    eventually().untilAsserted(() -> assertThat(versions("shelf-cat-dev", "shelf-cat-prod")).containsExactly("1.1.0", "1.1.0"));

    // a breaking change with its major version: dev follows, prod stays in 1.x and says so
    publish("catalog", "2.0.0", "type Item @model { price: Int }");
    eventually().untilAsserted(() -> {
      assertThat(versions("shelf-cat-dev", "shelf-cat-prod")).containsExactly("2.0.0", "1.1.0");
      assertThat(Conditions.find(instance("shelf-cat-prod").getStatus().getConditions(), "SchemaValid").orElseThrow()
          .getMessage()).contains("version 1.1.0, the highest published in range 1.x");
      assertThat(runtimeSchemaHash("shelf-cat-prod")).isEqualTo(cluster.admin.resources(ServiceRevision.class)
          .inNamespace("acme-makers").withName("catalog-1-1-0").get().getSpec().getSchemaHash());
      // a history of one: 1.0.0 goes, 1.1.0 stays while prod serves it
      assertThat(revisions("catalog")).containsOnlyKeys("1.1.0", "2.0.0");
    });

    // promotion is one field, and it moves only after a dry run of the migration against prod's database passes
    String prodHash = runtimeSchemaHash("shelf-cat-prod");
    dryRunAnswers.put("shelf-cat-prod", new MigrationDryRuns.Plan(List.of("ALTER TABLE \"item\" DROP COLUMN \"name\""),
        List.of("field Item.name was removed, and 3 rows have a value in it")));
    pinProd("2.x");
    eventually().untilAsserted(() -> {
      ServiceInstance prod = instance("shelf-cat-prod");
      var runtime = Conditions.find(prod.getStatus().getConditions(), "RuntimeReady").orElseThrow();
      assertThat(runtime.getReason()).isEqualTo("SchemaChangeRefused");
      assertThat(runtime.getMessage()).contains("field Item.name was removed, and 3 rows have a value in it")
          .contains("keeps serving version 1.1.0");
      assertThat(prod.getStatus().getPhase()).isEqualTo(Phase.Failed);
      // what kstatus (Flux) reads: stuck until a person acts, and why
      var stalled = Conditions.find(prod.getStatus().getConditions(), "Stalled").orElseThrow();
      assertThat(stalled.getStatus() + " " + stalled.getReason()).isEqualTo("True SchemaChangeRefused");
      assertThat(Conditions.find(prod.getStatus().getConditions(), "Reconciling").orElseThrow().getStatus()).isEqualTo("False");
      assertThat(cluster.admin.v1().events().inNamespace("acme").withField("involvedObject.name", "shelf-cat-prod").list()
          .getItems()).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("SchemaChangeRefused");
            assertThat(e.getMessage()).startsWith("Ready -> Failed: ");
          });
      assertThat(prod.getStatus().getServiceVersion()).isEqualTo("1.1.0");
      assertThat(prod.getStatus().getEndpoint()).as("it still serves").isNotNull();
      var check = prod.getStatus().getUpgrade();
      assertThat(check.getResult()).isEqualTo("Refused");
      assertThat(check.getFromVersion() + " -> " + check.getToVersion()).isEqualTo("1.1.0 -> 2.0.0");
      assertThat(check.getBreakingChanges()).anySatisfy(c -> assertThat(c).contains("name"));
      assertThat(runtimeSchemaHash("shelf-cat-prod")).as("its pods were not touched").isEqualTo(prodHash);
    });
    dryRunAnswers.put("shelf-cat-prod", new MigrationDryRuns.Plan(List.of("ALTER TABLE \"item\" ADD COLUMN \"price\" integer"),
        List.of()));
    eventually().untilAsserted(() -> {
      assertThat(versions("shelf-cat-dev", "shelf-cat-prod")).containsExactly("2.0.0", "2.0.0");
      var check = instance("shelf-cat-prod").getStatus().getUpgrade();
      assertThat(check.getResult()).isEqualTo("Planned");
      assertThat(check.getStatements()).containsExactly("ALTER TABLE \"item\" ADD COLUMN \"price\" integer");
      assertThat(instance("shelf-cat-dev").getStatus().getUpgrade().getResult()).as("no runtime answered for dev")
          .isEqualTo("NotChecked");
    });

    // a range nothing is published in: said plainly, and what runs keeps running
    pinProd("3.x");
    eventually().untilAsserted(() -> {
      var valid = Conditions.find(instance("shelf-cat-prod").getStatus().getConditions(), "SchemaValid").orElseThrow();
      assertThat(valid.getReason()).isEqualTo("NoMatchingRevision");
      assertThat(valid.getMessage()).as("1.1.0, served by nobody now, may be pruned meanwhile").matches(
          "no published version is in range 3\\.x; published: (1\\.1\\.0, )?2\\.0\\.0; the instance keeps serving version 2\\.0\\.0");
      assertThat(instance("shelf-cat-prod").getStatus().getServiceVersion()).isEqualTo("2.0.0");
    });
    cluster.admin.resources(Project.class).inNamespace("acme").withName("shelf").delete();
  }

  private void publish(String service, String version, String schema) {
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName(service).edit(s -> {
      s.getSpec().setSchema(schema);
      s.getSpec().setVersion(version);
      return s;
    }));
    eventually().untilAsserted(() -> assertThat(service(service).getStatus().getVersion()).isEqualTo(version));
  }

  private void pinProd(String range) {
    retryOnConflict(() -> cluster.admin.resources(Project.class).inNamespace("acme").withName("shelf").edit(p -> {
      var prod = new store.code.api.v1alpha1.ServiceUseEnvironment();
      prod.setVersion(range);
      p.getSpec().getServices().get(0).getEnvironments().put("prod", prod);
      return p;
    }));
  }

  private List<String> versions(String... instances) {
    return Stream.of(instances).map(n -> instance(n).getStatus() == null ? null
        : instance(n).getStatus().getServiceVersion()).toList();
  }

  private String runtimeSchemaHash(String instance) {
    return cluster.admin.apps().deployments().inNamespace(InstanceNames.targetNamespace(instance(instance)))
        .withName("runtime").get().getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.SCHEMA_HASH_ANNOTATION);
  }

  /** The revisions of a Service, version to schema. */
  private Map<String, String> revisions(String service) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (ServiceRevision r : cluster.admin.resources(ServiceRevision.class).inNamespace("acme-makers")
        .withLabel(Labels.SERVICE, service).list().getItems()) {
      out.put(r.getSpec().getVersion(), r.getSpec().getSchema());
    }
    return out;
  }

  private Map<String, String> runtimeSchemaHashes() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String name : INSTANCES) {
      Deployment d = cluster.admin.apps().deployments().inNamespace(InstanceNames.targetNamespace(instance(name)))
          .withName("runtime").get();
      out.put(name, d.getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.SCHEMA_HASH_ANNOTATION));
    }
    return out;
  }

  @Test
  @Order(5)
  void missingAndUnsharedServicesAreConditionsAndProvisionNothing() {
    apply("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: other-client}
        ---
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: sneaky, namespace: other-client}
        spec:
          environments: [dev]
          services:
          - name: rooms
            serviceRef: {name: meeting-rooms, namespace: acme-makers}
          - name: ghost
            serviceRef: {name: does-not-exist, namespace: acme-makers}
        """);
    eventually().untilAsserted(() -> {
      ServiceInstance rooms = cluster.admin.resources(ServiceInstance.class).inNamespace("other-client").withName("sneaky-rooms-dev").get();
      var ready = Conditions.find(rooms.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getReason()).isEqualTo("ServiceNotShared");
      assertThat(ready.getMessage()).contains("acme-makers/meeting-rooms").contains("not shared with namespace other-client");
      assertThat(rooms.getStatus().getPhase()).isEqualTo(Phase.Failed);
      ServiceInstance ghost = cluster.admin.resources(ServiceInstance.class).inNamespace("other-client").withName("sneaky-ghost-dev").get();
      var ghostReady = Conditions.find(ghost.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ghostReady.getReason()).isEqualTo("ServiceNotFound");
      assertThat(ghost.getStatus().getPhase()).isEqualTo(Phase.Pending);
      Project p = cluster.admin.resources(Project.class).inNamespace("other-client").withName("sneaky").get();
      assertThat(p.getStatus().getReadyInstances()).isEqualTo("0/2");
    });
    assertThat(cluster.admin.namespaces().withLabel(Labels.PROJECT, "sneaky").list().getItems()).isEmpty();

    // The maker shares the service: the instance provisions without anyone touching the project.
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("meeting-rooms").edit(s -> {
      s.getSpec().getSharedWith().add("other-client");
      return s;
    }));
    eventually().untilAsserted(() -> assertThat(cluster.admin.resources(ServiceInstance.class)
        .inNamespace("other-client").withName("sneaky-rooms-dev").get().getStatus().getPhase()).isEqualTo(Phase.Ready));

    // ...and takes it back: the instance says so, and what it runs is left alone (nothing deleted silently)
    retryOnConflict(() -> cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("meeting-rooms").edit(s -> {
      s.getSpec().getSharedWith().remove("other-client");
      return s;
    }));
    eventually().untilAsserted(() -> {
      ServiceInstance rooms = cluster.admin.resources(ServiceInstance.class).inNamespace("other-client").withName("sneaky-rooms-dev").get();
      var ready = Conditions.find(rooms.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getReason()).isEqualTo("ServiceNotShared");
      assertThat(ready.getMessage()).contains("nothing was deleted");
    });
    String ns = InstanceNames.targetNamespace(cluster.admin.resources(ServiceInstance.class).inNamespace("other-client")
        .withName("sneaky-rooms-dev").get());
    assertThat(cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get()).as("still there").isNotNull();
    assertThat(cluster.admin.namespaces().withName(ns).get()).isNotNull();
  }

  /**
   * A client who may create ServiceInstances by hand tries to run one for free: without the project label, with a
   * label naming another project, and naming a project that does not exist. None is provisioned; once the project
   * exists and the label agrees, it is.
   */
  @Test
  @Order(5)
  void anInstanceNoProjectIsBilledForIsNotProvisioned() {
    apply("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: freeloader}
        ---
        apiVersion: code.store/v1alpha1
        kind: ServiceInstance
        metadata: {name: unlabelled, namespace: freeloader}
        spec: {serviceRef: {name: meeting-rooms, namespace: acme-makers}, project: free, environment: dev}
        ---
        apiVersion: code.store/v1alpha1
        kind: ServiceInstance
        metadata: {name: mislabelled, namespace: freeloader, labels: {code.store/project: someone-else}}
        spec: {serviceRef: {name: meeting-rooms, namespace: acme-makers}, project: free, environment: dev}
        ---
        apiVersion: code.store/v1alpha1
        kind: ServiceInstance
        metadata: {name: orphan, namespace: freeloader, labels: {code.store/project: free}}
        spec: {serviceRef: {name: meeting-rooms, namespace: acme-makers}, project: free, environment: dev}
        """);
    Map<String, String> expected = Map.of("unlabelled", "label code.store/project is missing",
        "mislabelled", "label code.store/project is \"someone-else\" but spec.project is \"free\"",
        "orphan", "Project freeloader/free does not exist");
    eventually().untilAsserted(() -> expected.forEach((name, message) -> {
      ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("freeloader").withName(name).get();
      var ready = Conditions.find(si.getStatus().getConditions(), "Ready").orElseThrow();
      assertThat(ready.getReason()).as(name).isEqualTo("ProjectNotFound");
      assertThat(ready.getMessage()).as(name).contains(message);
      assertThat(si.getStatus().getPhase()).as(name).isEqualTo(Phase.Failed);
    }));
    for (String name : expected.keySet()) {
      String ns = InstanceNames.targetNamespace(cluster.admin.resources(ServiceInstance.class).inNamespace("freeloader")
          .withName(name).get());
      assertThat(cluster.admin.namespaces().withName(ns).get()).as("nothing provisioned for " + name).isNull();
    }

    // the project appears (listing no services: the instance stays hand-made) and the orphan is provisioned
    apply("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: free, namespace: freeloader}
        spec: {environments: [dev], services: []}
        """);
    eventually().untilAsserted(() -> assertThat(Conditions.find(cluster.admin.resources(ServiceInstance.class)
        .inNamespace("freeloader").withName("orphan").get().getStatus().getConditions(), "Ready").orElseThrow()
        .getReason()).isNotEqualTo("ProjectNotFound"));
    assertThat(Conditions.find(cluster.admin.resources(ServiceInstance.class).inNamespace("freeloader")
        .withName("unlabelled").get().getStatus().getConditions(), "Ready").orElseThrow().getReason())
        .isEqualTo("ProjectNotFound");
  }

  @Test
  @Order(6)
  void makerEgressOpensTheListedAddressesAndPortsOnly() {
    apply("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: payments, namespace: acme-makers}
        spec:
          version: 1.0.0
          visibility: Public
          schema: "type Charge @model { amount: Int }"
          code:
            image: example/payments-code:1
            egress:
              - {cidr: 203.0.113.10/32, port: 443}
              - {cidr: "2001:db8::/64", port: 8443}
        ---
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: shop-payments, namespace: acme}
        spec:
          environments: [dev]
          services: [{name: pay, serviceRef: {name: payments, namespace: acme-makers}}]
        """);
    eventually().untilAsserted(() -> {
      String ns = InstanceNames.targetNamespace(instance("shop-payments-pay-dev"));
      var egress = cluster.admin.network().v1().networkPolicies().inNamespace(ns).withName("codestore-runtime-egress").get();
      assertThat(egress).as("egress policy of " + ns).isNotNull();
      // as the API server stored it: its own namespace, DNS, then exactly the maker's two destinations
      assertThat(egress.getSpec().getEgress()).hasSize(4);
      assertThat(egress.getSpec().getEgress().subList(2, 4)).extracting(r -> r.getTo().get(0).getIpBlock().getCidr()
          + " TCP/" + r.getPorts().get(0).getPort().getIntVal()).containsExactly("203.0.113.10/32 TCP/443",
          "2001:db8::/64 TCP/8443");
    });
    cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName("payments").edit(s -> {
      s.getSpec().getCode().setEgress(null);
      return s;
    });
    eventually().untilAsserted(() -> {
      String ns = InstanceNames.targetNamespace(instance("shop-payments-pay-dev"));
      assertThat(cluster.admin.network().v1().networkPolicies().inNamespace(ns).withName("codestore-runtime-egress")
          .get().getSpec().getEgress()).as("closed again when the maker lists nothing").hasSize(2);
    });
    cluster.admin.resources(Project.class).inNamespace("acme").withName("shop-payments").delete();
  }

  @Test
  @Order(6)
  void invalidSchemaOnANewServiceDeploysNoRuntime() {
    apply("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: broken, namespace: acme-makers}
        spec:
          version: 1.0.0
          visibility: Public
          schema: |
            type Book @model {
              title: String! @searchable
            }
        ---
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: library, namespace: acme}
        spec:
          environments: [dev]
          services: [{name: books, serviceRef: {name: broken, namespace: acme-makers}}]
        """);
    eventually().untilAsserted(() -> {
      CodeService s = service("broken");
      var valid = Conditions.find(s.getStatus().getConditions(), "SchemaValid").orElseThrow();
      assertThat(valid.getMessage()).contains("line 2, column 18").contains("unknown directive @searchable");
      ServiceInstance si = instance("library-books-dev");
      assertThat(si.getStatus().getPhase()).isEqualTo(Phase.Failed);
      assertThat(Conditions.find(si.getStatus().getConditions(), "SchemaValid").orElseThrow().getMessage())
          .contains("no runtime is deployed");
    });
    String ns = InstanceNames.targetNamespace(instance("library-books-dev"));
    assertThat(cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get()).isNull();
  }

  @Test
  @Order(7)
  void deletionHonoursTheDeletionPolicy() {
    // Retain (the examples' policy): namespace, database and config stay; the runtime scales to zero.
    String keptNs = InstanceNames.targetNamespace(instance("webshop-cart-prod"));
    cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").delete();
    eventually().untilAsserted(() -> {
      assertThat(cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get()).isNull();
      assertThat(cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withLabel(Labels.PROJECT, "webshop")
          .list().getItems()).isEmpty();
    });
    Namespace kept = cluster.admin.namespaces().withName(keptNs).get();
    assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(kept.getMetadata().getLabels()).containsEntry(Labels.RETAINED, "true");
    assertThat(cluster.admin.apps().deployments().inNamespace(keptNs).withName("runtime").get().getSpec().getReplicas()).isZero();
    assertThat(cluster.admin.genericKubernetesResources(CnpgDatabase.CLUSTER).inNamespace(keptNs).withName("db").get()).isNotNull();
    assertThat(cluster.admin.autoscaling().v1().horizontalPodAutoscalers().inNamespace(keptNs).withName("runtime").get()).isNull();

    // Re-created, the project finds its retained namespace and database again and runs.
    try {
      cluster.applyFile(KubeCluster.repoRoot().resolve("examples/30-webshop-project.yaml"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    eventually().untilAsserted(() -> {
      assertThat(instance("webshop-cart-prod").getStatus().getPhase()).isEqualTo(Phase.Ready);
      assertThat(cluster.admin.apps().deployments().inNamespace(keptNs).withName("runtime").get().getSpec().getReplicas()).isEqualTo(1);
      assertThat(cluster.admin.namespaces().withName(keptNs).get().getMetadata().getLabels()).doesNotContainKey(Labels.RETAINED);
    });

    // Delete: the namespace goes (its deletion is finished by kube-controller-manager on a full cluster).
    retryOnConflict(() -> cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").edit(p -> {
      p.getSpec().setDeletionPolicy(store.code.api.v1alpha1.DeletionPolicy.Delete);
      return p;
    }));
    eventually().untilAsserted(() -> assertThat(instance("webshop-cart-prod").getSpec().getDeletionPolicy())
        .isEqualTo(store.code.api.v1alpha1.DeletionPolicy.Delete));
    cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").delete();
    eventually().untilAsserted(() -> {
      assertThat(cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get()).isNull();
      Namespace gone = cluster.admin.namespaces().withName(keptNs).get();
      assertThat(gone == null || gone.getMetadata().getDeletionTimestamp() != null).as("namespace deleted").isTrue();
    });
  }

  private ServiceInstance instance(String name) {
    String ns = name.startsWith("sneaky") ? "other-client" : "acme";
    return cluster.admin.resources(ServiceInstance.class).inNamespace(ns).withName(name).get();
  }

  private CodeService service(String name) {
    return cluster.admin.resources(CodeService.class).inNamespace("acme-makers").withName(name).get();
  }

  private void apply(String yaml) {
    for (HasMetadata o : cluster.admin.load(new java.io.ByteArrayInputStream(yaml.getBytes())).items()) {
      cluster.admin.resource(o).serverSideApply();
    }
  }
}
