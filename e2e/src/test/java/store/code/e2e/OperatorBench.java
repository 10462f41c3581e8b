package store.code.e2e;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import store.code.api.Labels;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceRef;
import store.code.operator.billing.UsageCollector;
import store.code.operator.billing.UsageSource;
import store.code.operator.support.Events;
import store.code.operator.config.OperatorSettings;

/**
 * The operator at N ServiceInstances against a real API server, the providers faked ready by the test's controllers:
 * time until every instance's dependents exist and until every instance is Ready, against the same objects created by
 * a plain client as fast as the server takes them (the limit); API writes when the operator
 * restarts and re-reconciles everything with nothing changed (must be 0); reconcile latency percentiles; heap and
 * RSS; and one usage collection pass (time, API writes). Run by {@code make bench}, each size on a fresh etcd and
 * kube-apiserver started by {@code e2e/scripts/local-cluster.sh up --api-server-only} (its Service range is a /16);
 * {@link OperatorBenchTest} runs it with a handful of instances on kube-api-test so it cannot rot. (kube-api-test's
 * Service range is a /24 it sets after any flag given, and every instance has a runtime Service: it holds at most 253.)
 */
public final class OperatorBench {

  static final String CLIENT_NS = "acme";
  static final int INSTANCES_PER_PROJECT = 10;
  static final int PLAIN_CLIENT_THREADS = 16;

  /** What one size measured; times in ms. */
  record Result(int instances, long dependentsMs, long readyMs, long plainMs, long objectsPerInstance,
      long operatorWrites, long resyncWrites, long resyncReconciles, double p50, double p95, double p99, long heapMiB,
      long rssMiB, long collectionMs, long collectionWrites, long collectionLists, String apiServerTime,
      CpuSeconds operatorCpu, CpuSeconds plainCpu, PackagedOperator.Measured packaged) {
    double ratio() {
      return plainMs == 0 ? 0 : dependentsMs / (double) plainMs;
    }
  }

  /** Args: sizes (default 100,500,1000) and the report's path. Exits: the Kubernetes client's threads would linger. */
  public static void main(String[] args) {
    try {
      measure(args);
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  static void measure(String[] args) throws Exception {
    List<Integer> sizes = args.length > 0 ? java.util.Arrays.stream(args[0].split(",")).map(Integer::valueOf).toList()
        : List.of(100, 500, 1000);
    if (sizes.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("sizes must be positive instance counts, e.g. 100,500,1000; got " + sizes);
    }
    Path report = Path.of(args.length > 1 ? args[1] : "docs/bench/operator.md");
    List<Result> results = new ArrayList<>();
    for (int n : sizes) {
      Result r = run(n, localApiServer());
      System.out.println("[measure] " + r);
      results.add(r);
    }
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, markdown(results, String.join(",", sizes.stream().map(String::valueOf).toList())));
    System.out.println("report written to " + report);
  }

  /** One size on a fresh kube-api-test server (at most 253 instances: see the class comment). */
  static Result run(int n) throws Exception {
    return run(n, KubeCluster.withFakeProviders());
  }

  /**
   * A fresh etcd and kube-apiserver of the project's Kubernetes build, beside any cluster {@code make run} or
   * {@code make e2e} has up (its own state folder and ports), stopped when the returned cluster closes.
   */
  static KubeCluster localApiServer() throws Exception {
    Path script = KubeCluster.repoRoot().resolve("e2e/scripts/local-cluster.sh");
    String cache = System.getenv().getOrDefault("CODESTORE_CACHE", System.getProperty("user.home") + "/.cache/codestore");
    Path state = Path.of(cache, "bench-cluster");
    Map<String, String> env = Map.of("CODESTORE_CLUSTER_STATE", state.toString(), "CODESTORE_API_PORT", "6444",
        "CODESTORE_ETCD_PORT", "2381");
    script(script, env, "up", "--api-server-only");
    Runnable down = () -> {
      try {
        script(script, env, "down");
      } catch (Exception e) {
        throw new IllegalStateException("stopping the benchmark's API server: " + e.getMessage(), e);
      }
    };
    try {
      Map<String, Long> processes = new java.util.HashMap<>(); // the script's pid file: "<name> <pid>" per line
      for (String line : Files.readAllLines(state.resolve("pids"))) {
        String[] namePid = line.trim().split(" ");
        processes.put(namePid[0], Long.valueOf(namePid[1]));
      }
      return KubeCluster.withFakeProviders(Files.readString(state.resolve("kubeconfig")), down, processes);
    } catch (Exception | Error e) {
      down.run();
      throw e;
    }
  }

  private static void script(Path script, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().putAll(env);
    int exit = pb.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
    }
  }

  static Result run(int n, KubeCluster given) throws Exception {
    try (KubeCluster cluster = given) {
      cluster.applyFile(KubeCluster.repoRoot().resolve("examples/00-namespaces.yaml"));
      cluster.applyFile(KubeCluster.repoRoot().resolve("examples/20-meeting-rooms.yaml"));
      createProjects(cluster.admin, n);
      SimpleMeterRegistry meters = registryWithPercentiles();
      cluster.startOperator(OperatorSettings.defaults().withUsageInterval(java.time.Duration.ofHours(1)), meters);
      awaitQuiet(cluster); // the projects' own status writes are not the instances'
      long projectWrites = cluster.operatorWrites.get();

      SharedIndexInformer<Deployment> deployments = cluster.admin.apps().deployments().inAnyNamespace()
          .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).inform();
      SharedIndexInformer<ServiceInstance> instances = cluster.admin.resources(ServiceInstance.class).inNamespace(CLIENT_NS)
          .inform();
      CpuSeconds cpuBefore = CpuSeconds.of(cluster);
      long t0 = System.nanoTime();
      createInstances(cluster.admin, n);
      progress(n, "created");
      long dependentsMs = awaitCount(cluster, () -> deployments.getStore().list().size(), n, t0);
      progress(n, "dependents after " + dependentsMs + " ms");
      long readyMs = awaitCount(cluster, () -> (int) instances.getStore().list().stream()
          .filter(si -> si.getStatus() != null && si.getStatus().getPhase() == Phase.Ready).count(), n, t0);
      progress(n, "Ready after " + readyMs + " ms");
      CpuSeconds operatorCpu = CpuSeconds.of(cluster).minus(cpuBefore);
      awaitQuiet(cluster); // the last status updates after Ready land before anything is compared
      String serverTime = apiServerTime(cluster.admin);
      progress(n, "API server time by request kind: " + serverTime);
      long operatorWrites = cluster.operatorWrites.get() - projectWrites;
      Timer reconcile = meters.find("reconciliations.execution.duration").timers().stream()
          .filter(t -> t.getId().getTags().stream().anyMatch(tag -> tag.getValue().contains("serviceinstance")))
          .findFirst().orElseThrow(() -> new IllegalStateException("no reconcile timer for ServiceInstances"));
      double[] pct = percentiles(reconcile);
      System.gc();
      long heapMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024 / 1024;
      long rssMiB = rssMiB();

      // nothing changed: a restarted operator re-reconciles every instance and must write nothing
      cluster.stopOperator();
      long writesBefore = cluster.operatorWrites.get();
      cluster.operatorWriteLog.clear();
      SimpleMeterRegistry again = registryWithPercentiles();
      cluster.startOperator(OperatorSettings.defaults().withUsageInterval(java.time.Duration.ofHours(1)), again);
      awaitCount(cluster, () -> (int) again.find("reconciliations.success.total").counters().stream()
          .filter(c -> c.getId().getTags().stream().anyMatch(tag -> tag.getValue().contains("serviceinstance")))
          .mapToDouble(io.micrometer.core.instrument.Counter::count).sum(), n, System.nanoTime());
      Thread.sleep(2000); // anything a reconcile scheduled after itself
      long resyncWrites = cluster.operatorWrites.get() - writesBefore;
      progress(n, "resync: " + resyncWrites + " writes " + List.copyOf(cluster.operatorWriteLog));
      long resyncReconciles = (long) again.find("reconciliations.success.total").counters().stream()
          .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
      cluster.stopOperator();
      PackagedOperator.Measured packaged = PackagedOperator.measure(cluster, n);
      progress(n, "packaged operator: " + packaged);

      long[] collection = collectionPass(cluster, n);
      CpuSeconds beforePlain = CpuSeconds.of(cluster);
      long[] plain = plainClient(cluster, n);
      CpuSeconds plainCpu = CpuSeconds.of(cluster).minus(beforePlain);
      deployments.close();
      instances.close();
      return new Result(n, dependentsMs, readyMs, plain[0], plain[1], operatorWrites, resyncWrites, resyncReconciles,
          pct[0], pct[1], pct[2], heapMiB, rssMiB, collection[0], collection[1], collection[2], serverTime,
          operatorCpu, plainCpu, packaged);
    }
  }

  /**
   * CPU time used so far by this JVM (the operator, the fake controllers, the benchmark's client) and by the API
   * server's and etcd's processes (-1 where their process is not known): what a phase costs is the difference.
   */
  record CpuSeconds(double jvm, double apiServer, double etcd) {
    static CpuSeconds of(KubeCluster cluster) throws java.io.IOException {
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      return new CpuSeconds(os.getProcessCpuTime() / 1e9, processCpu(cluster.serverProcesses.get("kube-apiserver")),
          processCpu(cluster.serverProcesses.get("etcd")));
    }

    CpuSeconds minus(CpuSeconds before) {
      return new CpuSeconds(jvm - before.jvm, apiServer < 0 ? -1 : apiServer - before.apiServer,
          etcd < 0 ? -1 : etcd - before.etcd);
    }

    /** User + system time of a process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s). */
    private static double processCpu(Long pid) throws java.io.IOException {
      Path stat = pid == null ? null : Path.of("/proc", pid.toString(), "stat");
      if (stat == null || !Files.exists(stat)) {
        return -1;
      }
      String s = Files.readString(stat);
      String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" "); // fields from the 3rd on
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** Average cores busy over {@code ms} of wall time, all three processes together ("–" if one is unknown). */
    String coresBusy(long ms) {
      return apiServer < 0 || etcd < 0 || ms == 0 ? "–"
          : String.format(Locale.ROOT, "%.2f of %d", (jvm + apiServer + etcd) / (ms / 1000.0),
              Runtime.getRuntime().availableProcessors());
    }

    String format() {
      return seconds(jvm) + " / " + seconds(apiServer) + " / " + seconds(etcd);
    }

    private static String seconds(double s) {
      return s < 0 ? "–" : String.format(Locale.ROOT, "%.1f", s);
    }
  }

  /**
   * Where the API server spent its time until now: the count and mean duration of its requests by verb and resource,
   * from its own metrics (apiserver_request_duration_seconds), the eight largest totals first; then the number of
   * GETs by resource.
   */
  static String apiServerTime(KubernetesClient admin) {
    Map<String, double[]> byKind = new java.util.HashMap<>(); // "VERB resource" -> {sum seconds, count}
    java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
        "^apiserver_request_duration_seconds_(sum|count)\\{(.*)\\} ([0-9.e+-]+)$");
    for (String line : admin.raw(admin.getMasterUrl() + "metrics").split("\n")) {
      var m = sample.matcher(line);
      if (!m.matches() || m.group(2).contains("verb=\"WATCH\"")) {
        continue;
      }
      String labels = m.group(2);
      String resource = label(labels, "resource");
      String key = label(labels, "verb") + " " + (resource.isEmpty() ? "(not a resource: /version, /healthz, ...)" : resource);
      byKind.computeIfAbsent(key, k -> new double[2])[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
    }
    String gets = byKind.entrySet().stream().filter(e -> e.getKey().startsWith("GET "))
        .sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey().substring(4), e.getValue()[1]))
        .collect(java.util.stream.Collectors.joining(", "));
    return byKind.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(8)
        .map(e -> String.format(Locale.ROOT, "%s %.0f × %.1f ms", e.getKey(), e.getValue()[1],
            e.getValue()[1] == 0 ? 0 : e.getValue()[0] * 1000 / e.getValue()[1]))
        .collect(java.util.stream.Collectors.joining("; ")) + ". GETs by resource: " + gets;
  }

  static String label(String labels, String name) {
    var m = java.util.regex.Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "?";
  }

  /** Waits until the operator has sent no write for 3 s (at most a minute). */
  static void awaitQuiet(KubeCluster cluster) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    long seen = -1;
    while (System.nanoTime() < deadline && cluster.operatorWrites.get() != seen) {
      seen = cluster.operatorWrites.get();
      Thread.sleep(3000);
    }
  }

  static void progress(int n, String what) {
    System.out.printf("[bench] N=%d: %s%n", n, what);
  }

  /**
   * The projects the instances are billed to (an instance without one is not provisioned). They list no services:
   * the instances are made by hand, so that provisioning alone is measured.
   */
  static void createProjects(KubernetesClient client, int n) {
    for (int p = 0; p < (n + INSTANCES_PER_PROJECT - 1) / INSTANCES_PER_PROJECT; p++) {
      store.code.api.v1alpha1.Project project = new store.code.api.v1alpha1.Project();
      project.setMetadata(new ObjectMetaBuilder().withName("bench-" + p).withNamespace(CLIENT_NS).build());
      project.setSpec(new store.code.api.v1alpha1.ProjectSpec());
      project.getSpec().setEnvironments(java.util.List.of("dev"));
      client.resource(project).create();
    }
  }

  static void createInstances(KubernetesClient client, int n) throws Exception {
    inParallel(n, i -> client.resource(instance(i)).create());
  }

  /** Runs {@code task} for 0 .. n-1 on {@value #PLAIN_CLIENT_THREADS} threads and waits for all of them. */
  static void inParallel(int n, java.util.function.IntConsumer task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PLAIN_CLIENT_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        done.add(pool.submit(() -> task.accept(k)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static ServiceInstance instance(int i) {
    String project = "bench-" + (i / INSTANCES_PER_PROJECT);
    ServiceInstance si = new ServiceInstance();
    si.setMetadata(new ObjectMetaBuilder().withName(project + "-rooms" + (i % INSTANCES_PER_PROJECT) + "-dev")
        .withNamespace(CLIENT_NS).withLabels(Map.of(Labels.PROJECT, project, Labels.SERVICE, "rooms" + (i % INSTANCES_PER_PROJECT),
            Labels.ENVIRONMENT, "dev")).build());
    ServiceInstanceSpec spec = new ServiceInstanceSpec();
    spec.setServiceRef(new ServiceRef("meeting-rooms", "acme-makers"));
    spec.setProject(project);
    spec.setEnvironment("dev");
    spec.setConfig(new java.util.LinkedHashMap<>());
    spec.setSuspended(false);
    si.setSpec(spec);
    return si;
  }

  /**
   * One collection pass over every project (as the timer runs it) after a first one created the reports: {ms, API
   * writes, LISTs of ServiceInstances}.
   */
  static long[] collectionPass(KubeCluster cluster, int n) throws Exception {
    AtomicLong writes = new AtomicLong();
    AtomicLong instanceLists = new AtomicLong();
    try (KubernetesClient counting = cluster.newClientSeeing(request -> {
      if (!request.method().equals("GET")) {
        writes.incrementAndGet();
      } else if (request.uri().getPath().endsWith("/serviceinstances")) {
        instanceLists.incrementAndGet();
      }
    })) {
      UsageSource fixed = si -> new UsageSource.Read(new UsageSource.Usage("e1", 1000, 3, 1L << 30, 0));
      // mid-month, whatever the day: two passes never straddle the turn of a month (which writes more)
      TestClock midMonth = TestClock.runningFrom("2026-11-15T12:00:00Z");
      UsageCollector collector = new UsageCollector(counting, fixed, midMonth, new Events(counting, midMonth));
      int projects = (n + INSTANCES_PER_PROJECT - 1) / INSTANCES_PER_PROJECT;
      for (int p = 0; p < projects; p++) {
        collector.track(CLIENT_NS, "bench-" + p); // as the project reconciler does
      }
      collector.collectAll(); // creates this month's reports
      writes.set(0);
      instanceLists.set(0);
      long t0 = System.nanoTime();
      collector.collectAll(); // the timer's pass
      return new long[] {(System.nanoTime() - t0) / 1_000_000, writes.get(), instanceLists.get()};
    }
  }

  /**
   * The limit: what the operator made for one instance (its namespace and every object in it), created again for
   * n fresh namespaces by a plain client with {@value #PLAIN_CLIENT_THREADS} threads. Returns {ms, objects per
   * instance}.
   */
  static long[] plainClient(KubeCluster cluster, int n) throws Exception {
    ServiceInstance first = cluster.admin.resources(ServiceInstance.class).inNamespace(CLIENT_NS).list().getItems().get(0);
    String target = first.getStatus().getTargetNamespace();
    List<GenericKubernetesResource> objects = new ArrayList<>();
    for (String[] kind : new String[][] {{"v1", "ResourceQuota"}, {"v1", "LimitRange"}, {"v1", "ServiceAccount"},
        {"v1", "Secret"}, {"v1", "ConfigMap"}, {"v1", "Service"}, {"apps/v1", "Deployment"},
        {"networking.k8s.io/v1", "NetworkPolicy"}, {"networking.k8s.io/v1", "Ingress"}, {"postgresql.cnpg.io/v1", "Cluster"},
        {"rbac.authorization.k8s.io/v1", "Role"}, {"rbac.authorization.k8s.io/v1", "RoleBinding"}}) {
      objects.addAll(cluster.admin.genericKubernetesResources(kind[0], kind[1]).inNamespace(target)
          .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getItems());
    }
    GenericKubernetesResource namespace = cluster.admin.genericKubernetesResources("v1", "Namespace").withName(target).get();
    long t0 = System.nanoTime();
    inParallel(n, i -> {
      String ns = "plain-" + i;
      cluster.admin.resource(copy(namespace, ns, null)).create();
      for (GenericKubernetesResource o : objects) {
        cluster.admin.resource(copy(o, o.getMetadata().getName(), ns)).create();
      }
    });
    return new long[] {(System.nanoTime() - t0) / 1_000_000, objects.size() + 1};
  }

  static GenericKubernetesResource copy(GenericKubernetesResource o, String name, String namespace) {
    GenericKubernetesResource c = new GenericKubernetesResource();
    c.setApiVersion(o.getApiVersion());
    c.setKind(o.getKind());
    ObjectMeta m = o.getMetadata();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(m.getLabels())
        .withAnnotations(m.getAnnotations()).build());
    Map<String, Object> rest = new java.util.LinkedHashMap<>(o.getAdditionalProperties());
    rest.remove("status");
    if ("Service".equals(o.getKind())) { // cluster IPs are the server's to assign
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = new java.util.LinkedHashMap<>((Map<String, Object>) rest.get("spec"));
      spec.remove("clusterIP");
      spec.remove("clusterIPs");
      rest.put("spec", spec);
    }
    c.setAdditionalProperties(rest);
    return c;
  }

  static SimpleMeterRegistry registryWithPercentiles() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    meters.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return DistributionStatisticConfig.builder().percentiles(0.5, 0.95, 0.99).build().merge(config);
      }
    });
    return meters;
  }

  static double[] percentiles(Timer t) {
    double[] out = new double[3];
    for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
      int i = v.percentile() == 0.5 ? 0 : v.percentile() == 0.95 ? 1 : 2;
      out[i] = v.value(TimeUnit.MILLISECONDS);
    }
    return out;
  }

  /**
   * Waits until {@code count} reaches {@code n}; returns ms since {@code t0}. Gives up after two minutes plus a second
   * per instance, saying where an instance that is not Ready stands.
   */
  static long awaitCount(KubeCluster cluster, java.util.function.IntSupplier count, int n, long t0) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120L + n);
    while (count.getAsInt() < n) {
      if (System.nanoTime() > deadline) {
        ServiceInstance sample = cluster.admin.resources(ServiceInstance.class).inNamespace(CLIENT_NS).list().getItems()
            .stream().filter(si -> si.getStatus() == null || si.getStatus().getPhase() != Phase.Ready).findFirst().orElse(null);
        throw new IllegalStateException("only " + count.getAsInt() + " of " + n + " in time; an instance: "
            + (sample == null ? "none" : io.fabric8.kubernetes.client.utils.Serialization.asJson(sample.getStatus())));
      }
      Thread.sleep(50);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static long rssMiB() throws java.io.IOException {
    return rssMiB("self");
  }

  /** The resident memory of process {@code pid} ("self": this JVM), from /proc; -1 if it has none. */
  static long rssMiB(String pid) throws java.io.IOException {
    return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
  }

  static String markdown(List<Result> results, String sizes) {
    StringBuilder md = new StringBuilder("# The operator at N ServiceInstances\n\nGenerated by `make bench` (`OperatorBench`); "
        + "do not edit by hand.\n\n");
    md.append("- Machine: ").append(machine()).append('\n');
    md.append("- A real kube-apiserver ").append(KubeCluster.K8S_VERSION).append(" with etcd on this machine, fresh for "
        + "each N (`e2e/scripts/local-cluster.sh up --api-server-only`: no controller-manager, no node); the operator in the benchmark's JVM with its production settings; Deployments and CloudNativePG Clusters are "
        + "reported ready by the test's fake controllers (no pods run).\n");
    md.append("- N ServiceInstances of one Service are created at once (16 client threads); *dependents* is until every "
        + "instance's runtime Deployment exists, *Ready* until every instance says so. *Plain client*: the objects the "
        + "operator made for one instance (its namespace and everything in it) created again for N new namespaces by a "
        + "plain client with 16 threads, as fast as the server takes them.\n");
    md.append("- *Resync*: the operator restarted with nothing changed re-reconciles every instance; the writes it "
        + "sends then must be 0. *Collection*: one usage pass over every project (10 instances each) after the first.\n");
    md.append("- *Heap* (after GC) and *RSS* of the benchmark JVM: the operator plus the fake controllers, the benchmark's "
        + "informers and the build tool that runs it. *Packaged operator*: the operator's own application, sized as the "
        + "chart's pod (`" + String.join(" ", PackagedOperator.POD_JAVA_OPTIONS) + "`), started alone on the provisioned "
        + "cluster after the resync; once it has reconciled every instance: its heap after a full GC, its RSS, and the "
        + "writes the API server took meanwhile (must be 0).\n");
    md.append("- *API server time*: the requests the API server spent most time on until every instance was Ready "
        + "(count × mean duration, from its own apiserver_request_duration_seconds); the operator's and the "
        + "benchmark's set-up alike. *CPU seconds*: what this JVM (operator, fake controllers, benchmark client), the "
        + "API server and etcd used from creating the instances until all were Ready, and during the plain client's "
        + "run; their sum over the wall time, against the machine's cores, says whether the machine was the limit.\n");
    md.append("- Reproduce: `make bench-operator BENCH_SIZES=").append(sizes).append("`\n\n");
    md.append("| N | dependents | Ready | plain client | operator / plain | objects per instance | operator writes per "
        + "instance | writes on resync | reconcile p50 / p95 / p99 ms | heap / RSS MiB | packaged operator: heap / RSS MiB, "
        + "writes | collection pass per 100 instances |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      md.append(String.format(Locale.ROOT, "| %d | %.1f s | %.1f s | %.1f s | %.2f | %d | %.1f | %d (%d reconciles) | "
          + "%.1f / %.1f / %.1f | %d / %d | %d / %d, %d | %.0f ms, %.0f writes |%n", r.instances(), r.dependentsMs() / 1000.0,
          r.readyMs() / 1000.0, r.plainMs() / 1000.0, r.ratio(), r.objectsPerInstance(),
          r.operatorWrites() / (double) r.instances(), r.resyncWrites(), r.resyncReconciles(), r.p50(), r.p95(), r.p99(),
          r.heapMiB(), r.rssMiB(), r.packaged().heapAfterGcMiB(), r.packaged().rssMiB(), r.packaged().writes(),
          r.collectionMs() * 100.0 / r.instances(), r.collectionWrites() * 100.0 / r.instances()));
    }
    md.append("\n| N | CPU seconds until Ready: JVM / API server / etcd | cores busy | plain client: JVM / API server / etcd "
        + "| cores busy |\n|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", r.instances(), r.operatorCpu().format(),
          r.operatorCpu().coresBusy(r.readyMs()), r.plainCpu().format(), r.plainCpu().coresBusy(r.plainMs())));
    }
    md.append("\nAPI server time by request kind until all Ready:\n\n");
    for (Result r : results) {
      md.append("- N = ").append(r.instances()).append(": ").append(r.apiServerTime()).append('\n');
    }
    return md.toString();
  }

  static String machine() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
      return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores; Java " + System.getProperty("java.version");
    } catch (java.io.IOException e) {
      return Runtime.getRuntime().availableProcessors() + " cores";
    }
  }
}
