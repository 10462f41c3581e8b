package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/** What the user sees when the cluster says no, or is not there. */
@EnableKubernetesMockClient
class ClusterErrorsTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void anRbacDenialIsSaidAsOneWithTheApiServersWords() {
    String denied = "projects.code.store \"webshop\" is forbidden: User \"bob\" cannot get resource \"projects\" in API "
        + "group \"code.store\" in the namespace \"acme\"";
    server.expect().get().withPath("/apis/code.store/v1alpha1/namespaces/acme/projects/webshop")
        .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
            .withMessage(denied).build()).always();
    Run r = Run.of(context -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build(),
        "status", "webshop", "-n", "acme");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: forbidden: your Kubernetes identity may not do this (RBAC): " + denied + "\n");
  }

  @Test
  void anUnreachableClusterIsSaidWithWhatToCheck() {
    Clients nowhere = context -> new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(2000).build()).build();
    Run r = Run.of(nowhere, "services", "-n", "acme");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot reach the Kubernetes API server: ")
        .contains("check --context, KUBECONFIG and that the cluster runs");
  }
}
