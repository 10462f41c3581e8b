package store.code.operator.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Reads {@code codestore.*} configuration (application.properties, env vars such as CODESTORE_DATABASE_PROVIDER). */
@ApplicationScoped
public class SettingsProducer {

  @ConfigMapping(prefix = "codestore")
  public interface Config {
    Database database();

    Storage storage();

    Runtime runtime();

    Ingress ingress();

    Network network();

    Usage usage();

    Rbac rbac();

    /** Set by the chart; unset (a local run with your own kubeconfig): nothing is bound. */
    interface Rbac {
      /** namespace/name of the operator's ServiceAccount. */
      Optional<String> serviceAccount();

      @WithDefault("codestore-operator-instance")
      String instanceRole();

      @WithDefault("codestore-operator-keys")
      String keysRole();
    }

    interface Usage {
      /** How often usage is collected into UsageReports (an ISO-8601 duration or e.g. {@code 60s}). */
      @WithDefault("60s")
      java.time.Duration interval();
    }

    interface Database {
      @WithDefault("cnpg")
      OperatorSettings.DatabaseProvider provider();

      /** namespace/name of the admin Secret for the external provider. */
      Optional<String> externalSecret();

      @WithDefault("1")
      int cnpgInstances();
    }

    interface Storage {
      @WithDefault("none")
      OperatorSettings.StorageProvider provider();

      Optional<String> externalSecret();

      /** The storage gateway's URL as instances reach it (CODESTORE_STORAGE_GATEWAY_ENDPOINT; external provider). */
      Optional<String> gatewayEndpoint();

      Optional<String> storageClass();
    }

    interface Runtime {
      @WithDefault("codestore/runtime:0.1.0")
      String image();

      @WithDefault("IfNotPresent")
      String imagePullPolicy();
    }

    interface Ingress {
      Optional<String> domain();

      Optional<String> className();

      /** namespace/name of a TLS Secret to copy into each instance namespace (CODESTORE_INGRESS_TLS_SECRET). */
      Optional<String> tlsSecret();

      /** A cert-manager ClusterIssuer for each instance's certificate (CODESTORE_INGRESS_CLUSTER_ISSUER). */
      Optional<String> clusterIssuer();
    }

    interface Network {
      /** Namespaces whose pods may reach every instance pod: the operator's and CloudNativePG's. */
      @WithDefault("codestore-system,cnpg-system")
      List<String> allowedNamespaces();

      /** The ingress controller's namespace: may reach the API port of instances with an Ingress. */
      Optional<String> ingressControllerNamespace();
    }
  }

  @Produces
  @jakarta.inject.Singleton
  OperatorSettings settings(Config c) {
    return new OperatorSettings(c.database().provider(), c.database().externalSecret(), c.database().cnpgInstances(),
        c.storage().provider(), c.storage().externalSecret(), c.storage().gatewayEndpoint(), c.storage().storageClass(), c.runtime().image(),
        c.runtime().imagePullPolicy(), c.ingress().domain(), c.ingress().className(), c.ingress().tlsSecret(),
        c.ingress().clusterIssuer(),
        new OperatorSettings.Network(c.network().allowedNamespaces(), c.network().ingressControllerNamespace()),
        OperatorSettings.Quota.defaults(), c.usage().interval(), c.rbac().serviceAccount().map(sa -> {
          String[] parts = sa.split("/", 2);
          if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("codestore.rbac.service-account (CODESTORE_RBAC_SERVICE_ACCOUNT) must be "
                + "namespace/name, not \"" + sa + "\"");
          }
          return new OperatorSettings.Rbac(parts[0], parts[1], c.rbac().instanceRole(), c.rbac().keysRole());
        }));
  }
}
