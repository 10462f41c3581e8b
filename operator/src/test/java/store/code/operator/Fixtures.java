package store.code.operator;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import store.code.api.Labels;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.CodeSpec;
import store.code.api.v1alpha1.DeletionPolicy;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ProjectSpec;
import store.code.api.v1alpha1.ServiceDefaults;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.api.v1alpha1.ServiceUse;
import store.code.api.v1alpha1.Visibility;

/** Hand-built inputs for the pure builders. */
public final class Fixtures {
  public static final String SCHEMA = "type Book @model { title: String! }";

  private Fixtures() {}

  public static CodeService service(String ns, String name, Visibility visibility, Integer replicas, Integer maxReplicas) {
    CodeService s = new CodeService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    ServiceSpec spec = new ServiceSpec();
    spec.setVersion("1.0.0");
    spec.setSchema(SCHEMA);
    spec.setVisibility(visibility);
    ServiceDefaults d = new ServiceDefaults();
    d.setReplicas(replicas);
    d.setMaxReplicas(maxReplicas);
    d.setDatabaseSize("2Gi");
    spec.setDefaults(d);
    s.setSpec(spec);
    return s;
  }

  public static CodeService withCode(CodeService s, String image) {
    CodeSpec code = new CodeSpec();
    code.setImage(image);
    s.getSpec().setCode(code);
    return s;
  }

  public static ServiceInstance instance(String ns, String project, String alias, String env) {
    ServiceInstance si = new ServiceInstance();
    si.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(project + "-" + alias + "-" + env)
        .withLabels(Map.of(Labels.SERVICE, alias)).withGeneration(1L).build());
    ServiceInstanceSpec spec = new ServiceInstanceSpec();
    spec.setServiceRef(new ServiceRef("shopping-cart", "makers"));
    spec.setProject(project);
    spec.setEnvironment(env);
    spec.setConfig(new java.util.LinkedHashMap<>(Map.of("CURRENCY", "EUR")));
    si.setSpec(spec);
    return si;
  }

  public static Project project(String ns, String name, List<String> envs, List<ServiceUse> uses) {
    Project p = new Project();
    p.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).withUid("uid-1").build());
    ProjectSpec spec = new ProjectSpec();
    spec.setEnvironments(envs);
    spec.setServices(uses);
    spec.setDeletionPolicy(DeletionPolicy.Delete);
    p.setSpec(spec);
    return p;
  }

  public static ServiceUse use(String alias, String service, String serviceNs, Map<String, String> config) {
    ServiceUse u = new ServiceUse();
    u.setName(alias);
    u.setServiceRef(new ServiceRef(service, serviceNs));
    u.setConfig(new java.util.LinkedHashMap<>(config));
    return u;
  }
}
