package store.code.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One line of a project's status: where an instance stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceSummary {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The service's alias in the project (spec.services[].name).")
  private String service;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The environment the instance serves.")
  private String environment;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The ServiceInstance's name.")
  private String name;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The instance's phase (its status.phase).")
  private Phase phase;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The in-cluster URL of the instance's GraphQL API.")
  private String endpoint;

  public InstanceSummary() {}

  public InstanceSummary(String service, String environment, String name, Phase phase, String endpoint) {
    this.service = service;
    this.environment = environment;
    this.name = name;
    this.phase = phase;
    this.endpoint = endpoint;
  }

  public String getService() { return service; }
  public void setService(String service) { this.service = service; }
  public String getEnvironment() { return environment; }
  public void setEnvironment(String environment) { this.environment = environment; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public String getEndpoint() { return endpoint; }
  public void setEndpoint(String endpoint) { this.endpoint = endpoint; }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstanceSummary i && Objects.equals(service, i.service)
        && Objects.equals(environment, i.environment) && Objects.equals(name, i.name)
        && phase == i.phase && Objects.equals(endpoint, i.endpoint);
  }

  @Override
  public int hashCode() { return Objects.hash(service, environment, name, phase, endpoint); }
}
