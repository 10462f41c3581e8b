package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.ApiKeyStatus;

/**
 * query with no key given and none readable: it makes a short-lived key of that environment and service, waits for
 * the operator (played here) to make and hand it over, and asks again while the instance does not know it yet; whoever
 * may not create ApiKeys is told what to do instead.
 */
@EnableKubernetesMockClient(crud = true)
class QueryKeyTest {
  static final String PROXY = QueryCommandTest.PROXY;
  static final Instant NOW = Instant.parse("2026-11-20T10:15:30.250Z");
  KubernetesMockServer server;
  KubernetesClient client;

  Clients clients() {
    return Run.clientsLike(client);
  }

  void instance() {
    client.resource(QueryCommandTest.devCart()).create();
  }

  ApiKey key(String name, String expiresAt, Map<String, String> labels) {
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName(name).withLabels(labels).build());
    k.setSpec(new ApiKeySpec());
    k.getSpec().setProject("webshop");
    k.getSpec().setExpiresAt(expiresAt);
    return client.resource(k).create();
  }

  @Test
  void aKeyOfThisEnvironmentAndServiceIsMadeForAnHour() throws Exception {
    instance();
    key("webshop-query-0ld000", "2026-11-20T09:00:00Z", Map.of(Labels.MANAGED_BY, "codestore-cli"));
    key("webshop-ci", "2026-11-20T09:00:00Z", Map.of());
    // a key whose Secret this user may not read: passed over, not an error
    ApiKey unreadable = key("webshop-admin", null, Map.of());
    unreadable.setStatus(new ApiKeyStatus());
    unreadable.getStatus().setInstances(List.of("webshop-cart-dev"));
    client.resource(unreadable).update();
    server.expect().get().withPath("/api/v1/namespaces/acme/secrets/webshop-admin")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("secrets is forbidden").build())
        .always();
    // plays the operator: the new key into a Secret owned by it, then the instances it reaches into its status
    Thread operator = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        for (ApiKey k : client.resources(ApiKey.class).inNamespace("acme").withLabel(Labels.MANAGED_BY, "codestore-cli")
            .list().getItems()) {
          String name = k.getMetadata().getName();
          if (k.getStatus() == null && !name.equals("webshop-query-0ld000")) {
            client.resource(Run.keySecret(k, Map.of("key", "csk_made_for_query"))).create();
            k.setStatus(new ApiKeyStatus());
            k.getStatus().setInstances(List.of("webshop-cart-dev"));
            client.resource(k).update();
            return;
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    operator.start();
    // the instance's pods learn of the key a moment after the operator lists it: the first answer is a 401
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<String> presented = new AtomicReference<>();
    server.expect().post().withPath(PROXY).andReply(401, r -> "{\"errors\":[{\"message\":\"unknown key\"}]}").once();
    server.expect().post().withPath(PROXY).andReply(200, r -> {
      calls.incrementAndGet();
      presented.set(r.getHeader("X-Codestore-Key"));
      return "{\"data\":{\"carts\":{\"totalCount\":0}}}";
    }).always();

    Run r = Run.at(Clock.fixed(NOW, ZoneOffset.UTC), clients(), "query", "webshop/cart", "{ carts { totalCount } }",
        "--env", "dev", "-n", "acme");
    operator.join();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("{\"data\":{\"carts\":{\"totalCount\":0}}}\n");
    assertThat(presented.get()).isEqualTo("csk_made_for_query");
    assertThat(calls.get()).isEqualTo(1);
    ApiKey made = client.resources(ApiKey.class).inNamespace("acme").withLabel(Labels.MANAGED_BY, "codestore-cli").list()
        .getItems().stream().filter(k -> k.getStatus() != null).findFirst().orElseThrow();
    assertThat(made.getMetadata().getName()).matches("webshop-query-[0-9a-f]{6}");
    assertThat(made.getSpec().getEnvironments()).containsExactly("dev");
    assertThat(made.getSpec().getServices()).containsExactly("cart");
    assertThat(made.getSpec().getExpiresAt()).isEqualTo("2026-11-20T11:15:30Z");
    assertThat(r.err()).contains("made ApiKey " + made.getMetadata().getName()).contains("valid until 2026-11-20T11:15:30Z");
    assertThat(r.out()).doesNotContain("csk_");
    // the CLI's own expired key is gone; a person's expired key is theirs to delete
    assertThat(client.resources(ApiKey.class).inNamespace("acme").withName("webshop-query-0ld000").get()).isNull();
    assertThat(client.resources(ApiKey.class).inNamespace("acme").withName("webshop-ci").get()).isNotNull();
  }

  @Test
  void whoMayNotCreateKeysIsToldToGiveOne() {
    instance();
    server.expect().post().withPath("/apis/code.store/v1alpha1/namespaces/acme/apikeys").andReturn(403,
        new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("apikeys.code.store is forbidden").build())
        .always();
    Run r = Run.of(clients(), "query", "webshop/cart", "{ carts { totalCount } }", "--env", "dev", "-n", "acme");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("may not create one (RBAC: apikeys): give --key (or CODESTORE_KEY)");
    assertThat(client.resources(ApiKey.class).inNamespace("acme").list().getItems()).isEmpty();
  }
}
