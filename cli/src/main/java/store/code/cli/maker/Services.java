package store.code.cli.maker;

import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.v1alpha1.CodeService;
import store.code.cli.UserError;

/** Reading a maker's Service, with the error a user needs when it is not there. */
final class Services {
  private Services() {}

  static CodeService get(KubernetesClient client, String namespace, String name) {
    CodeService s = client.resources(CodeService.class).inNamespace(namespace).withName(name).get();
    if (s == null) {
      throw new UserError("no Service " + name + " in namespace " + namespace + " (codestore services lists them)");
    }
    return s;
  }
}
