package store.code.operator.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the platform administrator chose for this cluster (Helm values end up here). A plain value
 * so reconcilers can be built by hand in tests; {@link SettingsProducer} fills it from configuration.
 */
public record OperatorSettings(
    DatabaseProvider databaseProvider,
    /** namespace/name of the Secret with the external Postgres admin connection (keys host, port, username, password, sslmode). */
    Optional<String> externalDatabaseSecret,
    int cnpgInstances,
    StorageProvider storageProvider,
    /** namespace/name of the Secret with the external S3 endpoint (keys endpoint, region, accessKeyId, secretAccessKey). */
    Optional<String> externalStorageSecret,
    /**
     * Where instances reach the storage gateway (module storage-gateway) that checks their own keys, with the
     * external storage provider: its URL as runtimes and the clients of their presigned URLs reach it.
     */
    Optional<String> storageGatewayEndpoint,
    Optional<String> bucketStorageClass,
    String runtimeImage,
    String runtimeImagePullPolicy,
    Optional<String> ingressDomain,
    Optional<String> ingressClass,
    /** namespace/name of a TLS Secret (a wildcard certificate of the domain) copied into each instance namespace. */
    Optional<String> ingressTlsSecret,
    /** A cert-manager ClusterIssuer that issues each instance Ingress its certificate. */
    Optional<String> ingressClusterIssuer,
    /** Who may reach instance pods over the network, besides what each instance admits itself. */
    Network network,
    Quota quota,
    /** How often every instance's usage is read into its project's UsageReport. */
    Duration usageInterval,
    /** The operator's own identity and the roles it binds where it writes; empty: it writes with the rights it has. */
    Optional<Rbac> rbac) {

  public enum DatabaseProvider { cnpg, external }

  public enum StorageProvider { objectbucketclaim, external, none }

  /**
   * {@code platformNamespaces}: their pods may reach every pod of every instance namespace (the operator reads
   * usage and health, CloudNativePG manages its database pods). {@code ingressControllerNamespace}: its pods may
   * reach the runtime's API port of instances that have an Ingress (only when a domain is set).
   */
  public record Network(List<String> platformNamespaces, Optional<String> ingressControllerNamespace) {
    public static Network defaults() {
      return new Network(List.of("codestore-system", "cnpg-system"), Optional.empty());
    }
  }

  /**
   * Least privilege: the operator's ClusterRole writes namespaces, RoleBindings and its own resources, and nothing in
   * a namespace it does not manage. Where it writes, it binds a ClusterRole to its ServiceAccount first:
   * {@code instanceRole} in each instance namespace (Secrets, Deployments, ...), {@code keysRole} in each namespace
   * whose ApiKeys it writes a Secret for.
   */
  public record Rbac(String serviceAccountNamespace, String serviceAccountName, String instanceRole, String keysRole) {}

  /** Per-instance namespace guardrails. */
  public record Quota(String pods, String requestsCpu, String requestsMemory, String limitsMemory, String requestsStorage,
      String persistentVolumeClaims) {
    public static Quota defaults() {
      return new Quota("20", "4", "8Gi", "16Gi", "50Gi", "10");
    }
  }

  /** Sensible defaults for a cluster with CNPG and no object storage. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(DatabaseProvider.cnpg, Optional.empty(), 1, StorageProvider.none, Optional.empty(),
        Optional.empty(), Optional.empty(), "codestore/runtime:0.1.0", "IfNotPresent", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Network.defaults(), Quota.defaults(),
        Duration.ofSeconds(60), Optional.empty());
  }

  public OperatorSettings withDatabase(DatabaseProvider provider, String secret) {
    return new OperatorSettings(provider, Optional.ofNullable(secret), cnpgInstances, storageProvider,
        externalStorageSecret, storageGatewayEndpoint, bucketStorageClass, runtimeImage, runtimeImagePullPolicy, ingressDomain, ingressClass,
        ingressTlsSecret, ingressClusterIssuer, network, quota, usageInterval, rbac);
  }

  public OperatorSettings withStorage(StorageProvider provider, String secret) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, provider,
        Optional.ofNullable(secret), storageGatewayEndpoint, bucketStorageClass, runtimeImage, runtimeImagePullPolicy, ingressDomain,
        ingressClass, ingressTlsSecret, ingressClusterIssuer, network, quota, usageInterval, rbac);
  }

  /** The storage gateway's URL, as instances reach it (external storage provider). */
  public OperatorSettings withStorageGateway(String endpoint) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, storageProvider,
        externalStorageSecret, Optional.ofNullable(endpoint), bucketStorageClass, runtimeImage, runtimeImagePullPolicy,
        ingressDomain, ingressClass, ingressTlsSecret, ingressClusterIssuer, network, quota, usageInterval, rbac);
  }

  public OperatorSettings withBucketStorageClass(String storageClass) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, storageProvider,
        externalStorageSecret, storageGatewayEndpoint, Optional.ofNullable(storageClass), runtimeImage, runtimeImagePullPolicy, ingressDomain,
        ingressClass, ingressTlsSecret, ingressClusterIssuer, network, quota, usageInterval, rbac);
  }

  /** An Ingress per instance at {@code <namespace>.<domain>}, with TLS from a copied Secret or a cert-manager issuer. */
  public OperatorSettings withIngress(String domain, String tlsSecret, String clusterIssuer) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, storageProvider,
        externalStorageSecret, storageGatewayEndpoint, bucketStorageClass, runtimeImage, runtimeImagePullPolicy, Optional.ofNullable(domain),
        ingressClass, Optional.ofNullable(tlsSecret), Optional.ofNullable(clusterIssuer), network, quota,
        usageInterval, rbac);
  }

  public OperatorSettings withNetwork(Network network) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, storageProvider,
        externalStorageSecret, storageGatewayEndpoint, bucketStorageClass, runtimeImage, runtimeImagePullPolicy, ingressDomain, ingressClass,
        ingressTlsSecret, ingressClusterIssuer, network, quota, usageInterval, rbac);
  }

  public OperatorSettings withRbac(Rbac rbac) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, storageProvider,
        externalStorageSecret, storageGatewayEndpoint, bucketStorageClass, runtimeImage, runtimeImagePullPolicy, ingressDomain, ingressClass,
        ingressTlsSecret, ingressClusterIssuer, network, quota, usageInterval, Optional.ofNullable(rbac));
  }

  public OperatorSettings withUsageInterval(Duration interval) {
    return new OperatorSettings(databaseProvider, externalDatabaseSecret, cnpgInstances, storageProvider,
        externalStorageSecret, storageGatewayEndpoint, bucketStorageClass, runtimeImage, runtimeImagePullPolicy, ingressDomain, ingressClass,
        ingressTlsSecret, ingressClusterIssuer, network, quota, interval, rbac);
  }
}
