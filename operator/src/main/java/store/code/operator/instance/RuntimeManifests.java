package store.code.operator.instance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import store.code.api.Labels;
import store.code.api.v1alpha1.CodeEgress;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.JwtAuth;
import store.code.api.v1alpha1.ServiceLimits;
import store.code.api.v1alpha1.ServiceDefaults;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;

/**
 * The runtime of one instance: schema and config maps, Deployment, Service, optional HPA and
 * Ingress. Pure functions; the runtime contract (env names, paths, port) is DESIGN section 5.
 */
public final class RuntimeManifests {
  public static final String NAME = "runtime";
  public static final String SCHEMA_CONFIG_MAP = "service-schema";
  /** On the per-version schema ConfigMaps, so the ones no pod mounts any more can be found and deleted. */
  public static final String VERSION_SCHEMA_LABEL = "code.store/version-schema";
  public static final String INSTANCE_CONFIG_MAP = "instance-config";
  public static final String DATABASE_SECRET = "db-app";
  public static final String STORAGE_SECRET = "storage";
  public static final int PORT = 8080;
  /** Health, metrics and usage: reached by the kubelet and the operator, never routed by an Ingress. */
  public static final int MANAGEMENT_PORT = 9000;
  /** The project API keys this instance accepts: lines {@code <keyId> <sha256>} under key {@link #KEYS_FILE}. */
  public static final String KEYS_SECRET = "api-keys";
  public static final String KEYS_FILE = "keys";
  public static final String PUSH_TOKEN = "push-token";
  static final String KEYS_DIR = "/etc/codestore-access";
  static final String SCHEMA_DIR = "/etc/codestore";
  /** The project's Secrets for this instance (SecretsStep's copy), a file per key; mounted by the runtime only. */
  static final String SECRETS_DIR = "/etc/codestore-secrets";
  static final String CODE_DIR = "/code";
  /** The maker-code container: the runtime image's host jar, over the maker's jars, as another user. */
  public static final String CODE_CONTAINER = "code";
  static final int CODE_PORT = 8090;
  static final int CODE_CALLBACK_PORT = 8091;
  /** Not the runtime's user (185): the code container cannot read what the runtime's user alone may read. */
  static final long CODE_USER = 10001;
  static final String CODE_HOST_JAR = "/deployments/code-host/codestore-code-host.jar";
  static final String DEFAULT_CODE_MEMORY = "256Mi";

  private RuntimeManifests() {}

  /** The schema the runtime serves, with its version and hash. */
  public static ConfigMap schemaConfigMap(Target t, String schema, String version, String hash) {
    Map<String, String> data = new TreeMap<>();
    data.put("schema.graphql", schema);
    data.put("version", version);
    data.put("hash", hash);
    return new ConfigMapBuilder().withMetadata(t.meta(SCHEMA_CONFIG_MAP)).withData(data).build();
  }

  /**
   * The schema of one version, mounted by the pods of that version only: a pod restarted while a newer schema is
   * refused or still rolling out (evicted, drained, killed for memory) boots with the schema it ran, not the new one.
   * Named by version and schema hash, so its content never changes; {@link #SCHEMA_CONFIG_MAP} records the current one.
   */
  public static ConfigMap versionSchemaConfigMap(Target t, String schema, String version, String hash) {
    ConfigMap cm = schemaConfigMap(t, schema, version, hash);
    cm.getMetadata().setName(schemaConfigMapName(version, hash));
    cm.getMetadata().getLabels().put(VERSION_SCHEMA_LABEL, "true");
    return cm;
  }

  /** {@code service-schema-<version>-<hash>}, with what a name cannot hold as dashes. */
  public static String schemaConfigMapName(String version, String hash) {
    String v = version == null ? "unversioned" : version.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String h = hash == null ? "nohash" : hash.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return SCHEMA_CONFIG_MAP + "-" + v + "-" + h.substring(0, Math.min(12, h.length()));
  }

  /** The project's plain settings for this service, handed to the runtime as CODESTORE_CONFIG_* variables. */
  public static ConfigMap instanceConfigMap(Target t, Map<String, String> config) {
    return new ConfigMapBuilder().withMetadata(t.meta(INSTANCE_CONFIG_MAP))
        .withData(new TreeMap<>(config == null ? Map.of() : config)).build();
  }

  public static int replicas(CodeService service, ServiceInstance instance) {
    if (instance.getSpec().isSuspended()) {
      return 0;
    }
    ServiceDefaults d = service.getSpec().getDefaults();
    return d == null || d.getReplicas() == null ? 1 : d.getReplicas();
  }

  /**
   * @param schemaHash hash of the schema in {@link #schemaConfigMap}; on the pod template so a new schema rolls the pods
   * @param schemaVersion the version of that schema: with the hash, it names the ConfigMap the pods mount
   * @param configHash hash of the instance config, for the same reason
   */
  public static Deployment deployment(Target t, CodeService service, ServiceInstance instance,
      OperatorSettings settings, String schemaHash, String schemaVersion, String configHash) {
    Map<String, String> podLabels = new LinkedHashMap<>(t.labels());
    podLabels.putAll(t.runtimeSelector());
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put(Labels.SCHEMA_HASH_ANNOTATION, schemaHash);
    podAnnotations.put("code.store/config-hash", configHash);
    podAnnotations.put("prometheus.io/scrape", "true");
    podAnnotations.put("prometheus.io/port", String.valueOf(MANAGEMENT_PORT));
    podAnnotations.put("prometheus.io/path", "/q/metrics");

    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("schema").withNewConfigMap()
        .withName(schemaConfigMapName(schemaVersion, schemaHash)).endConfigMap().build());
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    // the key hashes change without a rollout: the runtime reads the file again when the kubelet updates it
    volumes.add(new VolumeBuilder().withName("access").withNewSecret().withSecretName(KEYS_SECRET).withOptional(true)
        .endSecret().build());
    List<VolumeMount> mounts = new ArrayList<>(List.of(
        new VolumeMountBuilder().withName("schema").withMountPath(SCHEMA_DIR).withReadOnly(true).build(),
        new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
        new VolumeMountBuilder().withName("access").withMountPath(KEYS_DIR).withReadOnly(true).build()));
    // only with secretRefs, so instances without them keep the template they had
    if (hasSecrets(instance)) {
      volumes.add(new VolumeBuilder().withName("secrets").withNewSecret().withSecretName(SecretsStep.SECRET).endSecret()
          .build());
      mounts.add(new VolumeMountBuilder().withName("secrets").withMountPath(SECRETS_DIR).withReadOnly(true).build());
    }

    List<Container> initContainers = new ArrayList<>();
    List<Container> containers = new ArrayList<>();
    boolean makerCode = hasCode(service);
    if (makerCode) {
      volumes.add(new VolumeBuilder().withName("code").withNewEmptyDir().endEmptyDir().build());
      volumes.add(new VolumeBuilder().withName("code-tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi"))
          .endEmptyDir().build());
      // The maker's image carries jars under /code; copy them into the volume the code container loads them from.
      initContainers.add(new ContainerBuilder().withName("maker-code")
          .withImage(service.getSpec().getCode().getImage())
          .withImagePullPolicy(settings.runtimeImagePullPolicy())
          .withCommand("sh", "-c", "cp -R /code/. /codestore-code/")
          .withVolumeMounts(new VolumeMountBuilder().withName("code").withMountPath("/codestore-code").build())
          .withSecurityContext(restricted())
          .withNewResources().addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("64Mi"))
          .addToLimits("memory", new Quantity("128Mi")).endResources()
          .build());
    }

    Container runtime = new ContainerBuilder().withName(NAME)
        .withImage(settings.runtimeImage())
        .withImagePullPolicy(settings.runtimeImagePullPolicy())
        .addNewPort().withName("http").withContainerPort(PORT).withProtocol("TCP").endPort()
        .addNewPort().withName("management").withContainerPort(MANAGEMENT_PORT).withProtocol("TCP").endPort()
        .withEnv(env(settings, service, instance))
        .addNewEnvFrom().withPrefix("CODESTORE_CONFIG_").withNewConfigMapRef().withName(INSTANCE_CONFIG_MAP)
        .endConfigMapRef().endEnvFrom()
        .withVolumeMounts(mounts)
        .withNewReadinessProbe().withNewHttpGet().withPath("/q/health/ready").withPort(new IntOrString("management")).endHttpGet()
        .withPeriodSeconds(5).withFailureThreshold(3).endReadinessProbe()
        .withNewLivenessProbe().withNewHttpGet().withPath("/q/health/live").withPort(new IntOrString("management")).endHttpGet()
        .withInitialDelaySeconds(20).withPeriodSeconds(10).withFailureThreshold(6).endLivenessProbe()
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("512Mi")).endResources()
        .withSecurityContext(restricted())
        .build();
    containers.add(runtime);
    if (makerCode) {
      containers.add(codeContainer(settings, service));
    }

    return new DeploymentBuilder().withMetadata(t.meta(NAME))
        .withNewSpec()
        .withReplicas(replicas(service, instance))
        .withNewSelector().withMatchLabels(t.runtimeSelector()).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(podLabels).withAnnotations(podAnnotations).endMetadata()
        .withNewSpec()
        .withServiceAccountName(NamespaceManifests.RUNTIME_SERVICE_ACCOUNT)
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
        .endSeccompProfile().endSecurityContext()
        .withInitContainers(initContainers)
        .withContainers(containers)
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  static boolean hasCode(CodeService service) {
    return service.getSpec().getCode() != null && service.getSpec().getCode().getImage() != null;
  }

  /** Where the maker's handlers may connect ({@code spec.code.egress}); nowhere without maker code. */
  public static List<CodeEgress> codeEgress(CodeService service) {
    if (!hasCode(service) || service.getSpec().getCode().getEgress() == null) {
      return List.of();
    }
    return service.getSpec().getCode().getEgress();
  }

  /**
   * The maker's handlers, in a container of their own: another user, a read-only root, its own memory limit, no
   * environment but where its jars are and which loopback port it serves, no service account token and no secret
   * mounted. It reaches the instance's data only through the runtime (127.0.0.1:8091, with a token per call). A handler
   * that hangs past its deadline or runs the JVM out of memory ends the host process; its supervisor starts another.
   */
  private static Container codeContainer(OperatorSettings settings, CodeService service) {
    String memory = service.getSpec().getCode().getMemory() == null ? DEFAULT_CODE_MEMORY
        : service.getSpec().getCode().getMemory();
    SecurityContext security = restricted();
    security.setRunAsUser(CODE_USER);
    security.setRunAsGroup(CODE_USER);
    return new ContainerBuilder().withName(CODE_CONTAINER)
        .withImage(settings.runtimeImage())
        .withImagePullPolicy(settings.runtimeImagePullPolicy())
        // a small supervising JVM keeps the host running as its child: a host that hangs or dies is replaced in a
        // second while the container stays up; were the container to restart instead, the whole pod would be
        // unready meanwhile (a pod is ready only when all its containers are), and the generated API with it
        .withCommand("java", "-Xmx24m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k",
            "-Djava.io.tmpdir=/tmp", "-jar", CODE_HOST_JAR)
        .withEnv(new EnvVarBuilder().withName("CODESTORE_CODE_DIR").withValue(CODE_DIR).build(),
            new EnvVarBuilder().withName("CODESTORE_CODE_PORT").withValue(String.valueOf(CODE_PORT)).build(),
            new EnvVarBuilder().withName("CODESTORE_CODE_SUPERVISE").withValue("true").build(),
            new EnvVarBuilder().withName("CODESTORE_CODE_JAVA_OPTIONS").withValue("-XX:MaxRAMPercentage=50 "
                + "-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xss512k -Djava.io.tmpdir=/tmp").build())
        .withVolumeMounts(
            new VolumeMountBuilder().withName("code").withMountPath(CODE_DIR).withReadOnly(true).build(),
            new VolumeMountBuilder().withName("code-tmp").withMountPath("/tmp").build())
        .withNewResources()
        .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity(memory))
        .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity(memory)).endResources()
        .withSecurityContext(security)
        .build();
  }

  static boolean hasSecrets(ServiceInstance instance) {
    return instance.getSpec().getSecretRefs() != null && !instance.getSpec().getSecretRefs().isEmpty();
  }

  private static List<EnvVar> env(OperatorSettings settings, CodeService service, ServiceInstance instance) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("CODESTORE_SCHEMA_PATH").withValue(SCHEMA_DIR + "/schema.graphql").build());
    if (hasCode(service)) {
      env.add(new EnvVarBuilder().withName("CODESTORE_CODE_URL").withValue("http://127.0.0.1:" + CODE_PORT).build());
      env.add(new EnvVarBuilder().withName("CODESTORE_CODE_CALLBACK_PORT").withValue(String.valueOf(CODE_CALLBACK_PORT))
          .build());
    }
    env.add(secretEnv("CODESTORE_DB_HOST", DATABASE_SECRET, "host", false));
    env.add(secretEnv("CODESTORE_DB_PORT", DATABASE_SECRET, "port", false));
    env.add(secretEnv("CODESTORE_DB_NAME", DATABASE_SECRET, "dbname", false));
    env.add(secretEnv("CODESTORE_DB_USER", DATABASE_SECRET, "username", false));
    env.add(secretEnv("CODESTORE_DB_PASSWORD", DATABASE_SECRET, "password", false));
    env.add(secretEnv("CODESTORE_DB_SSLMODE", DATABASE_SECRET, "sslmode", true)); // external provider only
    if (settings.storageProvider() != OperatorSettings.StorageProvider.none) {
      env.add(secretEnv("CODESTORE_S3_ENDPOINT", STORAGE_SECRET, "endpoint", false));
      env.add(secretEnv("CODESTORE_S3_REGION", STORAGE_SECRET, "region", false));
      env.add(secretEnv("CODESTORE_S3_BUCKET", STORAGE_SECRET, "bucket", false));
      env.add(secretEnv("AWS_ACCESS_KEY_ID", STORAGE_SECRET, "accessKeyId", false));
      env.add(secretEnv("AWS_SECRET_ACCESS_KEY", STORAGE_SECRET, "secretAccessKey", false));
    }
    env.add(new EnvVarBuilder().withName("QUARKUS_HTTP_PORT").withValue(String.valueOf(PORT)).build());
    env.add(new EnvVarBuilder().withName("QUARKUS_MANAGEMENT_PORT").withValue(String.valueOf(MANAGEMENT_PORT)).build());
    env.add(new EnvVarBuilder().withName("CODESTORE_API_KEYS_FILE").withValue(KEYS_DIR + "/" + KEYS_FILE).build());
    if (hasSecrets(instance)) {
      env.add(new EnvVarBuilder().withName("CODESTORE_SECRETS_PATH").withValue(SECRETS_DIR).build());
    }
    ServiceLimits limits = service.getSpec().getLimits();
    if (limits != null && limits.getCodeTimeout() != null) {
      env.add(new EnvVarBuilder().withName("CODESTORE_CODE_TIMEOUT").withValue(limits.getCodeTimeout()).build());
    }
    if (limits != null && limits.getRequestsPerSecond() != null) {
      env.add(new EnvVarBuilder().withName("CODESTORE_RATE_LIMIT_REQUESTS_PER_SECOND")
          .withValue(String.valueOf(limits.getRequestsPerSecond())).build());
      env.add(new EnvVarBuilder().withName("CODESTORE_RATE_LIMIT_BURST")
          .withValue(String.valueOf(limits.getBurst() != null ? limits.getBurst() : limits.getRequestsPerSecond())).build());
    }
    if (instance.getSpec().getCors() != null && !instance.getSpec().getCors().isEmpty()) {
      env.add(new EnvVarBuilder().withName("QUARKUS_HTTP_CORS_ORIGINS").withValue(String.join(",", instance.getSpec().getCors()))
          .build());
    }
    JwtAuth jwt = instance.getSpec().getAuth() == null ? null : instance.getSpec().getAuth().getJwt();
    if (jwt != null) {
      env.add(new EnvVarBuilder().withName("CODESTORE_JWT_ISSUER").withValue(jwt.getIssuer()).build());
      env.add(new EnvVarBuilder().withName("CODESTORE_JWT_AUDIENCE").withValue(String.join(",", jwt.getAudiences())).build());
      env.add(new EnvVarBuilder().withName("CODESTORE_JWT_JWKS_URL").withValue(jwt.getJwksUri()).build());
      if (jwt.getGroupsClaim() != null) {
        env.add(new EnvVarBuilder().withName("CODESTORE_JWT_GROUPS_CLAIM").withValue(jwt.getGroupsClaim()).build());
      }
    }
    return env;
  }

  /**
   * The key hashes an instance accepts, one {@code <keyId> <sha256>} line each (the plain keys are never here), and
   * the token with which only the operator may hand changed lines to the running pods.
   */
  public static io.fabric8.kubernetes.api.model.Secret keysSecret(Target t, String lines, String pushToken) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder().withMetadata(t.meta(KEYS_SECRET))
        .withStringData(Map.of(KEYS_FILE, lines, PUSH_TOKEN, pushToken)).build();
  }

  private static EnvVar secretEnv(String name, String secret, String key, boolean optional) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).withOptional(optional ? Boolean.TRUE : null).endSecretKeyRef().endValueFrom().build();
  }

  /** Satisfies Pod Security "restricted". */
  static SecurityContext restricted() {
    return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true).withNewCapabilities().addToDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
  }

  public static Service service(Target t) {
    return new ServiceBuilder().withMetadata(t.meta(NAME))
        .withNewSpec().withSelector(t.runtimeSelector())
        .addNewPort().withName("http").withPort(PORT).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort()
        .addNewPort().withName("management").withPort(MANAGEMENT_PORT).withTargetPort(new IntOrString("management"))
        .withProtocol("TCP").endPort()
        .endSpec().build();
  }

  /** An autoscaler only when the service allows more replicas than it starts with. */
  public static boolean wantsAutoscaler(CodeService service, ServiceInstance instance) {
    ServiceDefaults d = service.getSpec().getDefaults();
    return !instance.getSpec().isSuspended() && d != null && d.getMaxReplicas() != null
        && d.getMaxReplicas() > replicas(service, instance);
  }

  public static HorizontalPodAutoscaler autoscaler(Target t, CodeService service, ServiceInstance instance) {
    return new HorizontalPodAutoscalerBuilder().withMetadata(t.meta(NAME))
        .withNewSpec()
        .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(NAME).endScaleTargetRef()
        .withMinReplicas(replicas(service, instance))
        .withMaxReplicas(service.getSpec().getDefaults().getMaxReplicas())
        .withTargetCPUUtilizationPercentage(70)
        .endSpec().build();
  }

  /** Host {@code <target namespace>.<domain>}: unique and at most 63 characters in its first label. */
  /** The TLS Secret of an instance's Ingress: a copy of the platform's, or what cert-manager issues. */
  public static final String TLS_SECRET = "runtime-tls";

  /**
   * The instance's API at {@code <namespace>.<domain>}: {@code /graphql} (GraphiQL at {@code /graphql/ui}, and its
   * assets) on the API port, nothing else; with TLS when the platform has a certificate or a cert-manager issuer.
   */
  public static Ingress ingress(Target t, String domain, OperatorSettings settings) {
    String host = t.namespace() + "." + domain;
    boolean tls = settings.ingressTlsSecret().isPresent() || settings.ingressClusterIssuer().isPresent();
    var meta = t.meta(NAME);
    settings.ingressClusterIssuer().ifPresent(issuer -> meta.getAnnotations().put("cert-manager.io/cluster-issuer", issuer));
    var spec = new IngressBuilder().withMetadata(meta)
        .withNewSpec().withIngressClassName(settings.ingressClass().orElse(null));
    if (tls) {
      spec.addNewTl().withHosts(host).withSecretName(TLS_SECRET).endTl();
    }
    var http = spec.addNewRule().withHost(host).withNewHttp();
    for (String path : List.of("/graphql", "/graphql-ui")) {
      http.addNewPath().withPath(path).withPathType("Prefix")
          .withNewBackend().withNewService().withName(NAME).withNewPort().withNumber(PORT).endPort().endService().endBackend()
          .endPath();
    }
    return http.endHttp().endRule().endSpec().build();
  }

  /** The platform's TLS Secret, copied into the instance namespace (the Ingress can only name one there). */
  public static io.fabric8.kubernetes.api.model.Secret tlsSecret(Target t, io.fabric8.kubernetes.api.model.Secret platform) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder().withMetadata(t.meta(TLS_SECRET))
        .withType("kubernetes.io/tls").withData(platform.getData()).build();
  }
}
