package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Prices are decimal strings (never floating point): "5.00", "0.10". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Pricing {
  public static final String DECIMAL = "^[0-9]{1,9}(\\.[0-9]{1,6})?$";

  @Required
  @Pattern("^[A-Z]{3}$")
  @JsonPropertyDescription("ISO 4217 currency code, e.g. EUR.")
  private String currency;

  @Pattern(DECIMAL)
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Fee per instance per month, decimal, prorated by the instance's life in the month.")
  private String monthlyFee;

  @Pattern(DECIMAL)
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Price per million requests, decimal.")
  private String perMillionRequests;

  @Pattern(DECIMAL)
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Price per GiB stored for a month (database and files together), decimal.")
  private String perGiBMonth;

  public String getCurrency() { return currency; }
  public void setCurrency(String currency) { this.currency = currency; }
  public String getMonthlyFee() { return monthlyFee; }
  public void setMonthlyFee(String monthlyFee) { this.monthlyFee = monthlyFee; }
  public String getPerMillionRequests() { return perMillionRequests; }
  public void setPerMillionRequests(String perMillionRequests) { this.perMillionRequests = perMillionRequests; }
  public String getPerGiBMonth() { return perGiBMonth; }
  public void setPerGiBMonth(String perGiBMonth) { this.perGiBMonth = perGiBMonth; }
}
