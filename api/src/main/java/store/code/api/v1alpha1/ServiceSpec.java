package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {
  public static final String SEMVER =
      "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";

  @Required
  @Pattern(SEMVER)
  @JsonPropertyDescription("Semantic version of the service, e.g. 1.2.0. A breaking schema change needs a major bump.")
  private String version;

  @Size(max = 1024)
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What the service does, for the marketplace.")
  private String description;

  @Required
  @Size(min = 1, max = 262144)
  @JsonPropertyDescription("GraphQL SDL with the code.store directives (@model, @unique, @index, @default, @hasMany, @belongsTo, @hasOne, @file, @code).")
  private String schema;

  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Maker code: the image with the jar that answers the schema's @code fields, and what it may reach.")
  private CodeSpec code;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("How many published versions (ServiceRevisions) to keep, newest first (default 10). A "
      + "revision an instance still serves is kept whatever this says.")
  private Integer revisionHistoryLimit;

  @Default("Private")
  @JsonPropertyDescription("Private: only this namespace; Public: any namespace; Shared: this namespace and sharedWith.")
  private Visibility visibility = Visibility.Private;

  @JsonPropertyDescription("Namespaces allowed to reuse the service when visibility is Shared.")
  private List<@Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") String> sharedWith = new ArrayList<>();

  @com.fasterxml.jackson.annotation.JsonPropertyDescription("What a reuse costs; absent: free.")
  private Pricing pricing;

  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Runtime replicas and database size of every instance, unless a project sets its own.")
  private ServiceDefaults defaults;

  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Per-caller rate limit of every instance of the service; absent: none.")
  private ServiceLimits limits;

  public Integer getRevisionHistoryLimit() { return revisionHistoryLimit; }
  public void setRevisionHistoryLimit(Integer revisionHistoryLimit) { this.revisionHistoryLimit = revisionHistoryLimit; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public String getDescription() { return description; }
  public void setDescription(String description) { this.description = description; }
  public String getSchema() { return schema; }
  public void setSchema(String schema) { this.schema = schema; }
  public CodeSpec getCode() { return code; }
  public void setCode(CodeSpec code) { this.code = code; }
  public Visibility getVisibility() { return visibility; }
  public void setVisibility(Visibility visibility) { this.visibility = visibility; }
  public List<String> getSharedWith() { return sharedWith; }
  public void setSharedWith(List<String> sharedWith) { this.sharedWith = sharedWith; }
  public Pricing getPricing() { return pricing; }
  public void setPricing(Pricing pricing) { this.pricing = pricing; }
  public ServiceDefaults getDefaults() { return defaults; }
  public void setDefaults(ServiceDefaults defaults) { this.defaults = defaults; }
  public ServiceLimits getLimits() { return limits; }
  public void setLimits(ServiceLimits limits) { this.limits = limits; }
}
