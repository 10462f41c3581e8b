package store.code.e2e;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.marcnuri.helm.Helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceInstance;

/**
 * {@code make run} on the local node, once {@link HostProviders} runs: writes the provider Secrets, `helm install`s the
 * chart (or upgrades it), applies examples/, waits for the instances and prints each GraphQL endpoint with a curl to
 * paste. Argument: the kubeconfig.
 */
public final class LocalPlatform {

  private LocalPlatform() {}

  public static void main(String[] args) throws Exception {
    Path kubeconfig = Path.of(args[0]);
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    String hostIp = URI.create(config.getMasterUrl()).getHost();
    try (KubernetesClient kube = new KubernetesClientBuilder().withConfig(config).build()) {
      HostProviders.writeSecrets(kube, hostIp);
      boolean installed = kube.apps().deployments().inNamespace(HostProviders.NAMESPACE).withName("codestore-operator").get() != null;
      if (installed) {
        var upgrade = new Helm(ChartTest.CHART).upgrade().withName("codestore").withNamespace(HostProviders.NAMESPACE)
            .withKubeConfig(kubeconfig);
        HostProviders.chartValues(hostIp, HostProviders.GATEWAY_PORT).forEach(upgrade::set);
        upgrade.waitReady().withTimeout(240).call();
      } else {
        var install = new Helm(ChartTest.CHART).install().withName("codestore").withNamespace(HostProviders.NAMESPACE)
            .withKubeConfig(kubeconfig);
        HostProviders.chartValues(hostIp, HostProviders.GATEWAY_PORT).forEach(install::set);
        install.waitReady().withTimeout(240).call();
      }
      System.out.println("[run] chart installed: the operator runs as a pod in " + HostProviders.NAMESPACE);
      try (var files = Files.list(KubeCluster.repoRoot().resolve("examples"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          try (InputStream in = Files.newInputStream(f)) {
            for (HasMetadata o : kube.load(in).items()) {
              kube.resource(NodeE2E.withLocalCodeImage(o)).forceConflicts().serverSideApply();
            }
          }
        }
      }
      System.out.println("[run] examples/ applied; waiting for the instances' pods");
      Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
      List<ServiceInstance> instances = List.of();
      while (Instant.now().isBefore(deadline)) {
        instances = kube.resources(ServiceInstance.class).inAnyNamespace().list().getItems();
        if (!instances.isEmpty() && instances.stream().allMatch(i -> i.getStatus() != null && i.getStatus().getPhase() == Phase.Ready)) {
          break;
        }
        Thread.sleep(2000);
      }
      System.out.println();
      String key = apiKey(kube, "acme", "webshop-key");
      System.out.println("API key of project webshop (ApiKey acme/webshop-key; every request carries it): " + key);
      for (ServiceInstance i : instances) {
        String ns = i.getStatus() == null ? null : i.getStatus().getTargetNamespace();
        var svc = ns == null ? null : kube.services().inNamespace(ns).withName("runtime").get();
        String phase = i.getStatus() == null ? "Pending" : String.valueOf(i.getStatus().getPhase());
        System.out.printf("%-22s %-10s %s%n", i.getMetadata().getName(), phase, i.getStatus() == null ? "" : i.getStatus().getEndpoint());
        if (svc != null) {
          System.out.printf("    curl -s http://%s:8080/graphql -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{\"query\":\"{ __schema { queryType { fields { name } } } }\"}'%n",
              svc.getSpec().getClusterIP(), key);
        }
      }
      console(kube);
    }
    System.exit(0); // Helm's embedded Go runtime keeps threads of its own
  }

  /** The person make run signs in to the console as: ann, who may edit in acme and browse the marketplace. */
  static final String PERSON = "ann";

  /**
   * The console's address and someone to sign in as: ServiceAccount acme/ann bound to edit there (which the chart's
   * codestore-edit folds into) and to the marketplace, with a token for a day (Kubernetes 1.20 has no
   * {@code kubectl create token}).
   */
  static void console(KubernetesClient kube) {
    var svc = kube.services().inNamespace(HostProviders.NAMESPACE).withName("codestore-console").get();
    if (svc == null) {
      return;
    }
    kube.resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withName(PERSON)
        .withNamespace("acme").endMetadata().build()).serverSideApply();
    kube.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata().withName(PERSON)
        .withNamespace("acme").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName("edit").endRoleRef().addNewSubject().withKind("ServiceAccount")
        .withName(PERSON).withNamespace("acme").endSubject().build()).serverSideApply();
    kube.resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder().withNewMetadata()
        .withName(PERSON + "-marketplace").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole").withName("codestore-marketplace").endRoleRef().addNewSubject()
        .withKind("ServiceAccount").withName(PERSON).withNamespace("acme").endSubject().build()).serverSideApply();
    String token = kube.serviceAccounts().inNamespace("acme").withName(PERSON).tokenRequest(
        new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
            .withExpirationSeconds(86_400L).endSpec().build()).getStatus().getToken();
    System.out.println();
    System.out.printf("Console: http://%s:%d/sign-in (the chart's codestore-console); sign in as %s, who may edit in "
        + "acme, with this token (valid 24 h; namespace acme):%n    %s%n", svc.getSpec().getClusterIP(),
        svc.getSpec().getPorts().get(0).getPort(), PERSON, token);
  }

  /** The plain key of an ApiKey, from the Secret the operator wrote it into (waiting for it a little). */
  static String apiKey(io.fabric8.kubernetes.client.KubernetesClient kube, String namespace, String name)
      throws InterruptedException {
    for (int i = 0; i < 60; i++) {
      var secret = kube.secrets().inNamespace(namespace).withName(name).get();
      if (secret != null) {
        return store.code.api.SecretData.decode(secret).get("key");
      }
      Thread.sleep(1000);
    }
    return "(not made yet: kubectl -n " + namespace + " get apikey " + name + ")";
  }

}
