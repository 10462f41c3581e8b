package store.code.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.Labels;
import store.code.operator.CodestoreOperator;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.database.CnpgDatabase;

/**
 * A real kube-apiserver + etcd (no kubelet, no controller-manager), our CRDs and the upstream
 * provider CRDs installed, and the operator running in this JVM through a client that counts every
 * write it sends. Fake controllers stand in for what no node runs here: they mark Deployments
 * rolled out and CNPG Clusters ready. The server is kube-api-test's unless one is given by its
 * kubeconfig ({@link #withFakeProviders(String, Runnable, Map)}).
 */
final class KubeCluster implements AutoCloseable {
  static final String K8S_VERSION = "1.20.2";

  final KubernetesClient admin;
  /** Writes (POST, PUT, PATCH, DELETE) the operator sent to the API server. */
  final AtomicLong operatorWrites = new AtomicLong();
  /** The operator's writes, "METHOD path", most recent last (the last thousand). */
  final java.util.Queue<String> operatorWriteLog = new java.util.concurrent.ArrayBlockingQueue<>(1000);
  /** The administrator's kubeconfig (YAML) of the API server. */
  private final String kubeconfig;
  private final Runnable stopServer;
  /** The API server's and etcd's process ids, by name ("kube-apiserver", "etcd"), where known. */
  final Map<String, Long> serverProcesses;
  private final Config config;
  private final List<SharedIndexInformer<?>> fakeControllers = new ArrayList<>();
  private KubernetesClient operatorClient;
  private CodestoreOperator operator;

  /** A fresh kube-api-test API server, stopped with this cluster. */
  KubeCluster() {
    this(startKubeApiTest());
  }

  private KubeCluster(KubeAPIServer server) {
    this(server.getKubeConfigYaml(), server::stop, childProcesses("kube-apiserver", "etcd"));
  }

  /** The API server {@code kubeconfig} names; {@code stopServer} runs when this cluster closes. */
  private KubeCluster(String kubeconfig, Runnable stopServer, Map<String, Long> serverProcesses) {
    this.kubeconfig = kubeconfig;
    this.stopServer = stopServer;
    this.serverProcesses = Map.copyOf(serverProcesses);
    config = Config.fromKubeconfig(kubeconfig);
    admin = new KubernetesClientBuilder().withConfig(config).build();
  }

  private static KubeAPIServer startKubeApiTest() {
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true).withApiServerVersion(K8S_VERSION).withUpdateKubeConfig(false).build());
    server.start();
    return server;
  }

  /**
   * A cluster with every CRD installed and the fake Deployment and CloudNativePG controllers running (what most
   * tests need); it is also the one failures are dumped from.
   */
  static KubeCluster withFakeProviders() throws IOException {
    return withFakeProviders(new KubeCluster());
  }

  /**
   * The same on an API server that runs already: {@code kubeconfig} is its administrator's, {@code stopServer} runs
   * when the cluster closes, {@code serverProcesses} are its processes by name. Nothing else may act on the objects
   * (no controller-manager).
   */
  static KubeCluster withFakeProviders(String kubeconfig, Runnable stopServer, Map<String, Long> serverProcesses)
      throws IOException {
    return withFakeProviders(new KubeCluster(kubeconfig, stopServer, serverProcesses));
  }

  /** This JVM's child processes whose program is one of {@code names}, by name. */
  private static Map<String, Long> childProcesses(String... names) {
    Map<String, Long> found = new java.util.HashMap<>();
    ProcessHandle.current().descendants().forEach(p -> p.info().command().ifPresent(c -> {
      String program = Path.of(c).getFileName().toString();
      if (List.of(names).contains(program)) {
        found.put(program, p.pid());
      }
    }));
    return found;
  }

  private static KubeCluster withFakeProviders(KubeCluster cluster) throws IOException {
    DumpOnFailure.cluster = cluster;
    cluster.installCodestoreCrds();
    cluster.installProviderCrds();
    cluster.fakeDeploymentController();
    cluster.fakeCnpgController();
    return cluster;
  }

  /** The repository root: the nearest folder up from the working directory that holds crds/ and examples/. */
  static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("crds")) && Files.isDirectory(dir.resolve("examples")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run the tests from inside the repository (crds/ and examples/ not found)");
    }
    return dir;
  }

  /** Upstream provider CRDs (CNPG in its 1.20 variant, OBC), when kept beside the repository as data. */
  static Optional<Path> thirdPartyCrds() {
    Path dir = repoRoot().resolveSibling("shared").resolve("third-party-crds");
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /** Our own stand-ins for the provider CRDs: the fields the operator writes and reads, nothing more. */
  static Path standInCrds() {
    return repoRoot().resolve("e2e/src/test/resources/stand-in-crds");
  }

  /** CloudNativePG's Cluster CRD: upstream when it is beside the repository, else our stand-in. */
  static Path cnpgClusterCrd() {
    return thirdPartyCrds().map(d -> d.resolve("postgresql.cnpg.io_clusters.k8s-1.20.yaml"))
        .orElse(standInCrds().resolve("postgresql.cnpg.io_clusters.yaml"));
  }

  /** The ObjectBucketClaim CRD: upstream when it is beside the repository, else our stand-in. */
  static Path objectBucketClaimCrd() {
    return thirdPartyCrds().map(d -> d.resolve("objectbucket.io_objectbucketclaims.yaml"))
        .orElse(standInCrds().resolve("objectbucket.io_objectbucketclaims.yaml"));
  }

  void installCodestoreCrds() throws IOException {
    try (Stream<Path> files = Files.list(repoRoot().resolve("crds"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        installCrd(f);
      }
    }
  }

  /** The CNPG and ObjectBucketClaim CRDs, upstream's where available, else our stand-ins (said in the log). */
  void installProviderCrds() throws IOException {
    System.out.println("[setup] provider CRDs: " + (thirdPartyCrds().isPresent() ? "upstream, from " + thirdPartyCrds().get()
        : "the stand-ins in " + standInCrds() + " (upstream not beside the repository)"));
    installCrd(cnpgClusterCrd());
    installCrd(objectBucketClaimCrd());
  }

  void installCrd(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      admin.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")),
              30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Applies every YAML file of examples/ in name order, as `kubectl apply -f examples/` would. */
  void applyExamples() throws IOException {
    try (Stream<Path> files = Files.list(repoRoot().resolve("examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        applyFile(f);
      }
    }
  }

  /** Applies examples/ and waits until its project, acme/webshop, is Ready (its four instances converged). */
  void applyExamplesAndAwaitWebshop() throws IOException {
    applyExamples();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).ignoreExceptions()
        .until(() -> store.code.api.Conditions.isTrue(admin.resources(store.code.api.v1alpha1.Project.class)
            .inNamespace("acme").withName("webshop").get().getStatus().getConditions(), "Ready"));
  }

  void applyFile(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f)) {
      apply(in);
    }
  }

  private void apply(InputStream yaml) {
    for (HasMetadata o : admin.load(yaml).items()) {
      admin.resource(o).serverSideApply();
    }
  }

  /** A new administrator client of its own (for a second operator replica, say). */
  KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The admin Secret of the external database provider, {@code codestore-system/postgres-admin}, for a local Postgres. */
  static final String EXTERNAL_DATABASE_SECRET = "codestore-system/postgres-admin";

  void writeExternalDatabaseSecret(int postgresPort) {
    admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName("codestore-system").endMetadata().build()).serverSideApply();
    admin.secrets().inNamespace("codestore-system").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("postgres-admin").endMetadata().withStringData(Map.of("host", "127.0.0.1",
            "port", String.valueOf(postgresPort), "username", "postgres", "password", "postgres", "sslmode", "disable"))
        .build()).serverSideApply();
  }

  /**
   * The roles for people as the chart ships them (codestore-edit, codestore-view, codestore-marketplace), with the
   * marketplace open to every signed-in user. No controller-manager runs here, so nothing aggregates them into edit.
   */
  void applyPeoplesRoles() {
    for (HasMetadata o : ChartTest.render(Map.of("userRoles.marketplaceForAllAuthenticated", true))) {
      if (o.getMetadata().getName().startsWith("codestore-") && !o.getMetadata().getName().startsWith("codestore-operator")
          && (o.getKind().equals("ClusterRole") || o.getKind().equals("ClusterRoleBinding"))) {
        admin.resource(o).serverSideApply();
      }
    }
  }

  /** A client acting as {@code user} (impersonated): the API server authorizes its requests with RBAC. */
  KubernetesClient newClientAs(String user) {
    Config as = Config.fromKubeconfig(kubeconfig);
    as.setImpersonateUsername(user);
    as.setImpersonateGroups("system:authenticated");
    return new KubernetesClientBuilder().withConfig(as).build();
  }

  /** The administrator's kubeconfig in a file of its own, for a process of the test's. */
  Path writeKubeconfig() throws IOException {
    Path file = Files.createTempFile("kubeconfig", ".yaml");
    Files.writeString(file, kubeconfig);
    file.toFile().deleteOnExit();
    return file;
  }

  /** A new administrator client that shows {@code seen} every request before sending it. */
  KubernetesClient newClientSeeing(java.util.function.Consumer<HttpRequest> seen) {
    return clientSeeing(config, seen);
  }

  /** A client that shows {@code seen} every request before sending it. */
  /** A client of the administrator that shows {@code seen} every request it sends. */
  KubernetesClient adminSeeing(java.util.function.Consumer<HttpRequest> seen) {
    return clientSeeing(Config.fromKubeconfig(kubeconfig), seen);
  }

  private static KubernetesClient clientSeeing(Config config, java.util.function.Consumer<HttpRequest> seen) {
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("see-requests", new Interceptor() {
          @Override
          public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            seen.accept(request);
          }
        }))
        .build();
  }

  /** Applies the objects of a YAML text, as `kubectl apply -f -` would. */
  void applyYaml(String yaml) {
    apply(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  void startOperator(OperatorSettings settings) {
    startOperator(settings, b -> b);
  }

  /** With what a test controls set on the operator's builder: its clock, where usage is read from, its meters. */
  void startOperator(OperatorSettings settings, UnaryOperator<CodestoreOperator.Builder> controlled) {
    startOperator(settings, config, Optional.empty(), controlled);
  }

  /** With the operator's metrics recorded into {@code meters}. */
  void startOperator(OperatorSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
    startOperator(settings, b -> b.meters(meters));
  }

  /**
   * Runs the operator as a ServiceAccount would: its requests impersonate {@code namespace/name}, so the API server
   * authorizes them with RBAC exactly as it would the operator pod's token.
   */
  void startOperatorAs(OperatorSettings settings, String namespace, String serviceAccount, Optional<String> leaseNamespace) {
    Config as = Config.fromKubeconfig(kubeconfig);
    as.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount);
    as.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    startOperator(settings, as, leaseNamespace, b -> b);
  }

  private void startOperator(OperatorSettings settings, Config config, Optional<String> leaseNamespace,
      UnaryOperator<CodestoreOperator.Builder> controlled) {
    operatorClient = clientSeeing(config, request -> {
      if (!request.method().equals("GET")) {
        operatorWrites.incrementAndGet();
        String write = request.method() + " " + request.uri().getPath();
        while (!operatorWriteLog.offer(write)) { // full: the oldest goes
          operatorWriteLog.poll();
        }
      }
    });
    operator = controlled.apply(CodestoreOperator.builder(operatorClient, settings).leaseNamespace(leaseNamespace)).build();
    operator.start();
  }

  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
    if (operatorClient != null) {
      operatorClient.close();
      operatorClient = null;
    }
  }

  /** Plays kubelet + deployment controller: every managed Deployment is reported rolled out and ready. */
  void fakeDeploymentController() {
    var informer = admin.apps().deployments().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .inform(onAddOrUpdate((Deployment d) -> {
          int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
          var s = d.getStatus();
          if (s != null && d.getMetadata().getGeneration().equals(s.getObservedGeneration())
              && Integer.valueOf(replicas).equals(s.getReadyReplicas() == null ? 0 : s.getReadyReplicas())) {
            return;
          }
          d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
              .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas)
              .withAvailableReplicas(replicas).build());
          admin.resource(d).updateStatus();
        }));
    fakeControllers.add(informer);
  }

  /** Plays CloudNativePG: every Cluster is reported ready with all its instances. */
  @SuppressWarnings("unchecked")
  void fakeCnpgController() {
    var informer = admin.genericKubernetesResources(CnpgDatabase.CLUSTER).inAnyNamespace()
        .inform(onAddOrUpdate((GenericKubernetesResource c) -> {
          if (c.getAdditionalProperties().get("status") != null) {
            return;
          }
          Object instances = ((Map<String, Object>) c.getAdditionalProperties().get("spec")).get("instances");
          c.getAdditionalProperties().put("status", Map.of("readyInstances", instances, "phase", "Cluster in healthy state",
              "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "ClusterIsReady",
                  "message", "Cluster is Ready", "lastTransitionTime", "2026-11-24T00:00:00Z"))));
          admin.genericKubernetesResources(CnpgDatabase.CLUSTER).inNamespace(c.getMetadata().getNamespace()).resource(c)
              .updateStatus();
        }));
    fakeControllers.add(informer);
  }

  /** Plays a bucket provisioner: every ObjectBucketClaim is Bound, with its ConfigMap and Secret {@code files}. */
  void fakeBucketProvisioner() {
    var informer = admin.genericKubernetesResources(OBC).inAnyNamespace()
        .inform(onAddOrUpdate((GenericKubernetesResource claim) -> {
          if (claim.getAdditionalProperties().get("status") != null) {
            return;
          }
          String ns = claim.getMetadata().getNamespace();
          admin.configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
              .withNewMetadata().withName("files").endMetadata()
              .withData(Map.of("BUCKET_HOST", "s3.rook.svc", "BUCKET_PORT", "80", "BUCKET_NAME", ns + "-b1",
                  "BUCKET_REGION", "eu-1"))
              .build()).serverSideApply();
          admin.secrets().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
              .withNewMetadata().withName("files").endMetadata()
              .withStringData(Map.of("AWS_ACCESS_KEY_ID", "AK", "AWS_SECRET_ACCESS_KEY", "SK")).build()).serverSideApply();
          claim.getAdditionalProperties().put("status", Map.of("phase", "Bound"));
          admin.genericKubernetesResources(OBC).inNamespace(ns).resource(claim).updateStatus();
        }));
    fakeControllers.add(informer);
  }

  static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext OBC =
      new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup("objectbucket.io")
          .withVersion("v1alpha1").withKind("ObjectBucketClaim").withPlural("objectbucketclaims").withNamespaced(true).build();

  private static <T extends HasMetadata> ResourceEventHandler<T> onAddOrUpdate(java.util.function.Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        safely(action, obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        safely(action, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  private static <T> void safely(java.util.function.Consumer<T> action, T obj) {
    try {
      action.accept(obj);
    } catch (RuntimeException e) {
      // a conflict with a concurrent write: the informer delivers the newer object and we try again
    }
  }

  @Override
  public void close() {
    stopOperator();
    fakeControllers.forEach(SharedIndexInformer::close);
    admin.close();
    stopServer.run();
  }
}
