package store.code.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import store.code.api.InstanceEndpoint;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeyStatus;

/**
 * The instance page and its query panel over HTTP: the operator's words, the runtime's log with errors first and by
 * request, a log RBAC hides said on the page, and queries forwarded through the API server's service proxy with the
 * person's token and the key they chose (and refused, with who refused, when something is missing).
 */
@QuarkusTest
@QuarkusTestResource(MockApiServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstancePagesTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String PAGE = "/projects/acme/webshop/instances/webshop-cart-dev";
  static final String LOG = "/api/v1/namespaces/" + World.DEV_NAMESPACE + "/pods/runtime-7d9f-x1/log";
  static final String PROXY = "/api/v1/namespaces/" + World.DEV_NAMESPACE + "/services/http:runtime:8080/proxy/graphql";

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  void world() {
    var c = MockApiServer.server.createClient();
    World.make(c);
    c.resource(new PodBuilder().withNewMetadata().withNamespace(World.DEV_NAMESPACE).withName("runtime-7d9f-x1")
        .withLabels(Map.of(Labels.APP_NAME, Labels.RUNTIME_APP)).endMetadata().build()).create();
    // webshop-ci is accepted by the dev instance; its Secret holds the key
    ApiKey ci = c.resources(ApiKey.class).inNamespace("acme").withName("webshop-ci").get();
    ci.setStatus(new ApiKeyStatus());
    ci.getStatus().getInstances().add("webshop-cart-dev");
    c.resource(ci).updateStatus();
    c.resource(new SecretBuilder().withNewMetadata().withNamespace("acme").withName("webshop-ci").endMetadata()
        .addToStringData(ApiKey.SECRET_KEY, "cs_the-ci-key").build()).create();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> query(String json, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + PAGE + "/graphql"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static final String LINES = String.join("\n",
      "2026-11-02T10:00:00Z {\"loggerName\":\"codestore.operation\",\"level\":\"INFO\",\"message\":\"query Carts 12 ms\","
          + "\"mdc\":{\"requestId\":\"r-1\"}}",
      "2026-11-02T10:00:01Z {\"loggerName\":\"store.code.runtime.X\",\"level\":\"ERROR\",\"message\":\"boom\","
          + "\"mdc\":{\"requestId\":\"r-2\"}}",
      "2026-11-02T10:00:02Z {\"loggerName\":\"codestore.operation\",\"level\":\"INFO\",\"message\":\"mutation M 3 ms\","
          + "\"mdc\":{\"requestId\":\"r-2\"}}") + "\n";

  @Test
  void theInstancePageShowsTheOperatorsWordsAndTheLogErrorsFirst() throws Exception {
    AtomicReference<String> asked = new AtomicReference<>();
    MockApiServer.server.expect().get().withPath(LOG + "?pretty=false&container=runtime&sinceSeconds=900&timestamps=true")
        .andReply(200, r -> {
          asked.set(r.getHeader("Authorization"));
          return LINES;
        }).always();
    var page = get(PAGE, "token-of-ann");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    String body = page.body();
    assertThat(asked.get()).as(body).isEqualTo("Bearer token-of-ann");
    assertThat(body).contains("http://runtime." + World.DEV_NAMESPACE + ".svc:8080/graphql").contains(">serving<")
        .contains("<strong>cart</strong> in <strong>dev</strong>").contains("<option>webshop-ci</option>");
    String errors = body.substring(body.indexOf("id=\"errors\""), body.indexOf("Every line"));
    assertThat(errors).contains("ERROR [X] boom").doesNotContain("query Carts");
    assertThat(body.indexOf("ERROR [X] boom")).as("errors before every line").isLessThan(body.indexOf("query Carts 12 ms"));

    var oneRequest = get(PAGE + "?requestId=r-2", "token-of-ann");
    assertThat(oneRequest.body()).contains("mutation M 3 ms").contains("boom").doesNotContain("query Carts 12 ms");

    MockApiServer.server.expect().get().withPath(LOG + "?pretty=false&container=runtime&sinceSeconds=3600&timestamps=true")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("pods \"runtime-7d9f-x1\""
            + " is forbidden: User \"bob\" cannot get resource \"pods/log\"").build()).always();
    var noLog = get(PAGE + "?since=1h", "token-of-bob");
    assertThat(noLog.statusCode()).as("the rest of the page still shows").isEqualTo(200);
    assertThat(noLog.body()).contains("id=\"log-problem\"").contains("does not let you read this instance")
        .doesNotContain("boom");
  }

  @Test
  void badAddressesAndAnotherProjectsInstanceAreRefused() throws Exception {
    var bad = get(PAGE + "?since=forever", "token-of-ann");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("since &quot;forever&quot; is not one of 5m, 15m, 1h, 6h, 24h");
    assertThat(get("/projects/acme/other/instances/webshop-cart-dev", "token-of-ann").statusCode())
        .as("an instance of another project under this one's address is not there").isEqualTo(404);
    assertThat(get("/projects/acme/webshop/instances/Web_Shop", "token-of-ann").statusCode()).isEqualTo(400);
    assertThat(get(PAGE, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aQueryGoesThroughTheApiServerWithThePersonsTokenAndTheChosenKey() throws Exception {
    AtomicReference<String> token = new AtomicReference<>();
    AtomicReference<String> key = new AtomicReference<>();
    AtomicReference<String> sent = new AtomicReference<>();
    MockApiServer.server.expect().post().withPath(PROXY).andReply(200, r -> {
      token.set(r.getHeader("Authorization"));
      key.set(r.getHeader(InstanceEndpoint.KEY_HEADER));
      sent.set(r.getBody().readUtf8());
      return "{\"data\":{\"carts\":[]}}";
    }).always();
    var byName = query("{\"query\":\"{ carts { id } }\",\"variables\":{\"n\":1},\"keyName\":\"webshop-ci\"}", "token-of-ann");
    assertThat(byName.statusCode()).as(byName.body()).isEqualTo(200);
    assertThat(byName.body()).isEqualTo("{\"data\":{\"carts\":[]}}");
    assertThat(byName.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(token.get()).isEqualTo("Bearer token-of-ann");
    assertThat(key.get()).isEqualTo("cs_the-ci-key");
    assertThat(sent.get()).contains("\"query\":\"{ carts { id } }\"").contains("\"variables\":{\"n\":1}");

    var pasted = query("{\"query\":\"{ carts { id } }\",\"key\":\"cs_pasted\",\"keyName\":\"webshop-ci\"}", "token-of-ann");
    assertThat(pasted.statusCode()).isEqualTo(200);
    assertThat(key.get()).as("a pasted key wins").isEqualTo("cs_pasted");
  }

  @Test
  void aQueryThatCannotGoSaysWhoRefusedIt() throws Exception {
    assertError(query("not json", "token-of-ann"), 400, "is not JSON");
    assertError(query("{\"query\":\"  \",\"keyName\":\"webshop-ci\"}", "token-of-ann"), 400, "no query");
    assertError(query("{\"query\":\"{ a }\"}", "token-of-ann"), 400, "choose a key");
    assertError(query("{\"query\":\"{ a }\",\"keyName\":\"someone-elses\"}", "token-of-ann"), 400, "has no key someone-elses");
    MockApiServer.server.expect().get().withPath("/api/v1/namespaces/acme/secrets/webshop-ci")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("secrets is forbidden")
            .build()).once();
    assertError(query("{\"query\":\"{ a }\",\"keyName\":\"webshop-ci\"}", "token-of-carol"), 403,
        "does not let you read the Secret of key webshop-ci");
    var notServing = HTTP.send(HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "")
        + "/projects/acme/webshop/instances/webshop-cart-prod/graphql")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer token-of-ann")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ a }\",\"key\":\"k\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(notServing, 409, "does not serve yet");
    var crossSite = HTTP.send(HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + PAGE + "/graphql"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer token-of-ann")
        .header("Origin", "https://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ a }\",\"key\":\"k\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(crossSite.statusCode()).isEqualTo(403);
  }

  @Test
  void whatTheApiServerSaysInTheRuntimesPlaceIsSaidAsItsOwn() throws Exception {
    String path = "/api/v1/namespaces/cs-acme-webshop-cart-other/services/http:runtime:8080/proxy/graphql";
    var c = MockApiServer.server.createClient();
    var other = World.instance("other", store.code.api.v1alpha1.Phase.Ready, "1.0.0",
        World.condition("Ready", true, "Ready", "serving"));
    other.getStatus().setTargetNamespace("cs-acme-webshop-cart-other");
    other.getStatus().setEndpoint("http://runtime.cs-acme-webshop-cart-other.svc:8080/graphql");
    c.resource(other).create();
    MockApiServer.server.expect().post().withPath(path).andReturn(403, "services \"http:runtime:8080\" is forbidden: "
        + "User \"bob\" cannot get resource \"services/proxy\"").once();
    var toOther = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "")
        + "/projects/acme/webshop/instances/webshop-cart-other/graphql")).header("Content-Type", "application/json")
        .header("Authorization", "Bearer token-of-bob")
        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ a }\",\"key\":\"k\"}")).build();
    assertError(HTTP.send(toOther, HttpResponse.BodyHandlers.ofString()), 403,
        "does not let you call services in cs-acme-webshop-cart-other (services/proxy)");
    // the API server in the runtime's place (no pod behind the Service): its Status, not passed off as the runtime's
    MockApiServer.server.expect().post().withPath(path).andReturn(404, new StatusBuilder().withCode(404)
        .withReason("NotFound").withMessage("endpoints \"runtime\" not found").build()).once();
    assertError(HTTP.send(toOther, HttpResponse.BodyHandlers.ofString()), 502,
        "the API server answered 404 in place of webshop-cart-other: endpoints \\\"runtime\\\" not found");
  }

  static void assertError(HttpResponse<String> r, int status, String said) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).startsWith("{\"errors\":[").contains(said);
  }
}
