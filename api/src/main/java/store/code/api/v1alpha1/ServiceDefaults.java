package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Sizing every instance of the service starts with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceDefaults {
  public static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

  @Min(1)
  @Max(20)
  @JsonPropertyDescription("Runtime replicas. Default 1.")
  private Integer replicas;

  @Min(1)
  @Max(50)
  @JsonPropertyDescription("Upper bound for the autoscaler; an HPA is created when greater than replicas.")
  private Integer maxReplicas;

  @Pattern(QUANTITY)
  @JsonPropertyDescription("Database volume size, a Kubernetes quantity such as 1Gi. Default 1Gi.")
  private String databaseSize;

  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public Integer getMaxReplicas() { return maxReplicas; }
  public void setMaxReplicas(Integer maxReplicas) { this.maxReplicas = maxReplicas; }
  public String getDatabaseSize() { return databaseSize; }
  public void setDatabaseSize(String databaseSize) { this.databaseSize = databaseSize; }
}
