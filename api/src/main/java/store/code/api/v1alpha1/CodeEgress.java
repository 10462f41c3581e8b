package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One destination maker code may connect to: an address range and a TCP port. Instances admit it in their network
 * policy; everything not listed stays closed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CodeEgress {
  /** IPv4 (each octet 0-255) or IPv6 address range in CIDR notation. */
  public static final String CIDR = "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
      + "/([0-9]|[12][0-9]|3[0-2])$|^[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$";

  @Required
  @Pattern(CIDR)
  @JsonPropertyDescription("Address range in CIDR notation, e.g. 203.0.113.10/32, or 0.0.0.0/0 for any address. "
      + "A policy cannot name a host: give the addresses of the API the handlers call.")
  private String cidr;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("TCP port, e.g. 443.")
  private Integer port;

  public CodeEgress() {}

  public CodeEgress(String cidr, Integer port) {
    this.cidr = cidr;
    this.port = port;
  }

  public String getCidr() { return cidr; }
  public void setCidr(String cidr) { this.cidr = cidr; }
  public Integer getPort() { return port; }
  public void setPort(Integer port) { this.port = port; }
}
