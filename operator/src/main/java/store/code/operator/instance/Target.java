package store.code.operator.instance;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import store.code.api.Labels;
import store.code.api.v1alpha1.ServiceInstance;

/**
 * Who an object is provisioned for: the instance's identity and the namespace its objects live in.
 * Every object built for an instance gets the same labels and back-reference annotations from here.
 */
public record Target(String instanceNamespace, String instanceName, String namespace, String project, String service,
    String environment) {

  /**
   * The instance's target. An instance whose status records the namespace an older version named for exactly this
   * identity keeps it (its data lives there); every other gets {@link InstanceNames#targetNamespace(ServiceInstance)}.
   */
  public static Target of(ServiceInstance instance) {
    String namespace = InstanceNames.targetNamespace(instance);
    String recorded = instance.getStatus() == null ? null : instance.getStatus().getTargetNamespace();
    if (recorded != null && recorded.equals(InstanceNames.legacyTargetNamespace(instance))) {
      namespace = recorded;
    }
    return new Target(instance.getMetadata().getNamespace(), instance.getMetadata().getName(), namespace,
        instance.getSpec().getProject(), InstanceNames.serviceAlias(instance), instance.getSpec().getEnvironment());
  }

  public Map<String, String> labels() {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    l.put(Labels.INSTANCE, InstanceNames.instanceLabel(instanceNamespace, instanceName));
    l.put(Labels.PROJECT, project);
    l.put(Labels.SERVICE, service);
    l.put(Labels.ENVIRONMENT, environment);
    return l;
  }

  public Map<String, String> annotations() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(Labels.INSTANCE_NAMESPACE_ANNOTATION, instanceNamespace);
    a.put(Labels.INSTANCE_NAME_ANNOTATION, instanceName);
    return a;
  }

  /** Metadata for an object named {@code name} in the target namespace. */
  public ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .withLabels(labels()).withAnnotations(annotations()).build();
  }

  /** Selector of the runtime pods. */
  public Map<String, String> runtimeSelector() {
    return Map.of(Labels.APP_NAME, Labels.RUNTIME_APP, Labels.INSTANCE,
        InstanceNames.instanceLabel(instanceNamespace, instanceName));
  }

  /** In-cluster GraphQL endpoint of the runtime Service. */
  public String endpoint() {
    return "http://runtime." + namespace + ".svc:8080/graphql";
  }
}
