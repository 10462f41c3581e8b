package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiKeySpec {
  /** RFC 3339 in UTC, to the second or finer: 2027-01-31T00:00:00Z. */
  public static final String TIMESTAMP = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$";

  @Required
  @Pattern(ProjectSpec.SHORT_NAME)
  @JsonPropertyDescription("The Project (in this namespace) whose instances accept the key.")
  private String project;

  @JsonPropertyDescription("Environments of the project the key works in; empty: all of them.")
  private List<@Pattern(ProjectSpec.SHORT_NAME) String> environments = new ArrayList<>();

  @JsonPropertyDescription("Services (aliases in the project) the key works for; empty: all of them.")
  private List<@Pattern(ProjectSpec.SHORT_NAME) String> services = new ArrayList<>();

  @Pattern(TIMESTAMP)
  @JsonPropertyDescription("When the key stops working (UTC, e.g. 2027-01-31T00:00:00Z); absent: never.")
  private String expiresAt;

  @JsonPropertyDescription("What the key is for, for people.")
  private String description;

  public String getProject() { return project; }
  public void setProject(String project) { this.project = project; }
  public List<String> getEnvironments() { return environments; }
  public void setEnvironments(List<String> environments) { this.environments = environments; }
  public List<String> getServices() { return services; }
  public void setServices(List<String> services) { this.services = services; }
  public String getExpiresAt() { return expiresAt; }
  public void setExpiresAt(String expiresAt) { this.expiresAt = expiresAt; }
  public String getDescription() { return description; }
  public void setDescription(String description) { this.description = description; }
}
