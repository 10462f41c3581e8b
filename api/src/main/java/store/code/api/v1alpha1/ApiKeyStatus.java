package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiKeyStatus {
  @JsonPropertyDescription("The key's public id: what instance logs name as the caller (key:<keyId>).")
  private String keyId;
  @JsonPropertyDescription("SHA-256 of the key, hex: what the instances compare a presented key with. Not a secret.")
  private String keyHash;
  @JsonPropertyDescription("The ServiceInstances that accept the key now.")
  private List<String> instances = new ArrayList<>();
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Ready: the key's Secret is the operator's and the key has not expired (the message says how many instances accept it).")
  private List<Condition> conditions = new ArrayList<>();

  public String getKeyId() { return keyId; }
  public void setKeyId(String keyId) { this.keyId = keyId; }
  public String getKeyHash() { return keyHash; }
  public void setKeyHash(String keyHash) { this.keyHash = keyHash; }
  public List<String> getInstances() { return instances; }
  public void setInstances(List<String> instances) { this.instances = instances; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKeyStatus s && Objects.equals(keyId, s.keyId) && Objects.equals(keyHash, s.keyHash)
        && Objects.equals(instances, s.instances) && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, keyHash, instances, observedGeneration, conditions);
  }
}
