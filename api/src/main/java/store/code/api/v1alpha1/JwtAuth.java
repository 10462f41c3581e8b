package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Tokens (JWT) from the client's identity provider that a project's instances accept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JwtAuth {
  @Required
  @Pattern("^https?://.+")
  @JsonPropertyDescription("The identity provider's issuer: a token's iss must equal it.")
  private String issuer;

  @Required
  @Size(min = 1, max = 10)
  @JsonPropertyDescription("A token's aud must name one of these.")
  private List<String> audiences = new ArrayList<>();

  @Required
  @Pattern("^https?://.+")
  @JsonPropertyDescription("Where the provider publishes its signing keys (JWKS), fetched again when a token names an unknown key id.")
  private String jwksUri;

  @JsonPropertyDescription("The claim that lists a caller's groups, for groups rules (default: groups).")
  private String groupsClaim;

  public String getIssuer() { return issuer; }
  public void setIssuer(String issuer) { this.issuer = issuer; }
  public List<String> getAudiences() { return audiences; }
  public void setAudiences(List<String> audiences) { this.audiences = audiences; }
  public String getJwksUri() { return jwksUri; }
  public void setJwksUri(String jwksUri) { this.jwksUri = jwksUri; }
  public String getGroupsClaim() { return groupsClaim; }
  public void setGroupsClaim(String groupsClaim) { this.groupsClaim = groupsClaim; }

  @Override
  public boolean equals(Object o) {
    return o instanceof JwtAuth j && Objects.equals(issuer, j.issuer) && Objects.equals(audiences, j.audiences)
        && Objects.equals(jwksUri, j.jwksUri) && Objects.equals(groupsClaim, j.groupsClaim);
  }

  @Override
  public int hashCode() {
    return Objects.hash(issuer, audiences, jwksUri, groupsClaim);
  }
}
