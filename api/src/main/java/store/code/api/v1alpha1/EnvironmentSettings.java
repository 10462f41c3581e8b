package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A project's settings for one of its environments; what is not set is the project's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentSettings {
  @JsonPropertyDescription("Replaces spec.auth for this environment (e.g. another identity provider for prod).")
  private ProjectAuth auth;

  @JsonPropertyDescription("Web origins (https://shop.example.org) whose pages may call the instances from a browser; default: none.")
  private java.util.List<@io.fabric8.generator.annotation.Pattern("^https?://[^/]+$") String> cors = new java.util.ArrayList<>();

  @io.fabric8.generator.annotation.Size(max = 20)
  @JsonPropertyDescription("Secrets of the project's namespace for every service of this environment; they win over "
      + "spec.secretRefs and lose to a service's own.")
  private java.util.List<SecretRef> secretRefs = new java.util.ArrayList<>();

  public java.util.List<SecretRef> getSecretRefs() { return secretRefs; }
  public void setSecretRefs(java.util.List<SecretRef> secretRefs) { this.secretRefs = secretRefs; }
  public ProjectAuth getAuth() { return auth; }
  public void setAuth(ProjectAuth auth) { this.auth = auth; }
  public java.util.List<String> getCors() { return cors; }
  public void setCors(java.util.List<String> cors) { this.cors = cors; }
}
