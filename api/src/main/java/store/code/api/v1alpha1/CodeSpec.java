package store.code.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Maker code: an image whose {@code /code} folder holds the handler jars. They run in the instance pod's {@code code}
 * container, apart from the runtime (docs/operator.md, Security model).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CodeSpec {
  @Required
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription("Image holding the maker's jars under /code; an init container copies them into the pod, "
      + "where the code container runs them apart from the runtime.")
  private String image;

  @Pattern("^[1-9][0-9]{1,4}Mi$|^[1-9]Gi$")
  @JsonPropertyDescription("Memory limit of the code container, e.g. 256Mi (default) or 1Gi; the handlers' heap is half of "
      + "it. A handler that runs out of memory fails its call, and the container starts again.")
  private String memory;

  @Size(max = 20)
  @JsonPropertyDescription("Where the handlers may connect, besides the runtime that serves their data: address "
      + "ranges and TCP ports. Default: nowhere. The code container shares the pod's network with the runtime, so "
      + "the runtime may reach these too (docs/operator.md, Security model).")
  private List<CodeEgress> egress;

  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public String getMemory() { return memory; }
  public void setMemory(String memory) { this.memory = memory; }
  public List<CodeEgress> getEgress() { return egress; }
  public void setEgress(List<CodeEgress> egress) { this.egress = egress; }
}
