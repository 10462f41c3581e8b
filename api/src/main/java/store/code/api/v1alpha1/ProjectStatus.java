package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProjectStatus {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Ready: the spec is valid and every instance the project wants is Ready (the message says how many are).")
  private List<Condition> conditions = new ArrayList<>();
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The project's ServiceInstances, one per service and environment.")
  private List<InstanceSummary> instances = new ArrayList<>();
  /** "ready/total", for the printer column. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Ready instances out of all, e.g. 3/4 (a printer column).")
  private String readyInstances;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public List<InstanceSummary> getInstances() { return instances; }
  public void setInstances(List<InstanceSummary> instances) { this.instances = instances; }
  public String getReadyInstances() { return readyInstances; }
  public void setReadyInstances(String readyInstances) { this.readyInstances = readyInstances; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProjectStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions) && Objects.equals(instances, s.instances)
        && Objects.equals(readyInstances, s.readyInstances);
  }

  @Override
  public int hashCode() { return Objects.hash(observedGeneration, conditions, instances, readyInstances); }
}
