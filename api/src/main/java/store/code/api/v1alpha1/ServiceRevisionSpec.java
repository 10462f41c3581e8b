package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

/** What a published version of a Service is; written once by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceRevisionSpec {
  @Required
  @JsonPropertyDescription("Name of the Service (same namespace) this is a version of.")
  private String service;

  @Required
  @JsonPropertyDescription("The semantic version published.")
  private String version;

  @Required
  @JsonPropertyDescription("The GraphQL schema (SDL) of this version.")
  private String schema;

  @JsonPropertyDescription("Hash of the compiled schema, as instances report it.")
  private String schemaHash;

  @JsonPropertyDescription("The maker-code image of this version, if any.")
  private String codeImage;

  @JsonPropertyDescription("The price of this version.")
  private Pricing pricing;

  @JsonPropertyDescription("The generated API of this version: its queries and mutations.")
  private ApiSummary api;

  public String getService() { return service; }
  public void setService(String service) { this.service = service; }
  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public String getSchema() { return schema; }
  public void setSchema(String schema) { this.schema = schema; }
  public String getSchemaHash() { return schemaHash; }
  public void setSchemaHash(String schemaHash) { this.schemaHash = schemaHash; }
  public String getCodeImage() { return codeImage; }
  public void setCodeImage(String codeImage) { this.codeImage = codeImage; }
  public Pricing getPricing() { return pricing; }
  public void setPricing(Pricing pricing) { this.pricing = pricing; }
  public ApiSummary getApi() { return api; }
  public void setApi(ApiSummary api) { this.api = api; }
}
