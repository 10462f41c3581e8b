package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

/** What one environment of a project does differently with one of its services. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceUseEnvironment {
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Semver range of the service's versions this environment runs (overrides the service's "
      + "version): promote an environment by changing it, e.g. 1.x to 2.x.")
  private String version;

  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
}
