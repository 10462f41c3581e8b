package store.code.operator.apikey;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeyStatus;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;
import store.code.operator.support.Indexes;
import store.code.operator.support.KeysRoleBindings;
import store.code.operator.support.PrunedStore;
import store.code.api.SecretData;

/**
 * Makes a project API key: 256 random bits written once into the Secret of the ApiKey's name (key {@code key}, with
 * {@code keyId}), owned by the ApiKey so it goes with it; the key is never written anywhere else. The status names the
 * key's id, its hash (what instances compare with; not a secret) and the instances that accept it, and says whether it
 * expired; a key is looked at again when it expires. Instances pick up keys through their own reconciler.
 */
@ControllerConfiguration(name = ApiKeyReconciler.NAME,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(itemStore = PrunedStore.class))
public class ApiKeyReconciler implements Reconciler<ApiKey> {
  public static final String NAME = "apikey";
  /** Keys of the key's Secret. */
  public static final String KEY = ApiKey.SECRET_KEY;
  public static final String KEY_ID = ApiKey.SECRET_KEY_ID;

  private final KubernetesClient client;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Where the operator writes key Secrets, it binds the keys role to itself first. */
  private KeysRoleBindings keysRole;

  public ApiKeyReconciler withRbac(Optional<OperatorSettings.Rbac> rbac) {
    this.keysRole = new KeysRoleBindings(client, rbac);
    return this;
  }

  public ApiKeyReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.keysRole = new KeysRoleBindings(client, Optional.empty());
  }

  @Override
  public List<EventSource<?, ApiKey>> prepareEventSources(EventSourceContext<ApiKey> context) {
    // instances come and go: the keys of their project say which accept them
    return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(ServiceInstance.class, ApiKey.class)
        .withName("instances").withItemStore(new PrunedStore<>())
        .withOnUpdateFilter((now, before) -> false) // only added and deleted instances change what a key reaches
        .withSecondaryToPrimaryMapper((ServiceInstance si) -> Indexes.inNamespace(context.getPrimaryCache(),
                si.getMetadata().getNamespace())
            .filter(k -> k.getSpec() != null && Objects.equals(k.getSpec().getProject(), si.getSpec().getProject()))
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((ApiKey k) -> client.resources(ServiceInstance.class)
            .inNamespace(k.getMetadata().getNamespace()).withLabel(Labels.PROJECT, k.getSpec().getProject()).list()
            .getItems().stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build(), context));
  }

  @Override
  public UpdateControl<ApiKey> reconcile(ApiKey key, Context<ApiKey> context) {
    Instant now = clock.instant();
    Long gen = key.getMetadata().getGeneration();
    ApiKeyStatus previous = key.getStatus() == null ? new ApiKeyStatus() : key.getStatus();
    ApiKeyStatus next = new ApiKeyStatus();
    next.setObservedGeneration(gen);
    Condition ready;
    keysRole.bindIn(key.getMetadata().getNamespace());
    Secret secret = client.secrets().inNamespace(key.getMetadata().getNamespace()).withName(key.getMetadata().getName()).get();
    if (secret != null && !ownedBy(secret, key)) {
      ready = Conditions.of("Ready", false, "SecretConflict", "Secret " + key.getMetadata().getName() + " exists and is not "
          + "this key's: the key is written once into a Secret of its own; rename the ApiKey or delete that Secret", gen);
    } else {
      if (secret == null) {
        secret = client.resource(keySecret(key)).create();
      }
      Map<String, String> data = SecretData.decode(secret);
      next.setKeyId(data.get(KEY_ID));
      next.setKeyHash(ProjectKeys.sha256(data.get(KEY)));
      next.setInstances(context.getSecondaryResources(ServiceInstance.class).stream()
          .filter(si -> ProjectKeys.reaches(key, si, now)).map(si -> si.getMetadata().getName()).sorted().toList());
      ready = ProjectKeys.expired(key, now)
          ? Conditions.of("Ready", false, "Expired", "expired at " + key.getSpec().getExpiresAt() + ": no instance accepts it; "
              + "delete it, or make a new ApiKey", gen)
          : Conditions.of("Ready", true, "Active", "accepted by " + next.getInstances().size() + " instance"
              + (next.getInstances().size() == 1 ? "" : "s") + "; the key is in Secret " + key.getMetadata().getName()
              + " (key \"" + KEY + "\")", gen);
    }
    next.setConditions(Conditions.merge(previous.getConditions(), List.of(ready), now));
    UpdateControl<ApiKey> control;
    if (next.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      key.setStatus(next);
      control = UpdateControl.patchStatus(key);
    }
    var expiry = ProjectKeys.expiry(key).filter(now::isBefore);
    return expiry.isPresent() ? control.rescheduleAfter(Duration.between(now, expiry.get()).plusSeconds(1)) : control;
  }

  private Secret keySecret(ApiKey key) {
    String plain = ProjectKeys.newKey(random);
    return new SecretBuilder().withNewMetadata().withName(key.getMetadata().getName())
        .withNamespace(key.getMetadata().getNamespace())
        .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.PROJECT, key.getSpec().getProject()))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(key.getApiVersion()).withKind(key.getKind())
            .withName(key.getMetadata().getName()).withUid(key.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withType("Opaque")
        .withStringData(Map.of(KEY, plain, KEY_ID, "key-" + InstanceNames.shortHash(key.getMetadata().getUid(), 10)))
        .build();
  }

  private static boolean ownedBy(Secret s, ApiKey key) {
    return s.getMetadata().getOwnerReferences().stream().anyMatch(o -> Objects.equals(o.getUid(), key.getMetadata().getUid()));
  }
}
