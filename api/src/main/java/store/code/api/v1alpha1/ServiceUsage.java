package store.code.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a maker sees of a service's use in one month, summed over every project's UsageReport: how many projects,
 * requests, and the revenue its lines bring. No client data beyond those sums.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceUsage {
  /** The calendar month (UTC), e.g. 2026-11. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The calendar month (UTC), e.g. 2026-11.")
  private String month;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("How many projects used the service in the month.")
  private Integer projects;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Requests served in the month, all projects together.")
  private Long requests;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("ISO 4217 currency of revenue.")
  private String currency;
  /** Decimal, the sum of the report lines' amounts. */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Decimal: the sum of the report lines' amounts for this service.")
  private String revenue;

  public String getMonth() { return month; }
  public void setMonth(String month) { this.month = month; }
  public Integer getProjects() { return projects; }
  public void setProjects(Integer projects) { this.projects = projects; }
  public Long getRequests() { return requests; }
  public void setRequests(Long requests) { this.requests = requests; }
  public String getCurrency() { return currency; }
  public void setCurrency(String currency) { this.currency = currency; }
  public String getRevenue() { return revenue; }
  public void setRevenue(String revenue) { this.revenue = revenue; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceUsage u && Objects.equals(month, u.month) && Objects.equals(projects, u.projects)
        && Objects.equals(requests, u.requests) && Objects.equals(currency, u.currency) && Objects.equals(revenue, u.revenue);
  }

  @Override
  public int hashCode() { return Objects.hash(month, projects, requests, currency, revenue); }
}
