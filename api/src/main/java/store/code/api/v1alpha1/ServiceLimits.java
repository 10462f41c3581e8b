package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** What one caller (an API key, a token's subject, an address without a credential) may ask of one replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceLimits {
  @Required
  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Requests a second per caller and replica; more are answered 429 with Retry-After (not billed).")
  private Integer requestsPerSecond;

  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Requests a caller may send at once before the rate applies (default: requestsPerSecond).")
  private Integer burst;

  public Integer getRequestsPerSecond() { return requestsPerSecond; }
  public void setRequestsPerSecond(Integer requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
  public Integer getBurst() { return burst; }
  public void setBurst(Integer burst) { this.burst = burst; }
}
