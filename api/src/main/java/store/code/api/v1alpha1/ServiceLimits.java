package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * What one caller (an API key, a token's subject, an address without a credential) may ask of one replica, and how
 * long maker code may take.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceLimits {
  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Requests a second per caller and replica; more are answered 429 with Retry-After (not billed). "
      + "Unset: no rate limit.")
  private Integer requestsPerSecond;

  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Requests a caller may send at once before the rate applies (default: requestsPerSecond).")
  private Integer burst;

  @Pattern("^([1-9][0-9]{0,5}ms|[1-9][0-9]{0,2}s)$")
  @JsonPropertyDescription("How long one call of a maker-code handler may take, e.g. 10s or 500ms (default 10s); past it "
      + "the field answers TIMEOUT and what the handler wrote is rolled back. The request's own limit (15 s) still "
      + "bounds it.")
  private String codeTimeout;

  public Integer getRequestsPerSecond() { return requestsPerSecond; }
  public void setRequestsPerSecond(Integer requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
  public String getCodeTimeout() { return codeTimeout; }
  public void setCodeTimeout(String codeTimeout) { this.codeTimeout = codeTimeout; }
  public Integer getBurst() { return burst; }
  public void setBurst(Integer burst) { this.burst = burst; }
}
