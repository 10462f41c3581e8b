package store.code.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;

/** On a failed test, print what a person would look at: our resources' status and the Events. */
public class DumpOnFailure implements TestWatcher {
  static volatile KubeCluster cluster;

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    KubeCluster c = cluster;
    if (c == null) {
      return;
    }
    try {
      StringBuilder sb = new StringBuilder("\n===== cluster state after failure of " + context.getDisplayName() + " =====\n");
      for (var kind : java.util.List.of(CodeService.class, Project.class, ServiceInstance.class)) {
        for (var r : c.admin.resources(kind).inAnyNamespace().list().getItems()) {
          sb.append("--- ").append(r.getKind()).append(' ').append(r.getMetadata().getNamespace()).append('/')
              .append(r.getMetadata().getName()).append('\n').append(Serialization.asYaml(r.getStatus()));
        }
      }
      for (var e : c.admin.v1().events().inAnyNamespace().list().getItems()) {
        sb.append("event ").append(e.getInvolvedObject().getName()).append(' ').append(e.getReason()).append(": ")
            .append(e.getMessage()).append('\n');
      }
      System.out.println(sb);
    } catch (RuntimeException e) {
      System.out.println("could not dump cluster state: " + e);
    }
  }
}
