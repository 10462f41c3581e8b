package store.code.operator.instance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Reasons;
import store.code.api.v1alpha1.SecretRef;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.support.Applier;
import store.code.operator.support.KeysRoleBindings;
import store.code.operator.support.StepResult;

/**
 * The Secrets a Project hands to an instance ({@code spec.secretRefs}, already in the order they apply): read in the
 * project's namespace, merged key by key (a later ref wins), and copied into Secret {@link #SECRET} of the instance's
 * namespace, which its pods mount. Values are copied as the API server holds them (base64) and never put in a message:
 * a problem names the Secret and the key only.
 */
final class SecretsStep {
  static final String SECRET = "instance-secrets";

  private final KubernetesClient client;
  private final Applier applier;
  private final KeysRoleBindings keysRole;

  SecretsStep(KubernetesClient client, Applier applier, KeysRoleBindings keysRole) {
    this.client = client;
    this.applier = applier;
    this.keysRole = keysRole;
  }

  /**
   * What this step did: its result, and the resourceVersion of the copy when the instance has secrets (on the pod
   * template, so new values roll the pods, and only the pods of instances whose values changed).
   */
  record Copied(StepResult result, Optional<String> version) {}

  /** The values of the refs, merged; or the first problem, naming the Secret (and key) that is missing. */
  record Resolution(Map<String, String> data, Optional<String> problem, String reason) {
    static Resolution failed(String reason, String problem) {
      return new Resolution(Map.of(), Optional.of(problem), reason);
    }
  }

  Copied reconcile(Target t, ServiceInstance instance) {
    List<SecretRef> refs = instance.getSpec().getSecretRefs() == null ? List.of() : instance.getSpec().getSecretRefs();
    if (refs.isEmpty()) {
      return new Copied(StepResult.ready("NoSecrets", "the project hands this instance no Secrets"), Optional.empty());
    }
    String from = instance.getMetadata().getNamespace();
    keysRole.bindIn(from);
    Resolution r = resolve(refs, from, name -> client.secrets().inNamespace(from).withName(name).get());
    if (r.problem().isPresent()) {
      return new Copied(StepResult.waiting(r.reason(), r.problem().get()), Optional.empty());
    }
    Secret copy = applier.apply(new SecretBuilder().withMetadata(t.meta(SECRET)).withType("Opaque")
        .withData(r.data()).build());
    return new Copied(StepResult.ready("SecretsCopied", r.data().size() + " key" + (r.data().size() == 1 ? "" : "s")
        + " from " + refs.stream().map(SecretRef::getName).distinct().toList() + " in Secret " + SECRET + " of "
        + t.namespace()), Optional.of(copy.getMetadata().getResourceVersion()));
  }

  /** Pure: {@code read} gives a Secret of {@code namespace} by name, or null. */
  static Resolution resolve(List<SecretRef> refs, String namespace, Function<String, Secret> read) {
    Map<String, String> data = new TreeMap<>();
    for (SecretRef ref : refs) {
      Secret s = read.apply(ref.getName());
      if (s == null) {
        return Resolution.failed(Reasons.SECRET_NOT_FOUND, "Secret " + ref.getName() + " does not exist in namespace " + namespace
            + ": create it, or remove it from the Project's secretRefs");
      }
      Map<String, String> values = s.getData() == null ? Map.of() : s.getData();
      List<String> keys = ref.getKeys() == null || ref.getKeys().isEmpty() ? new ArrayList<>(values.keySet()) : ref.getKeys();
      for (String key : keys) {
        if (!values.containsKey(key)) {
          return Resolution.failed(Reasons.SECRET_KEY_NOT_FOUND, "Secret " + ref.getName() + " in namespace " + namespace
              + " has no key " + key + " (named in the Project's secretRefs keys); it has " + new TreeMap<>(values).keySet());
        }
        data.put(key, values.get(key));
      }
    }
    return new Resolution(data, Optional.empty(), null);
  }
}
