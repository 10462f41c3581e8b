package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

/** What one environment of a project does differently with one of its services: version, config, secrets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceUseEnvironment {
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Semver range of the service's versions this environment runs (overrides the service's "
      + "version): promote an environment by changing it, e.g. 1.x to 2.x.")
  private String version;

  @JsonPropertyDescription("Settings for this environment only, merged over the service's config (these win).")
  private java.util.Map<String, String> config = new java.util.LinkedHashMap<>();

  @Size(max = 20)
  @JsonPropertyDescription("Secrets of the project's namespace for this service in this environment only; they win over "
      + "every other level (project, environment, service).")
  private java.util.List<SecretRef> secretRefs = new java.util.ArrayList<>();

  public java.util.Map<String, String> getConfig() { return config; }
  public void setConfig(java.util.Map<String, String> config) { this.config = config; }
  public java.util.List<SecretRef> getSecretRefs() { return secretRefs; }
  public void setSecretRefs(java.util.List<SecretRef> secretRefs) { this.secretRefs = secretRefs; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
}
