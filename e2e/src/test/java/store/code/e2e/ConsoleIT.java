package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;

/**
 * The console in a real browser (Debian's headless chromium, `make browser`) against a real API server with the
 * operator, each person signed in with a ServiceAccount token of their own: ann may edit in acme, bob in globex, and
 * every signed-in user may browse the marketplace (the chart's roles). Screenshots of the main pages go to
 * docs/images/, so the pictures in the docs are what this run saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(DumpOnFailure.class)
class ConsoleIT {
  static final Duration CONVERGE = Duration.ofSeconds(60);

  KubeCluster cluster;
  Process console;
  String url;
  WebDriver browser;
  String annToken;
  String bobToken;

  @BeforeAll
  void start() throws Exception {
    cluster = KubeCluster.withFakeProviders();
    cluster.startOperator(OperatorSettings.defaults());
    cluster.applyExamplesAndAwaitWebshop();
    cluster.applyPeoplesRoles();
    cluster.applyYaml("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: payroll, namespace: acme-makers}
        spec:
          version: 1.0.0
          visibility: Private
          schema: "type Payslip @model { amount: Float! }"
        ---
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: inventory, namespace: acme-makers}
        spec:
          version: 1.0.0
          visibility: Public
          schema: |
            type Item @model {
              sku String!
            }
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: globex}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ann, namespace: acme}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: bob, namespace: globex}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ann, namespace: acme}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: codestore-edit}
        subjects: [{kind: ServiceAccount, name: ann, namespace: acme}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secrets-writer}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list, create, update, patch]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ann-secrets, namespace: acme}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secrets-writer}
        subjects: [{kind: ServiceAccount, name: ann, namespace: acme}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: bob, namespace: globex}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: codestore-edit}
        subjects: [{kind: ServiceAccount, name: bob, namespace: globex}]
        """);
    annToken = token("acme", "ann");
    bobToken = token("globex", "bob");
    startConsole();
    browser = browser();
  }

  /** A token of the ServiceAccount, from the API server's TokenRequest (what `kubectl create token` asks for). */
  String token(String namespace, String serviceAccount) {
    return cluster.admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
  }

  /** The packaged console, as `make console` runs it, pointed at this API server by a kubeconfig (whose credentials it drops). */
  void startConsole() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path jar = KubeCluster.repoRoot().resolve("console/target/quarkus-app/quarkus-run.jar");
    assertThat(jar).as("the console is built before e2e (make build)").exists();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dquarkus.http.port=" + port, "-jar", jar.toString());
    pb.environment().put("KUBECONFIG", cluster.writeKubeconfig().toString());
    pb.redirectErrorStream(true).redirectOutput(Files.createTempFile("console", ".log").toFile());
    console = pb.start();
    url = "http://localhost:" + port;
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
        URI.create(url + "/sign-in")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
  }

  static WebDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
    return new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (console != null) {
      console.destroy();
      console.waitFor(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Submits the sign-in form and waits for the answer: the marketplace, or the form again with why not. */
  void signIn(String token, String namespace) {
    browser.manage().deleteAllCookies();
    browser.get(url + "/sign-in");
    browser.findElement(By.name("token")).sendKeys(token);
    browser.findElement(By.name("namespace")).sendKeys(namespace);
    submit(By.cssSelector("form[action='/sign-in'] button"));
  }

  /** Clicks a form's button and waits until the browser has loaded what the form's POST answered. */
  void submit(By button) {
    WebElement before = browser.findElement(By.tagName("html"));
    browser.findElement(button).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(before));
  }

  void screenshot(String name) throws IOException {
    Path images = KubeCluster.repoRoot().resolve("docs/images");
    Files.createDirectories(images);
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, images.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  List<String> column(String table, int index) {
    List<String> out = new ArrayList<>();
    for (WebElement row : browser.findElements(By.cssSelector("#" + table + " tr"))) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      if (cells.size() > index) {
        out.add(cells.get(index).getText());
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void theMarketplaceShowsAPublicServiceAndHidesAPrivateOne() throws Exception {
    signIn("not-a-token", "acme");
    assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("did not accept this token");
    signIn(annToken, "acme");
    assertThat(browser.getCurrentUrl()).endsWith("/marketplace?namespace=acme");
    assertThat(column("services", 0)).contains("shopping-cart", "meeting-rooms").doesNotContain("payroll");
    screenshot("console-marketplace.png");
    browser.get(url + "/marketplace?namespace=globex");
    assertThat(column("services", 0)).as("meeting-rooms is shared with acme only").contains("shopping-cart")
        .doesNotContain("meeting-rooms", "payroll");
  }

  @Test
  @Order(2)
  void aSchemaErrorIsShownOnItsLine() throws Exception {
    browser.get(url + "/services/acme-makers/inventory");
    await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      browser.navigate().refresh();
      assertThat(browser.findElement(By.id("conditions")).getText()).contains("SchemaInvalid");
    });
    WebElement line = browser.findElement(By.id("L2"));
    assertThat(line.getAttribute("class")).contains("err");
    assertThat(browser.findElement(By.id("schema")).getText()).contains("line 2, column 13: syntax error");
    screenshot("console-service.png");
  }

  @Test
  @Order(3)
  void addingAServiceToAProjectCreatesItsInstancesAndAKeyIsShownOnce() throws Exception {
    browser.get(url + "/projects/acme/webshop");
    browser.findElement(By.cssSelector("#add-service input[name=alias]")).sendKeys("stock");
    browser.findElement(By.cssSelector("#add-service input[name=service]")).sendKeys("acme-makers/shopping-cart");
    submit(By.cssSelector("#add-service button"));
    assertThat(browser.getCurrentUrl()).endsWith("/projects/acme/webshop");
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(cluster.admin.resources(ServiceInstance.class)
        .inNamespace("acme").withName("webshop-stock-prod").get()).isNotNull());
    await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      browser.navigate().refresh();
      assertThat(browser.findElement(By.cssSelector("td[data-instance=webshop-stock-dev]")).getText()).contains("Ready");
      assertThat(browser.findElement(By.cssSelector("td[data-instance=webshop-stock-prod]")).getText()).contains("Ready");
    });
    screenshot("console-project.png");

    new Select(browser.findElement(By.cssSelector("#create-key select[name=environment]"))).selectByVisibleText("prod");
    browser.findElement(By.cssSelector("#create-key input[name=description]")).sendKeys("from the console test");
    submit(By.cssSelector("#create-key button"));
    String shown = browser.findElement(By.id("key")).getText();
    assertThat(shown).startsWith("csk_");
    ApiKey made = cluster.admin.resources(ApiKey.class).inNamespace("acme").list().getItems().stream()
        .filter(k -> "from the console test".equals(k.getSpec().getDescription())).findFirst().orElseThrow();
    assertThat(made.getSpec().getEnvironments()).containsExactly("prod");
    assertThat(SecretData.decode(cluster.admin.secrets().inNamespace("acme").withName(made.getMetadata().getName()).get())
        .get(ApiKey.SECRET_KEY)).isEqualTo(shown);
    browser.get(url + "/projects/acme/webshop");
    assertThat(column("keys", 0)).contains(made.getMetadata().getName());
    assertThat(browser.getPageSource()).as("listed, never shown again").doesNotContain(shown);
  }

  @Test
  @Order(4)
  void theInstancePageAndItsQueryPanelThenAKeyRevokedAndAServiceRemoved() throws Exception {
    browser.get(url + "/projects/acme/webshop");
    String keyName = column("keys", 0).stream().filter(n -> n.startsWith("webshop-key-")).findFirst().orElseThrow();
    WebElement before = browser.findElement(By.tagName("html"));
    browser.findElement(By.cssSelector("td[data-instance=webshop-stock-prod] a")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(before));
    assertThat(browser.getCurrentUrl()).endsWith("/projects/acme/webshop/instances/webshop-stock-prod");
    assertThat(browser.findElement(By.id("phase")).getText()).isEqualTo("Ready");
    assertThat(browser.findElement(By.id("conditions")).getText()).contains("Ready");
    assertThat(browser.findElement(By.id("endpoint")).getText()).contains("/graphql");
    // no controller makes pods here: the log section says so (NodeE2E reads a real pod's log)
    assertThat(browser.findElement(By.id("log-problem")).getText()).contains("No runtime pod runs");
    // the key made above (prod) is one this instance accepts once the operator hands it over
    await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      browser.navigate().refresh();
      assertThat(new Select(browser.findElement(By.id("key-name"))).getOptions()).extracting(WebElement::getText)
          .contains(keyName);
    });
    new Select(browser.findElement(By.id("key-name"))).selectByVisibleText(keyName);
    String target = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("webshop-stock-prod").get()
        .getStatus().getTargetNamespace();
    // the Service is there; its Endpoints are not (no controller-manager here), which the API server reports as a 404
    // worded after the Service ("services \"runtime\" not found"): the resource of the request, not of what is missing
    assertThat(cluster.admin.services().inNamespace(target).withName("runtime").get()).as("the runtime's Service").isNotNull();
    WebElement query = browser.findElement(By.id("query"));
    query.clear();
    query.sendKeys("{ carts { totalCount } }");
    browser.findElement(By.id("run")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.textMatches(By.id("status"), java.util.regex.Pattern.compile("HTTP \\d+")));
    // through the API server with ann's identity, which finds no pod to proxy to here: said as the API server's
    assertThat(browser.findElement(By.id("status")).getText()).startsWith("HTTP 502");
    assertThat(browser.findElement(By.id("answer")).getText())
        .contains("the API server answered 404 in place of webshop-stock-prod");
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
        "document.getElementById('query-panel').previousElementSibling.scrollIntoView()");
    screenshot("console-instance.png");

    browser.get(url + "/projects/acme/webshop");
    confirmAndSubmit(By.cssSelector("form.revoke[action$='/keys/" + keyName + "/revoke'] button"));
    assertThat(column("keys", 0)).doesNotContain(keyName);
    assertThat(cluster.admin.resources(ApiKey.class).inNamespace("acme").withName(keyName).get()).isNull();
    confirmAndSubmit(By.cssSelector("form.remove[action$='/services/stock/remove'] button"));
    assertThat(browser.findElements(By.cssSelector("td[data-instance=webshop-stock-dev]"))).isEmpty();
    assertThat(cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get().getSpec()
        .getServices()).extracting(u -> u.getName()).doesNotContain("stock").contains("cart");
  }

  /** Clicks a button whose form asks to confirm, says yes, and waits for what the POST answered. */
  void confirmAndSubmit(By button) {
    WebElement before = browser.findElement(By.tagName("html"));
    browser.findElement(button).click();
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.stalenessOf(before));
  }

  @Test
  @Order(5)
  void aPersonOfAnotherNamespaceCanNeitherSeeNorChangeIt() throws Exception {
    signIn(bobToken, "globex");
    browser.get(url + "/projects/acme/webshop");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("403");
    assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("RBAC")
        .contains("system:serviceaccount:globex:bob");
    assertThat(browser.getPageSource()).doesNotContain("webshop-cart-dev").doesNotContain("webshop-key");
    var before = cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get().getSpec();
    HttpResponse<String> change = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url + "/projects/acme/webshop/services")).header("Authorization", "Bearer " + bobToken)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("alias=mine&service=acme-makers%2Fshopping-cart")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(change.statusCode()).isEqualTo(403);
    assertThat(cluster.admin.resources(Project.class).inNamespace("acme").withName("webshop").get().getSpec())
        .usingRecursiveComparison().isEqualTo(before);
  }
}
