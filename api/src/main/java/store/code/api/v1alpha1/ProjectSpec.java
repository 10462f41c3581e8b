package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProjectSpec {
  /** Short DNS label: names of instances and namespaces are built from it. */
  public static final String SHORT_NAME = "^[a-z]([-a-z0-9]{0,22}[a-z0-9])?$";

  @Required
  @Size(min = 1, max = 10)
  @JsonPropertyDescription("Environments to run every service in, e.g. [dev, prod]; lower-case DNS labels of at most 24 characters.")
  private List<@Pattern(SHORT_NAME) String> environments = new ArrayList<>();

  @Default("Retain")
  @JsonPropertyDescription("Retain (default): keep namespace, database and bucket when an instance goes away. Delete: remove them.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @Required
  @Size(max = 50)
  @JsonPropertyDescription("The services this project reuses, each in every environment; empty for a project that reuses none yet.")
  private List<ServiceUse> services = new ArrayList<>();

  @JsonPropertyDescription("Who may call the project's instances besides its ApiKeys: tokens of the client's identity provider.")
  private ProjectAuth auth;

  @JsonPropertyDescription("Settings for one environment, by environment name; they replace the project's for it.")
  private java.util.Map<String, EnvironmentSettings> environmentSettings = new java.util.LinkedHashMap<>();

  @Size(max = 20)
  @JsonPropertyDescription("Secrets of this namespace handed to every instance of the project (keys as the Secrets "
      + "name them); an environment's (environmentSettings.<env>.secretRefs) and a service's own win over these.")
  private List<SecretRef> secretRefs = new ArrayList<>();

  public List<SecretRef> getSecretRefs() { return secretRefs; }
  public void setSecretRefs(List<SecretRef> secretRefs) { this.secretRefs = secretRefs; }

  /**
   * Every Secret an instance of {@code use} in {@code environment} receives, in the order they apply: project,
   * environment, service, service in that environment; a key given twice takes the later one's value.
   */
  public List<SecretRef> secretRefsOf(ServiceUse use, String environment) {
    List<SecretRef> refs = new ArrayList<>(secretRefs == null ? List.of() : secretRefs);
    EnvironmentSettings e = environmentSettings == null ? null : environmentSettings.get(environment);
    if (e != null && e.getSecretRefs() != null) {
      refs.addAll(e.getSecretRefs());
    }
    refs.addAll(use.secretRefsIn(environment));
    return refs;
  }

  public List<String> getEnvironments() { return environments; }
  public void setEnvironments(List<String> environments) { this.environments = environments; }
  public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
  public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
  public List<ServiceUse> getServices() { return services; }
  public void setServices(List<ServiceUse> services) { this.services = services; }
  public ProjectAuth getAuth() { return auth; }
  public void setAuth(ProjectAuth auth) { this.auth = auth; }
  public java.util.Map<String, EnvironmentSettings> getEnvironmentSettings() { return environmentSettings; }
  public void setEnvironmentSettings(java.util.Map<String, EnvironmentSettings> environmentSettings) {
    this.environmentSettings = environmentSettings;
  }

  /** The auth of one environment: its own when it has some, else the project's. */
  public ProjectAuth authOf(String environment) {
    EnvironmentSettings e = environmentSettings == null ? null : environmentSettings.get(environment);
    return e != null && e.getAuth() != null ? e.getAuth() : auth;
  }
}
