package store.code.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Name of the Service (services.code.store) to reuse.")
  private String name;

  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Namespace of the Service; defaults to the referring object's namespace.")
  private String namespace;

  public ServiceRef() {}

  public ServiceRef(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }

  /** The namespace the reference points to, resolving the default. */
  public String namespaceOr(String referrerNamespace) {
    return namespace == null || namespace.isEmpty() ? referrerNamespace : namespace;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceRef r && Objects.equals(name, r.name) && Objects.equals(namespace, r.namespace);
  }

  @Override
  public int hashCode() { return Objects.hash(name, namespace); }
}
