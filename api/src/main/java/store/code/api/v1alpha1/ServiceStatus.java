package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceStatus {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("SchemaValid (spec.schema compiles) and SchemaCompatible (it breaks nothing the published one's clients use, or the major version moved).")
  private List<Condition> conditions = new ArrayList<>();
  /** Hash of the last schema that compiled; instances run this one. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Hash of the published schema: the one instances run.")
  private String schemaHash;
  /** Version that goes with {@link #schemaHash}. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The published version (of schemaHash).")
  private String version;
  /**
   * The schema instances run: spec.schema once it compiled and broke nothing its clients use (or came with a major
   * version bump). A breaking change without one stays in spec, refused (condition SchemaCompatible), and this stays.
   */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The schema instances run: spec.schema once it compiled and broke nothing its clients use (or came with a major version bump). A refused change stays in spec, and this stays.")
  private String publishedSchema;
  /** The ServiceRevision of {@link #version}: what was published under that version, unchangeable. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The ServiceRevision of the published version: what was published under it, unchangeable.")
  private String revision;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("How many ServiceInstances run this service.")
  private Integer instances;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The generated API of the published schema: its queries and mutations.")
  private ApiSummary api;
  /** This month's use across all projects (from their UsageReports). */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("This month's use across all projects (from their UsageReports).")
  private ServiceUsage usage;
  /** The months before it that reports of are still in the cluster, newest first (at most 12); absent when none. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The months before it whose reports are still in the cluster, newest first (at most 12).")
  private List<ServiceUsage> usageHistory;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getSchemaHash() { return schemaHash; }
  public void setSchemaHash(String schemaHash) { this.schemaHash = schemaHash; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public String getPublishedSchema() { return publishedSchema; }
  public void setPublishedSchema(String publishedSchema) { this.publishedSchema = publishedSchema; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public Integer getInstances() { return instances; }
  public void setInstances(Integer instances) { this.instances = instances; }
  public ServiceUsage getUsage() { return usage; }
  public void setUsage(ServiceUsage usage) { this.usage = usage; }
  public List<ServiceUsage> getUsageHistory() { return usageHistory; }
  public void setUsageHistory(List<ServiceUsage> usageHistory) { this.usageHistory = usageHistory; }
  public ApiSummary getApi() { return api; }
  public void setApi(ApiSummary api) { this.api = api; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions) && Objects.equals(schemaHash, s.schemaHash)
        && Objects.equals(version, s.version) && Objects.equals(instances, s.instances)
        && Objects.equals(api, s.api) && Objects.equals(publishedSchema, s.publishedSchema)
        && Objects.equals(usage, s.usage) && Objects.equals(usageHistory, s.usageHistory)
        && Objects.equals(revision, s.revision);
  }

  @Override
  public int hashCode() { return Objects.hash(observedGeneration, conditions, schemaHash, version, instances, api,
      publishedSchema, usage, usageHistory, revision); }
}
