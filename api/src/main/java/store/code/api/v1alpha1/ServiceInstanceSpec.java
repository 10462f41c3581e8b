package store.code.api.v1alpha1;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceInstanceSpec {
  @Required
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The Service this instance runs (name, and namespace when it is another one).")
  private ServiceRef serviceRef;

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The Project (same namespace) this instance belongs to and is billed to.")
  private String project;

  @Required
  @Pattern(ProjectSpec.SHORT_NAME)
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The environment of the project this instance serves (a name of the project's spec.environments).")
  private String environment;

  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Plain settings handed to the runtime as environment variables (names as keys); no secrets here: use secretRefs.")
  private Map<String, String> config = new LinkedHashMap<>();

  @Default("Retain")
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What deleting the instance does to its namespace, database and bucket: Retain keeps them, Delete removes them.")
  private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

  @JsonPropertyDescription("Scale the runtime to zero and keep everything else.")
  private Boolean suspended = false;

  @JsonPropertyDescription("Who may call besides the project's ApiKeys: the project's auth for this environment.")
  private ProjectAuth auth;

  @JsonPropertyDescription("Web origins whose pages may call the instance from a browser (the project's, for this environment).")
  private java.util.List<String> cors = new java.util.ArrayList<>();

  @JsonPropertyDescription("Semver range of the service's versions this instance may serve (the project's, for this "
      + "environment); absent: the version the service publishes now.")
  private String version;

  @JsonPropertyDescription("The Secrets of this namespace the instance receives, in the order they apply (a key given "
      + "twice takes the later one's value): the project's, its environment's, its service's.")
  private java.util.List<SecretRef> secretRefs = new java.util.ArrayList<>();

  public java.util.List<SecretRef> getSecretRefs() { return secretRefs; }
  public void setSecretRefs(java.util.List<SecretRef> secretRefs) { this.secretRefs = secretRefs; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public ServiceRef getServiceRef() { return serviceRef; }
  public void setServiceRef(ServiceRef serviceRef) { this.serviceRef = serviceRef; }
  public String getProject() { return project; }
  public void setProject(String project) { this.project = project; }
  public String getEnvironment() { return environment; }
  public void setEnvironment(String environment) { this.environment = environment; }
  public Map<String, String> getConfig() { return config; }
  public void setConfig(Map<String, String> config) { this.config = config; }
  public DeletionPolicy getDeletionPolicy() { return deletionPolicy; }
  public void setDeletionPolicy(DeletionPolicy deletionPolicy) { this.deletionPolicy = deletionPolicy; }
  public Boolean getSuspended() { return suspended; }
  public void setSuspended(Boolean suspended) { this.suspended = suspended; }

  public ProjectAuth getAuth() { return auth; }
  public void setAuth(ProjectAuth auth) { this.auth = auth; }
  public java.util.List<String> getCors() { return cors; }
  public void setCors(java.util.List<String> cors) { this.cors = cors; }

  public boolean isSuspended() { return Boolean.TRUE.equals(suspended); }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceInstanceSpec s && Objects.equals(serviceRef, s.serviceRef)
        && Objects.equals(project, s.project) && Objects.equals(environment, s.environment)
        && Objects.equals(config, s.config) && deletionPolicy == s.deletionPolicy
        && Objects.equals(suspended, s.suspended) && Objects.equals(auth, s.auth) && Objects.equals(cors, s.cors)
        && Objects.equals(version, s.version) && Objects.equals(secretRefs, s.secretRefs);
  }

  @Override
  public int hashCode() { return Objects.hash(serviceRef, project, environment, config, deletionPolicy, suspended, auth, cors,
      version, secretRefs); }
}
