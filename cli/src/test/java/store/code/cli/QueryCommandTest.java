package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.ApiKeyStatus;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceInstanceStatus;

/** query goes through the API server's service proxy with the key in X-Codestore-Key (a real node: NodeE2E). */
@EnableKubernetesMockClient
class QueryCommandTest {
  static final String PROXY = "/api/v1/namespaces/cs-acme-webshop-cart-dev-1/services/http:runtime:8080/proxy/graphql";
  KubernetesMockServer server;
  KubernetesClient client;

  Clients clients() {
    return Run.clientsLike(client);
  }

  /** acme's webshop-cart-dev, serving in namespace cs-acme-webshop-cart-dev-1. */
  static ServiceInstance devCart() {
    ServiceInstance i = new ServiceInstance();
    i.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-cart-dev").build());
    i.setSpec(new ServiceInstanceSpec());
    i.setStatus(new ServiceInstanceStatus());
    i.getStatus().setTargetNamespace("cs-acme-webshop-cart-dev-1");
    i.getStatus().setEndpoint("http://runtime.cs-acme-webshop-cart-dev-1.svc:8080/graphql");
    return i;
  }

  void instance() {
    server.expect().get().withPath("/apis/code.store/v1alpha1/namespaces/acme/serviceinstances/webshop-cart-dev")
        .andReturn(200, devCart()).always();
  }

  @Test
  void theRequestGoesThroughTheProxyWithTheProjectsKey() {
    instance();
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-key").build());
    k.setSpec(new ApiKeySpec());
    k.setStatus(new ApiKeyStatus());
    k.getStatus().setInstances(List.of("webshop-cart-dev"));
    server.expect().get().withPath("/apis/code.store/v1alpha1/namespaces/acme/apikeys")
        .andReturn(200, "{\"apiVersion\":\"code.store/v1alpha1\",\"kind\":\"ApiKeyList\",\"items\":["
            + io.fabric8.kubernetes.client.utils.Serialization.asJson(k) + "]}").always();
    server.expect().get().withPath("/api/v1/namespaces/acme/secrets/webshop-key").andReturn(200, new SecretBuilder()
        .withNewMetadata().withName("webshop-key").endMetadata().addToData("key", SecretData.encode("csk_from_secret"))
        .build()).always();
    AtomicReference<String> key = new AtomicReference<>();
    AtomicReference<String> body = new AtomicReference<>();
    server.expect().post().withPath(PROXY).andReply(200, request -> {
      key.set(request.getHeader("X-Codestore-Key"));
      body.set(request.getBody().readUtf8());
      return "{\"data\":{\"carts\":{\"totalCount\":2}}}";
    }).always();

    Run r = Run.of(clients(), "query", "webshop/cart", "{ carts { totalCount } }", "--env", "dev", "-n", "acme");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("{\"data\":{\"carts\":{\"totalCount\":2}}}\n");
    assertThat(key.get()).isEqualTo("csk_from_secret");
    assertThat(body.get()).isEqualTo("{\"query\":\"{ carts { totalCount } }\"}");

    Run given = Run.of(clients(), "query", "webshop/cart", "query($n: Int) { carts(first: $n) { totalCount } }",
        "--variables", "{\"n\": 1}", "--key", "csk_given", "--env", "dev", "-n", "acme");
    assertThat(given.exit()).as(given.err()).isZero();
    assertThat(key.get()).isEqualTo("csk_given");
    assertThat(body.get()).contains("\"variables\":{\"n\":1}");

    assertThat(Run.of(clients(), "query", "webshop/cart", "{ x }", "--variables", "[1", "--env", "dev", "-n", "acme")
        .err()).contains("--variables is not a JSON object");
  }
}
