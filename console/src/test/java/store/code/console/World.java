package store.code.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ProjectSpec;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceInstanceStatus;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.api.v1alpha1.ServiceStatus;
import store.code.api.v1alpha1.ServiceUse;
import store.code.api.v1alpha1.UsageReport;
import store.code.api.v1alpha1.UsageReportSpec;
import store.code.api.v1alpha1.UsageReportStatus;
import store.code.api.v1alpha1.Visibility;

/**
 * A small world in a test API server, as the operator would have left it: a Public, a Shared and a Private service
 * of maker namespace acme-makers (one with a schema error), a project webshop in acme with a Ready and a failing
 * instance, a key, and the bills of October and November.
 */
final class World {
  static final String CART_SCHEMA = "type Cart @model {\n  owner: String!\n}\n";
  /** A syntax error at line 2, column 14 (a colon missing before the type). */
  static final String BROKEN_SCHEMA = "type Room @model {\n  name String!\n}\n";

  /** Where the dev cart's runtime runs. */
  static final String DEV_NAMESPACE = "cs-acme-webshop-cart-dev-1";

  private World() {}

  static Condition condition(String type, boolean ok, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(ok ? "True" : "False").withReason(reason)
        .withMessage(message).withLastTransitionTime("2026-11-01T00:00:00Z").build();
  }

  static CodeService service(String name, Visibility visibility, List<String> sharedWith, String schema, String version) {
    CodeService s = new CodeService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace("acme-makers").withName(name).build());
    s.setSpec(new ServiceSpec());
    s.getSpec().setVersion("1.0.0");
    s.getSpec().setVisibility(visibility);
    s.getSpec().setSharedWith(sharedWith);
    s.getSpec().setSchema(schema);
    s.getSpec().setDescription("the " + name);
    s.setStatus(new ServiceStatus());
    s.getStatus().setVersion(version);
    return s;
  }

  /** Makes the world once: the console's test classes share one application and so one test API server. */
  static void make(KubernetesClient c) {
    if (c.resources(Project.class).inNamespace("acme").withName("webshop").get() != null) {
      return;
    }
    CodeService cart = service("shopping-cart", Visibility.Public, null, CART_SCHEMA, "1.0.0");
    cart.getSpec().setPricing(new Pricing());
    cart.getSpec().getPricing().setCurrency("EUR");
    cart.getSpec().getPricing().setMonthlyFee("2.00");
    cart.getStatus().setConditions(new ArrayList<>(List.of(condition("SchemaValid", true, "SchemaValid", "1 models"))));
    c.resource(cart).create();
    c.resource(service("meeting-rooms", Visibility.Shared, List.of("acme"), CART_SCHEMA, "1.0.0")).create();
    c.resource(service("payroll", Visibility.Private, null, CART_SCHEMA, "3.1.0")).create();
    CodeService broken = service("broken", Visibility.Public, null, BROKEN_SCHEMA, null);
    broken.getStatus().setConditions(new ArrayList<>(List.of(condition("SchemaValid", false, "SchemaInvalid",
        "spec.schema does not compile (1 error): line 2, column 14: syntax error"))));
    c.resource(broken).create();

    Project p = new Project();
    p.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop").build());
    p.setSpec(new ProjectSpec());
    p.getSpec().setEnvironments(new ArrayList<>(List.of("dev", "prod")));
    ServiceUse use = new ServiceUse();
    use.setName("cart");
    use.setServiceRef(new ServiceRef());
    use.getServiceRef().setName("shopping-cart");
    use.getServiceRef().setNamespace("acme-makers");
    p.getSpec().setServices(new ArrayList<>(List.of(use)));
    c.resource(p).create();
    ServiceInstance dev = instance("dev", Phase.Ready, "1.0.0", condition("Ready", true, "Ready", "serving"));
    dev.getStatus().setTargetNamespace(DEV_NAMESPACE);
    dev.getStatus().setEndpoint("http://runtime." + DEV_NAMESPACE + ".svc:8080/graphql");
    c.resource(dev).create();
    c.resource(instance("prod", Phase.Failed, "1.0.0", condition("Ready", false, "SchemaChangeRefused",
        "the migration would drop column note"))).create();

    ApiKey key = new ApiKey();
    key.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-ci").build());
    key.setSpec(new ApiKeySpec());
    key.getSpec().setProject("webshop");
    key.getSpec().setEnvironments(new ArrayList<>(List.of("prod")));
    c.resource(key).create();

    c.resource(report("2026-11", 1234L, "2.001234")).create();
    c.resource(report("2026-10", 99L, "2.000099")).create();
  }

  /** webshop's bill of {@code month}: one line, the dev cart's. */
  static UsageReport report(String month, long requests, String amount) {
    UsageReport r = new UsageReport();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-" + month).build());
    r.setSpec(new UsageReportSpec());
    r.getSpec().setProject("webshop");
    r.setStatus(new UsageReportStatus());
    UsageReportStatus.Line line = new UsageReportStatus.Line();
    line.setInstance("webshop-cart-dev");
    line.setService("shopping-cart");
    line.setMaker("acme-makers");
    line.setRequests(requests);
    line.setAmount(amount);
    r.getStatus().setLines(new ArrayList<>(List.of(line)));
    r.getStatus().setTotal(new UsageReportStatus.Money());
    r.getStatus().getTotal().setCurrency("EUR");
    r.getStatus().getTotal().setAmount(amount);
    return r;
  }

  static ServiceInstance instance(String env, Phase phase, String version, Condition ready) {
    ServiceInstance i = new ServiceInstance();
    i.setMetadata(new ObjectMetaBuilder().withNamespace("acme").withName("webshop-cart-" + env)
        .withLabels(Map.of(Labels.PROJECT, "webshop", Labels.SERVICE, "cart", Labels.ENVIRONMENT, env)).build());
    i.setSpec(new ServiceInstanceSpec());
    i.getSpec().setProject("webshop");
    i.getSpec().setEnvironment(env);
    i.setStatus(new ServiceInstanceStatus());
    i.getStatus().setPhase(phase);
    i.getStatus().setServiceVersion(version);
    i.getStatus().setConditions(new ArrayList<>(List.of(ready)));
    return i;
  }
}
