package store.code.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.Project;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The pages over HTTP, as a browser or a script reaches them: every API call carries the person's token and nothing
 * else; no token, a refused token and an RBAC denial are pages that say so (401, 403) and show nothing of the data.
 */
@QuarkusTest
@QuarkusTestResource(MockApiServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagesTest {
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  void world() {
    World.make(MockApiServer.server.createClient());
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pagesShowWhatTheTokensIdentityReadsWithThatTokenOnly() throws Exception {
    AtomicReference<String> presented = new AtomicReference<>();
    var webshop = MockApiServer.server.createClient().resources(store.code.api.v1alpha1.Project.class)
        .inNamespace("acme").withName("webshop").get();
    MockApiServer.server.expect().get().withPath("/apis/code.store/v1alpha1/namespaces/acme/projects/webshop")
        .andReply(200, r -> {
          presented.set(r.getHeader("Authorization"));
          return webshop;
        }).always();
    var project = get("/projects/acme/webshop", "token-of-ann");
    assertThat(project.statusCode()).isEqualTo(200);
    assertThat(presented.get()).isEqualTo("Bearer token-of-ann");
    assertThat(project.body()).contains("data-instance=\"webshop-cart-prod\"").contains("SchemaChangeRefused")
        .contains("webshop-ci").contains("2.001234 EUR").contains("Bill of 2026-11");

    var market = get("/marketplace?namespace=globex", "token-of-ann");
    assertThat(market.statusCode()).isEqualTo(200);
    assertThat(market.body()).contains("/services/acme-makers/shopping-cart").contains("2.00 EUR/month")
        .doesNotContain("meeting-rooms").doesNotContain("payroll");

    var service = get("/services/acme-makers/broken", "token-of-ann");
    assertThat(service.body()).contains("id=\"L2\"").contains("line 2, column 14: syntax error").contains("(1 error)").contains("SchemaInvalid");
  }

  @Test
  void aNamespacesListsAndAPastMonthsBill() throws Exception {
    var services = get("/services/acme-makers", "token-of-ann");
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body()).contains("/services/acme-makers/broken").contains("SchemaInvalid");
    var projects = get("/projects/acme", "token-of-ann");
    assertThat(projects.statusCode()).isEqualTo(200);
    assertThat(projects.body()).contains("/projects/acme/webshop");
    var october = get("/projects/acme/webshop?month=2026-10", "token-of-ann");
    assertThat(october.statusCode()).isEqualTo(200);
    assertThat(october.body()).contains("Bill of 2026-10").contains("2.000099 EUR").doesNotContain("2.001234 EUR")
        .contains("?month=2026-11");
    var words = get("/projects/acme/webshop?month=October", "token-of-ann");
    assertThat(words.statusCode()).isEqualTo(400);
    assertThat(words.body()).contains("month &quot;October&quot; is not a month like 2026-11");
  }

  @Test
  void withoutATokenOrWithARefusedOneThePageAsksToSignIn() throws Exception {
    var none = get("/projects/acme/webshop", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("sign in with a token first").doesNotContain("webshop-cart");
    MockApiServer.server.expect().get().withPath("/apis/code.store/v1alpha1/namespaces/acme/usagereports")
        .andReturn(401, new StatusBuilder().withCode(401).withReason("Unauthorized").withMessage("Unauthorized").build())
        .once();
    var refused = get("/projects/acme/webshop", "an-expired-token");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("did not accept your token").doesNotContain("webshop-cart").doesNotContain("2.001234");
  }

  @Test
  void whatRbacDeniesIsAPageThatSaysSoAndShowsNothing() throws Exception {
    MockApiServer.server.expect().get().withPath("/apis/code.store/v1alpha1/namespaces/globex/projects/intranet")
        .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("projects.code.store "
            + "\"intranet\" is forbidden: User \"ann\" cannot get resource \"projects\" in API group \"code.store\" in "
            + "the namespace \"globex\"").build()).always();
    var denied = get("/projects/globex/intranet", "token-of-ann");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("Kubernetes RBAC does not let you see this")
        .contains("cannot get resource &quot;projects&quot;").doesNotContain("intranet-");
    var missing = get("/projects/acme/nope", "token-of-ann");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void badAddressesAreRefusedBeforeTheApiServerIsAsked() throws Exception {
    var bad = get("/projects/acme/Not_A_Name", "token-of-ann");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("project &quot;Not_A_Name&quot; is not a Kubernetes name");
    assertThat(get("/marketplace?namespace=..%2Fsecrets", "token-of-ann").statusCode()).isEqualTo(400);
    assertThat(get("/nowhere", "token-of-ann").statusCode()).isEqualTo(404);
  }

  static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

  HttpResponse<String> signIn(String form) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(root + "sign-in"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signingInChecksTheTokenAndKeepsItInAnHttpOnlyCookie() throws Exception {
    // what the API server says to a SelfSubjectAccessReview: a token it knows may ask (201), another is refused (401)
    AtomicReference<String> asked = new AtomicReference<>();
    MockApiServer.server.expect().post().withPath(REVIEWS).andReply(201, r -> {
      asked.set(r.getHeader("Authorization"));
      return "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\",\"spec\":{},"
          + "\"status\":{\"allowed\":true}}";
    }).once();
    MockApiServer.server.expect().post().withPath(REVIEWS).andReturn(401, new StatusBuilder().withCode(401)
        .withReason("Unauthorized").withMessage("Unauthorized").build()).once();
    var form = get("/sign-in", null);
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("name=\"token\"").contains(MockApiServer.server.url("/").replaceAll("/$", ""));
    var in = signIn("token=token-of-ann&namespace=acme");
    assertThat(in.statusCode()).isEqualTo(303);
    assertThat(asked.get()).isEqualTo("Bearer token-of-ann");
    assertThat(in.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/marketplace?namespace=acme"));
    String cookie = in.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith(Person.COOKIE + "=token-of-ann").containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict");
    var page = HTTP.send(HttpRequest.newBuilder(URI.create(root + "marketplace?namespace=acme"))
        .header("Cookie", Person.COOKIE + "=token-of-ann").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("meeting-rooms");

    var refused = signIn("token=a-guess");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("did not accept this token");
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    var badNamespace = signIn("token=token-of-ann&namespace=acme%0D%0ASet-Cookie%3A+x%3Dy");
    assertThat(badNamespace.statusCode()).isEqualTo(400);
    assertThat(badNamespace.headers().firstValue("Set-Cookie")).isEmpty();
    var empty = signIn("token=");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.headers().firstValue("Set-Cookie")).isEmpty();
  }

  HttpResponse<String> post(String path, String form, String token, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  Project shop() {
    return MockApiServer.server.createClient().resources(Project.class).inNamespace("acme").withName("shop").get();
  }

  @Test
  void aServiceIsAddedAndPromotedFromTheProjectPageAndBadInputChangesNothing() throws Exception {
    var c = MockApiServer.server.createClient();
    c.resource(project("shop", "dev", "prod")).create();
    String self = root.toString().replaceAll("/$", "");

    var added = post("/projects/acme/shop/services", "alias=cart&service=acme-makers%2Fshopping-cart&version=1.x",
        "token-of-ann", self);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
    assertThat(added.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/projects/acme/shop"));
    assertThat(shop().getSpec().getServices()).singleElement().satisfies(u -> {
      assertThat(u.getName()).isEqualTo("cart");
      assertThat(u.getServiceRef().getNamespace()).isEqualTo("acme-makers");
      assertThat(u.getVersion()).isEqualTo("1.x");
    });
    var promoted = post("/projects/acme/shop/promote", "alias=cart&environment=prod&version=1.0.0", "token-of-ann", null);
    assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(303);
    assertThat(shop().getSpec().getServices().get(0).getEnvironments().get("prod").getVersion()).isEqualTo("1.0.0");

    var before = shop().getSpec();
    assertRefused(post("/projects/acme/shop/services", "alias=rooms&service=acme-makers%2Fmeeting-rooms&version=1.x.y",
        "token-of-ann", null), 400, "version");
    assertRefused(post("/projects/acme/shop/services", "alias=cart&service=acme-makers%2Fmeeting-rooms",
        "token-of-ann", null), 400, "already has a service named cart");
    assertRefused(post("/projects/acme/shop/services", "alias=pay&service=acme-makers%2Fpayroll", "token-of-ann", null),
        400, "is Private and not shared with namespace acme");
    assertRefused(post("/projects/acme/shop/services", "alias=Bad_Alias&service=acme-makers%2Fmeeting-rooms",
        "token-of-ann", null), 400, "alias &quot;Bad_Alias&quot; is not a lower-case DNS label");
    assertRefused(post("/projects/acme/shop/promote", "alias=cart&environment=qa&version=2.x", "token-of-ann", null),
        400, "has no environment qa");
    assertRefused(post("/projects/acme/shop/promote", "alias=cart&environment=prod&version=", "token-of-ann", null),
        400, "give a range");
    assertRefused(post("/projects/acme/shop/services", "alias=rooms&service=acme-makers%2Fmeeting-rooms",
        "token-of-ann", "https://evil.example"), 403, "changes are made from this console");
    assertRefused(post("/projects/acme/shop/services", "alias=rooms&service=acme-makers%2Fmeeting-rooms", null, null),
        401, "sign in");
    assertThat(shop().getSpec()).as("nothing half-applied").usingRecursiveComparison().isEqualTo(before);
  }

  @Test
  void aServiceIsRemovedAndAKeyRevokedFromTheProjectPageAndOnlyTheProjectsOwn() throws Exception {
    var c = MockApiServer.server.createClient();
    c.resource(project("kiosk", "dev")).create();
    store.code.api.ProjectChanges.addService(c, "acme", "kiosk", "rooms",
        store.code.api.ProjectChanges.serviceRef("acme-makers/meeting-rooms", "acme"), null);
    ApiKey k = new ApiKey();
    k.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace("acme").withName("kiosk-tablet").build());
    k.setSpec(new store.code.api.v1alpha1.ApiKeySpec());
    k.getSpec().setProject("kiosk");
    c.resource(k).create();
    var keys = c.resources(ApiKey.class).inNamespace("acme");

    assertRefused(post("/projects/acme/kiosk/services/nope/remove", "", "token-of-ann", null), 400, "has no service nope");
    assertRefused(post("/projects/acme/kiosk/keys/webshop-ci/revoke", "", "token-of-ann", null), 400,
        "project kiosk has no key webshop-ci");
    assertThat(keys.withName("webshop-ci").get()).as("another project's key stays").isNotNull();
    assertRefused(post("/projects/acme/kiosk/keys/kiosk-tablet/revoke", "", "token-of-ann", "https://evil.example"),
        403, "changes are made from this console");
    assertThat(keys.withName("kiosk-tablet").get()).isNotNull();
    assertRefused(post("/projects/acme/kiosk/keys/Kiosk_Tablet/revoke", "", "token-of-ann", null), 400,
        "is not a Kubernetes name");

    var revoked = post("/projects/acme/kiosk/keys/kiosk-tablet/revoke", "", "token-of-ann", null);
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(303);
    assertThat(keys.withName("kiosk-tablet").get()).isNull();
    var removed = post("/projects/acme/kiosk/services/rooms/remove", "", "token-of-ann", null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(303);
    assertThat(c.resources(Project.class).inNamespace("acme").withName("kiosk").get().getSpec().getServices()).isEmpty();
  }

  @Test
  void aServicePageShowsItsGeneratedApiAndReusesItInAProjectOfThePersonsChoosing() throws Exception {
    var page = get("/services/acme-makers/meeting-rooms", "token-of-ann");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<code>cart(id: ID!): Cart</code>")
        .contains("<code>carts(where: CartWhere, orderBy: [CartOrderBy!], first: Int, after: String): CartConnection!</code>")
        .contains("<code>createCart(input: CreateCartInput!): Cart!</code>").contains("id=\"api-sdl\"")
        .contains("action=\"/services/acme-makers/meeting-rooms/reuse\"");
    assertThat(get("/services/acme-makers/broken", "token-of-ann").body()).as("no API from a schema that does not compile")
        .doesNotContain("id=\"api\"").doesNotContain("id=\"reuse\"");

    var c = MockApiServer.server.createClient();
    c.resource(project("lobby", "dev")).create();
    var reused = post("/services/acme-makers/meeting-rooms/reuse", "namespace=acme&project=lobby&alias=rooms&version=1.x",
        "token-of-ann", null);
    assertThat(reused.statusCode()).as(reused.body()).isEqualTo(303);
    assertThat(reused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/projects/acme/lobby"));
    var lobby = c.resources(Project.class).inNamespace("acme").withName("lobby").get().getSpec();
    assertThat(lobby.getServices()).singleElement().satisfies(u -> {
      assertThat(u.getName()).isEqualTo("rooms");
      assertThat(u.getServiceRef().getNamespace()).isEqualTo("acme-makers");
      assertThat(u.getServiceRef().getName()).isEqualTo("meeting-rooms");
      assertThat(u.getVersion()).isEqualTo("1.x");
    });
    assertRefused(post("/services/acme-makers/meeting-rooms/reuse", "namespace=acme&alias=rooms2", "token-of-ann", null),
        400, "project &quot;null&quot; is not a Kubernetes name");
    assertRefused(post("/services/acme-makers/payroll/reuse", "namespace=acme&project=lobby&alias=pay", "token-of-ann",
        null), 400, "is Private and not shared with namespace acme");
    assertThat(c.resources(Project.class).inNamespace("acme").withName("lobby").get().getSpec())
        .as("nothing half-applied").usingRecursiveComparison().isEqualTo(lobby);
  }

  /** An empty project of namespace acme with these environments. */
  static Project project(String name, String... environments) {
    Project p = new Project();
    p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace("acme").withName(name).build());
    p.setSpec(new store.code.api.v1alpha1.ProjectSpec());
    p.getSpec().setEnvironments(new java.util.ArrayList<>(java.util.List.of(environments)));
    return p;
  }

  static void assertRefused(HttpResponse<String> r, int status, String said) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains(said);
  }

  @Test
  void aNewKeyIsShownOnceAndNotCached() throws Exception {
    var c = MockApiServer.server.createClient();
    // plays the operator: the new key into a Secret of its name, owned by it
    Thread operator = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        var keys = c.resources(ApiKey.class).inNamespace("acme").list().getItems().stream()
            .filter(k -> k.getMetadata().getName().startsWith("webshop-key-")).toList();
        if (!keys.isEmpty()) {
          ApiKey k = keys.get(0);
          c.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
              .withName(k.getMetadata().getName()).withNamespace("acme").addNewOwnerReference()
              .withUid(k.getMetadata().getUid()).withName(k.getMetadata().getName()).withKind("ApiKey")
              .withApiVersion("code.store/v1alpha1").endOwnerReference().endMetadata()
              .addToData("key", store.code.api.SecretData.encode("csk_console_made")).build()).create();
          return;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    operator.start();
    var made = post("/projects/acme/webshop/keys", "environment=prod&description=ci", "token-of-ann", null);
    operator.join();
    assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
    assertThat(made.body()).contains("csk_console_made").contains("only time the console shows");
    assertThat(made.headers().firstValue("Cache-Control")).hasValue("no-store");
    ApiKey k = c.resources(ApiKey.class).inNamespace("acme").list().getItems().stream()
        .filter(x -> x.getMetadata().getName().startsWith("webshop-key-")).findFirst().orElseThrow();
    assertThat(k.getSpec().getEnvironments()).containsExactly("prod");
    assertThat(k.getSpec().getDescription()).isEqualTo("ci");
    assertThat(get("/projects/acme/webshop", "token-of-ann").body()).as("listed, never shown again")
        .contains(k.getMetadata().getName()).doesNotContain("csk_console_made");
    assertRefused(post("/projects/acme/webshop/keys", "environment=qa", "token-of-ann", null), 400, "has no environment qa");
  }
}
