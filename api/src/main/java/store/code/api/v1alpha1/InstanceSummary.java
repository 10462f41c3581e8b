package store.code.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One line of a project's status: where an instance stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InstanceSummary {
  private String service;
  private String environment;
  private String name;
  private Phase phase;
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
