package store.code.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One invocation of the command line: its exit code and what it printed. */
record Run(int exit, String out, String err) {
  static Run of(Clients clients, String... args) {
    return at(java.time.Clock.systemUTC(), clients, args);
  }

  /** Each command gets a new client configured as {@code client} (a test server's). */
  static Clients clientsLike(io.fabric8.kubernetes.client.KubernetesClient client) {
    return context -> new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())
        .build();
  }

  /**
   * What the operator writes for an ApiKey: its key in a Secret of the key's name, owned by it ({@code data}
   * unencoded).
   */
  static io.fabric8.kubernetes.api.model.Secret keySecret(store.code.api.v1alpha1.ApiKey key, java.util.Map<String, String> data) {
    String name = key.getMetadata().getName();
    java.util.Map<String, String> encoded = new java.util.TreeMap<>();
    data.forEach((k, v) -> encoded.put(k, store.code.api.SecretData.encode(v)));
    return new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(key.getMetadata().getNamespace()).addNewOwnerReference().withUid(key.getMetadata().getUid())
        .withName(name).withKind("ApiKey").withApiVersion("code.store/v1alpha1").endOwnerReference().endMetadata()
        .withData(encoded).build();
  }

  /** With "now" fixed, for what defaults to this month. */
  static Run at(java.time.Clock clock, Clients clients, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Codestore.commandLine(clients, clock, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
