package store.code.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Where commands get their Kubernetes client: the user's kubeconfig, in production; a test server, in tests. */
@FunctionalInterface
public interface Clients {
  KubernetesClient connect(String context);

  /** The user's kubeconfig (KUBECONFIG, or ~/.kube/config) at {@code context} (null: its current context). */
  static Clients fromKubeconfig() {
    return context -> {
      Config config = Config.autoConfigure(context);
      // a person waits: say at once that the cluster is not there, instead of retrying for half a minute
      config.setRequestRetryBackoffLimit(1);
      config.setConnectionTimeout(5_000);
      return new KubernetesClientBuilder().withConfig(config).build();
    };
  }
}
