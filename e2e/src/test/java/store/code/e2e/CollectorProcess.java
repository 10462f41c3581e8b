package store.code.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import store.code.operator.billing.UsageCollector;
import store.code.operator.billing.UsageSource;
import store.code.operator.support.Events;

/**
 * One usage collection pass in a JVM of its own, so that a test can kill it with SIGKILL in the middle of the pass,
 * as a node failure or the OOM killer would end an operator. Arguments: kubeconfig file, base URL of the runtimes'
 * {@code /usage/<instance>}, namespace, project, the instant the pass takes as now.
 */
public final class CollectorProcess {

  private CollectorProcess() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      HttpClient http = HttpClient.newHttpClient();
      UsageSource runtimes = instance -> UsageSource.get(http, URI.create(args[1] + instance.getMetadata().getName()));
      Clock clock = Clock.fixed(Instant.parse(args[4]), ZoneOffset.UTC);
      boolean written = new UsageCollector(client, runtimes, clock, new Events(client, clock)).collect(args[2], args[3]);
      System.out.println("written: " + written);
    }
  }
}
