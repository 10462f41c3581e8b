package store.code.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the cluster: connects with the user's kubeconfig, runs, prints. */
public abstract class ClusterCommand implements Callable<Integer> {
  @Mixin
  protected ClusterOptions cluster;

  @Spec
  protected CommandSpec spec;

  protected KubernetesClient client;
  /** The namespace the command works in: -n, else the kubeconfig context's, else default. */
  protected String namespace;
  protected PrintWriter out;

  @Override
  public Integer call() {
    Codestore root = (Codestore) spec.root().userObject();
    try (KubernetesClient c = root.clients.connect(cluster.context)) {
      client = c;
      namespace = cluster.namespace != null ? cluster.namespace : c.getNamespace() != null ? c.getNamespace() : "default";
      out = spec.commandLine().getOut();
      run();
    }
    return 0;
  }

  protected abstract void run();

  /** What time it is for this invocation (tests give a fixed one). */
  protected java.time.Clock clock() {
    return ((Codestore) spec.root().userObject()).clock;
  }

  protected Output output() {
    return cluster.output;
  }
}
