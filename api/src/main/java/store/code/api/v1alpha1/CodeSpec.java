package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Maker code: an image whose {@code /code} folder holds the resolver jars. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CodeSpec {
  @Required
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription("Image holding the maker's jars under /code; copied into the runtime by an init container.")
  private String image;

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
}
