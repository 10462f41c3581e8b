package store.code.operator.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import store.code.api.Labels;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceInstanceSpec;
import store.code.operator.instance.RevisionChoice;
import store.code.api.v1alpha1.ServiceRef;
import store.code.api.v1alpha1.ServiceUse;
import store.code.schema.VersionRanges;

/** The ServiceInstances a Project wants: one per (service x environment). A pure function of the Project. */
public final class ProjectInstances {
  static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
  static final int MAX_NAME = 253;

  private ProjectInstances() {}

  /** The desired instances, and a problem for each service use that cannot become one. */
  public record Plan(List<ServiceInstance> instances, List<String> problems) {}

  public static String instanceName(String project, String alias, String environment) {
    return project + "-" + alias + "-" + environment;
  }

  public static Plan plan(Project project) {
    List<ServiceInstance> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String p = project.getMetadata().getName();
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < project.getSpec().getServices().size(); i++) {
      ServiceUse use = project.getSpec().getServices().get(i);
      String where = "spec.services[" + i + "] (" + use.getName() + ")";
      if (aliases.contains(use.getName())) {
        problems.add(where + ": the name " + use.getName() + " is used twice; give each reuse its own name");
        continue;
      }
      aliases.add(use.getName());
      java.util.Optional<String> badConfig = badConfigKeys(use);
      if (badConfig.isPresent()) {
        problems.add(where + badConfig.get());
        continue;
      }
      java.util.Optional<String> badRange = VersionRanges.problem(use.getVersion());
      if (badRange.isPresent()) {
        problems.add(where + ".version: " + badRange.get());
        continue;
      }
      List<String> unknownEnvs = use.getEnvironments() == null ? List.of() : use.getEnvironments().keySet().stream()
          .filter(e -> !project.getSpec().getEnvironments().contains(e)).toList();
      if (!unknownEnvs.isEmpty()) {
        problems.add(where + ".environments: " + unknownEnvs + " not in spec.environments "
            + project.getSpec().getEnvironments());
        continue;
      }
      java.util.Optional<String> badEnvRange = use.getEnvironments() == null ? java.util.Optional.empty()
          : use.getEnvironments().entrySet().stream().filter(e -> e.getValue() != null)
              .flatMap(e -> VersionRanges.problem(e.getValue().getVersion()).map(why -> e.getKey() + ".version: " + why)
                  .stream()).findFirst();
      if (badEnvRange.isPresent()) {
        problems.add(where + ".environments." + badEnvRange.get());
        continue;
      }
      for (String env : new java.util.LinkedHashSet<>(project.getSpec().getEnvironments())) {
        String name = instanceName(p, use.getName(), env);
        if (name.length() > MAX_NAME) {
          problems.add(where + ": instance name " + name.substring(0, 40) + "... is longer than " + MAX_NAME + " characters: shorten the project name");
          continue;
        }
        out.add(instance(project, use, env, name));
      }
    }
    return new Plan(out, problems);
  }

  /** Config keys become environment variable names: the first map (service, then each environment's) with others. */
  private static java.util.Optional<String> badConfigKeys(ServiceUse use) {
    Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    configs.put(".config", use.getConfig());
    if (use.getEnvironments() != null) {
      use.getEnvironments().forEach((env, own) -> configs.put(".environments." + env + ".config",
          own == null ? null : own.getConfig()));
    }
    for (var c : configs.entrySet()) {
      List<String> bad = c.getValue() == null ? List.of()
          : c.getValue().keySet().stream().filter(k -> !ENV_NAME.matcher(k).matches()).toList();
      if (!bad.isEmpty()) {
        return java.util.Optional.of(c.getKey() + ": keys " + bad + " are not valid environment variable names "
            + "(letters, digits and _, not starting with a digit)");
      }
    }
    return java.util.Optional.empty();
  }

  static ServiceInstance instance(Project project, ServiceUse use, String env, String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.PROJECT, project.getMetadata().getName());
    labels.put(Labels.SERVICE, use.getName());
    labels.put(Labels.ENVIRONMENT, env);
    ServiceInstance si = new ServiceInstance();
    si.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(project.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(project.getApiVersion()).withKind(project.getKind())
            .withName(project.getMetadata().getName()).withUid(project.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .build());
    ServiceInstanceSpec spec = new ServiceInstanceSpec();
    ServiceRef ref = use.getServiceRef();
    spec.setServiceRef(new ServiceRef(ref.getName(), ref.namespaceOr(project.getMetadata().getNamespace())));
    spec.setProject(project.getMetadata().getName());
    spec.setEnvironment(env);
    spec.setVersion(use.versionIn(env));
    spec.setConfig(use.configIn(env));
    spec.setSecretRefs(project.getSpec().secretRefsOf(use, env));
    spec.setDeletionPolicy(project.getSpec().getDeletionPolicy());
    spec.setSuspended(false);
    spec.setAuth(project.getSpec().authOf(env));
    var envSettings = project.getSpec().getEnvironmentSettings() == null ? null
        : project.getSpec().getEnvironmentSettings().get(env);
    spec.setCors(envSettings == null || envSettings.getCors() == null ? new java.util.ArrayList<>()
        : new java.util.ArrayList<>(envSettings.getCors()));
    si.setSpec(spec);
    return si;
  }
}
