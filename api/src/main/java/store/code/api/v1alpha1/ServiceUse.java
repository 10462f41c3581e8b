package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One service reused by a project, under an alias. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceUse {
  @Required
  @Pattern(ProjectSpec.SHORT_NAME)
  @JsonPropertyDescription("Alias of the service inside the project; part of the instance name.")
  private String name;

  @Required
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The Service to reuse (name, and namespace when it is another one).")
  private ServiceRef serviceRef;

  @JsonPropertyDescription("Plain settings handed to the instance (environment variable names as keys), in every "
      + "environment; environments.<env>.config adds to them and wins. Not for secrets: see secretRefs.")
  private Map<String, String> config = new LinkedHashMap<>();

  @Size(max = 20)
  @JsonPropertyDescription("Secrets of the project's namespace for this service, in every environment; they win over the "
      + "project's and the environment's (spec.secretRefs, spec.environmentSettings.<env>.secretRefs).")
  private List<SecretRef> secretRefs = new ArrayList<>();

  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Semver range of the service's versions the project runs: 1.4.0, 1.x, ^1.2, ~1.2.3, "
      + ">=1.2.0 <2.0.0. Each instance serves the highest published version in it and stays when a newer one falls "
      + "outside. Default (absent): the version the service publishes now, whatever it is.")
  private String version;

  @JsonPropertyDescription("Per environment (a name of spec.environments): its own version range, config and secretRefs.")
  private Map<String, ServiceUseEnvironment> environments = new LinkedHashMap<>();

  /** The version range of {@code environment}: its own, else the service's; null when neither is given. */
  public String versionIn(String environment) {
    ServiceUseEnvironment own = environments == null ? null : environments.get(environment);
    return own != null && own.getVersion() != null ? own.getVersion() : version;
  }

  /** The config of {@code environment}: the service's, with the environment's own keys over it. */
  public Map<String, String> configIn(String environment) {
    Map<String, String> merged = new LinkedHashMap<>(config == null ? Map.of() : config);
    ServiceUseEnvironment own = environments == null ? null : environments.get(environment);
    if (own != null && own.getConfig() != null) {
      merged.putAll(own.getConfig());
    }
    return merged;
  }

  /** The service's secretRefs then the environment's own, the later winning. */
  public List<SecretRef> secretRefsIn(String environment) {
    List<SecretRef> refs = new ArrayList<>(secretRefs == null ? List.of() : secretRefs);
    ServiceUseEnvironment own = environments == null ? null : environments.get(environment);
    if (own != null && own.getSecretRefs() != null) {
      refs.addAll(own.getSecretRefs());
    }
    return refs;
  }

  public List<SecretRef> getSecretRefs() { return secretRefs; }
  public void setSecretRefs(List<SecretRef> secretRefs) { this.secretRefs = secretRefs; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public Map<String, ServiceUseEnvironment> getEnvironments() { return environments; }
  public void setEnvironments(Map<String, ServiceUseEnvironment> environments) { this.environments = environments; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public ServiceRef getServiceRef() { return serviceRef; }
  public void setServiceRef(ServiceRef serviceRef) { this.serviceRef = serviceRef; }
  public Map<String, String> getConfig() { return config; }
  public void setConfig(Map<String, String> config) { this.config = config; }
}
