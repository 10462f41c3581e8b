package store.code.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Who may call a project's instances besides its API keys. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProjectAuth {
  @JsonPropertyDescription("Tokens from the client's identity provider; absent: API keys only.")
  private JwtAuth jwt;

  public JwtAuth getJwt() { return jwt; }
  public void setJwt(JwtAuth jwt) { this.jwt = jwt; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProjectAuth a && Objects.equals(jwt, a.jwt);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(jwt);
  }
}
