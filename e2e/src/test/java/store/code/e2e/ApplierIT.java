package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Labels;
import store.code.operator.support.Applier;
import store.code.operator.support.Events;

/**
 * What the operator's Applier reads and writes, request by request, on a real API server: the same desired state is
 * written once; within {@link Applier#MEMORY} a remembered kind is neither read nor written again (a provisioning
 * burst's passes); past it, it is read again, and a deleted object is put back; other kinds are read on every apply.
 * (Reading from informer caches, and what a miss means there, runs with the operator in PlatformIT and NodeE2E.)
 * Beside it, the other writer in support/: an Event said again is the same Event counted again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplierIT {
  KubeCluster cluster;
  KubernetesClient client;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  Applier applier;
  int test;
  String namespace;

  @BeforeAll
  void start() {
    cluster = new KubeCluster();
    client = cluster.adminSeeing(r -> requests.add(r.method() + " " + r.uri().getPath()));
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void fresh() {
    namespace = "cs-applier-" + (++test);
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
        .build()).create();
    applier = new Applier(client, now::get);
    applier.remembering(ResourceQuota.class);
    requests.clear();
  }

  ResourceQuota quota(String cpu) {
    return new ResourceQuotaBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("quota")
        .build()).withNewSpec().addToHard("limits.cpu", new Quantity(cpu)).endSpec().build();
  }

  ServiceAccount account() {
    return new ServiceAccountBuilder().withMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("runtime")
        .build()).build();
  }

  /** The requests sent since the last call, as "METHOD path". */
  List<String> sent() {
    List<String> out = List.copyOf(requests);
    requests.clear();
    return out;
  }

  @Test
  void aRememberedKindIsNeitherReadNorWrittenAgainWithinTheMemoryAndReadAgainPastIt() {
    String path = "/api/v1/namespaces/" + namespace + "/resourcequotas/quota";
    applier.apply(quota("2"));
    assertThat(sent()).as("a read that finds nothing, then the apply").containsExactly("GET " + path, "PATCH " + path);
    assertThat(cluster.admin.resourceQuotas().inNamespace(namespace).withName("quota").get().getMetadata()
        .getAnnotations()).containsKey(Labels.APPLIED_HASH_ANNOTATION);

    applier.apply(quota("2"));
    assertThat(sent()).as("the same state within the memory: nothing asked").isEmpty();
    applier.apply(quota("4"));
    assertThat(sent()).as("another state: read, then written").containsExactly("GET " + path, "PATCH " + path);

    // deleted by hand: not seen within the memory, put back by the first pass past it
    cluster.admin.resourceQuotas().inNamespace(namespace).withName("quota").delete();
    applier.apply(quota("4"));
    assertThat(sent()).isEmpty();
    now.addAndGet(Applier.MEMORY.toNanos());
    applier.apply(quota("4"));
    assertThat(sent()).containsExactly("GET " + path, "PATCH " + path);
    assertThat(cluster.admin.resourceQuotas().inNamespace(namespace).withName("quota").get()).as("put back").isNotNull();

    // past the memory and unchanged on the server: read, not written
    now.addAndGet(Applier.MEMORY.toNanos());
    applier.apply(quota("4"));
    assertThat(sent()).containsExactly("GET " + path);
  }

  @Test
  void otherKindsAreReadOnEveryApplyAndWrittenOnlyWhenTheirStateChanges() {
    String path = "/api/v1/namespaces/" + namespace + "/serviceaccounts/runtime";
    applier.apply(account());
    assertThat(sent()).containsExactly("GET " + path, "PATCH " + path);
    applier.apply(account());
    assertThat(sent()).as("read, not written").containsExactly("GET " + path);
    cluster.admin.serviceAccounts().inNamespace(namespace).withName("runtime").delete();
    applier.apply(account());
    assertThat(sent()).as("put back at once").containsExactly("GET " + path, "PATCH " + path);
  }

  @Test
  void whatWasSeenAbsentIsNotLookedForAgainWithinTheMemory() {
    ResourceQuota key = quota("1");
    assertThat(applier.mayExist(key)).isTrue();
    applier.rememberAbsent(key);
    assertThat(applier.mayExist(key)).isFalse();
    now.addAndGet(Applier.MEMORY.toNanos());
    assertThat(applier.mayExist(key)).as("past the memory: look again").isTrue();
    applier.rememberAbsent(key);
    applier.apply(key);
    assertThat(applier.mayExist(key)).as("applied since").isTrue();
    ServiceAccount other = account();
    applier.rememberAbsent(other);
    assertThat(applier.mayExist(other)).as("a kind that is not remembered is always looked for").isTrue();
  }

  @Test
  void inANamespaceJustCreatedARememberedKindIsWrittenWithoutReadingAndOldMemoriesOfThatNameAreForgotten() {
    String path = "/api/v1/namespaces/" + namespace + "/resourcequotas/quota";
    applier.apply(quota("2"));
    assertThat(sent()).containsExactly("GET " + path, "PATCH " + path);

    // the namespace deleted and made again under the same name: what was applied in the old one is not there
    cluster.admin.resourceQuotas().inNamespace(namespace).withName("quota").delete();
    applier.namespaceCreated(namespace);
    assertThat(applier.mayExist(quota("2"))).as("nothing of it in a namespace just made").isFalse();
    applier.apply(quota("2"));
    assertThat(sent()).as("not taken for applied, and not read: written").containsExactly("PATCH " + path);
    assertThat(applier.mayExist(quota("2"))).as("applied since").isTrue();
    assertThat(cluster.admin.resourceQuotas().inNamespace(namespace).withName("quota").get()).isNotNull();
    applier.apply(quota("2"));
    assertThat(sent()).as("then remembered as before").isEmpty();
    applier.apply(quota("3"));
    assertThat(sent()).as("a change in the new namespace: written without a read").containsExactly("PATCH " + path);

    String accounts = "/api/v1/namespaces/" + namespace + "/serviceaccounts/runtime";
    applier.apply(account());
    assertThat(sent()).as("a kind that is not remembered is read as always").containsExactly("GET " + accounts,
        "PATCH " + accounts);

    now.addAndGet(Applier.MEMORY.toNanos());
    applier.apply(quota("3"));
    assertThat(sent()).as("past the memory the namespace is no news: read, and unchanged").containsExactly("GET " + path);
  }

  @Test
  void anEventSaidAgainIsTheSameEventCountedAgainAndANewOneIsCreatedWithoutAReadFirst() {
    var clock = java.time.Clock.fixed(java.time.Instant.parse("2026-03-01T10:00:00Z"), java.time.ZoneOffset.UTC);
    Events events = new Events(client, clock);
    ServiceAccount about = cluster.admin.serviceAccounts().resource(account()).create();
    String path = "/api/v1/namespaces/" + namespace + "/events";
    requests.clear();

    events.warning(about, "Broken", "it broke");
    assertThat(sent()).as("created at once").containsExactly("POST " + path);
    events.warning(about, "Broken", "it broke");
    events.warning(about, "Broken", "it broke");
    events.normal(about, "Fixed", "it works");
    var seen = cluster.admin.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getUid().equals(about.getMetadata().getUid()))
        .map(e -> e.getType() + " " + e.getReason() + " x" + e.getCount()).toList();
    assertThat(seen).containsExactlyInAnyOrder("Warning Broken x3", "Normal Fixed x1");
  }
}
