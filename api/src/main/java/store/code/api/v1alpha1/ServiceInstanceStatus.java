package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceInstanceStatus {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Pending (waiting for its Service or a valid schema), Provisioning, Ready, Failed (needs a person: the Ready condition says what) or Deleting.")
  private Phase phase;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The namespace the instance runs in (its database, bucket credentials and runtime).")
  private String targetNamespace;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The in-cluster URL of the instance's GraphQL API.")
  private String endpoint;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The version of the Service the instance serves now.")
  private String serviceVersion;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Hash of the compiled schema the instance serves now.")
  private String schemaHash;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("One condition per provisioning step (NamespaceReady, SchemaValid, DatabaseReady, StorageReady, SecretsReady, RuntimeReady), Ready as their conjunction, and kstatus's Reconciling and Stalled.")
  private List<Condition> conditions = new ArrayList<>();
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The last check before a move to another version: API "
      + "diff and migration dry run.")
  private UpgradeCheck upgrade;

  public UpgradeCheck getUpgrade() { return upgrade; }
  public void setUpgrade(UpgradeCheck upgrade) { this.upgrade = upgrade; }

  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public String getTargetNamespace() { return targetNamespace; }
  public void setTargetNamespace(String targetNamespace) { this.targetNamespace = targetNamespace; }
  public String getEndpoint() { return endpoint; }
  public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
  public String getServiceVersion() { return serviceVersion; }
  public void setServiceVersion(String serviceVersion) { this.serviceVersion = serviceVersion; }
  public String getSchemaHash() { return schemaHash; }
  public void setSchemaHash(String schemaHash) { this.schemaHash = schemaHash; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceInstanceStatus s && phase == s.phase
        && Objects.equals(targetNamespace, s.targetNamespace) && Objects.equals(endpoint, s.endpoint)
        && Objects.equals(serviceVersion, s.serviceVersion) && Objects.equals(schemaHash, s.schemaHash)
        && Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(conditions, s.conditions)
        && Objects.equals(upgrade, s.upgrade);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, targetNamespace, endpoint, serviceVersion, schemaHash, observedGeneration, conditions, upgrade);
  }
}
