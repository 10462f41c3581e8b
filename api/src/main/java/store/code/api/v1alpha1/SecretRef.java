package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A Secret of the project's namespace whose values an instance receives (by reference only: the values are copied by
 * the operator into the instance's namespace and never appear in any spec or status).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  /** A Secret data key, as the API server accepts it. */
  public static final String KEY = "^[-._a-zA-Z0-9]+$";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @Size(max = 253)
  @JsonPropertyDescription("Name of a Secret in the project's namespace.")
  private String name;

  @Size(max = 100)
  @JsonPropertyDescription("The keys to take from it (each must exist); absent or empty: all of its keys.")
  private List<@Pattern(KEY) String> keys = new ArrayList<>();

  public SecretRef() {}

  public SecretRef(String name, List<String> keys) {
    this.name = name;
    this.keys = keys == null ? new ArrayList<>() : new ArrayList<>(keys);
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public List<String> getKeys() { return keys; }
  public void setKeys(List<String> keys) { this.keys = keys; }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretRef r && Objects.equals(name, r.name) && Objects.equals(keysOrNone(), r.keysOrNone());
  }

  @Override
  public int hashCode() { return Objects.hash(name, keysOrNone()); }

  private List<String> keysOrNone() { return keys == null ? List.of() : keys; }

  @Override
  public String toString() { return keysOrNone().isEmpty() ? name : name + keysOrNone(); }
}
