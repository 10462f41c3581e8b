package store.code.cli;

import picocli.CommandLine.Option;

/** The options every command that talks to the cluster takes: where, and how to print. */
public class ClusterOptions {
  @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the kubeconfig context's, else default).")
  String namespace;

  @Option(names = "--context", description = "Kubeconfig context to use (default: the current one).")
  String context;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  Output output;

  /** The namespace given with -n, or null. */
  public String namespace() {
    return namespace;
  }
}
