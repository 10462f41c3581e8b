package store.code.api.v1alpha1;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** One service reused by a project, under an alias. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceUse {
  @Required
  @Pattern(ProjectSpec.SHORT_NAME)
  @JsonPropertyDescription("Alias of the service inside the project; part of the instance name.")
  private String name;

  @Required
  private ServiceRef serviceRef;

  @JsonPropertyDescription("Plain settings handed to the instance (environment variable names as keys).")
  private Map<String, String> config = new LinkedHashMap<>();

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public ServiceRef getServiceRef() { return serviceRef; }
  public void setServiceRef(ServiceRef serviceRef) { this.serviceRef = serviceRef; }
  public Map<String, String> getConfig() { return config; }
  public void setConfig(Map<String, String> config) { this.config = config; }
}
