package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Amounts are decimal strings; cursors are the last billed cumulative counter values, per instance, counter and
 * counter epoch (docs/operator.md, "Billing").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UsageReportStatus {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("One line per instance of the project that ran in the month.")
  private List<Line> lines = new ArrayList<>();
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The sum of the lines' amounts; absent when lines are priced in different currencies.")
  private Money total;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The last billed value of each cumulative counter of each instance: what the next pass counts from.")
  private List<Cursor> cursors = new ArrayList<>();
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("When usage was last written, RFC 3339 UTC.")
  private String collectedAt;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("True once the month has ended and its last pass is written: the report no longer changes.")
  private Boolean finalized;
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Anything a reader of the bill should know (e.g. readings refused, currencies mixed).")
  private String message;

  public List<Line> getLines() { return lines; }
  public void setLines(List<Line> lines) { this.lines = lines; }
  public Money getTotal() { return total; }
  public void setTotal(Money total) { this.total = total; }
  public List<Cursor> getCursors() { return cursors; }
  public void setCursors(List<Cursor> cursors) { this.cursors = cursors; }
  public String getCollectedAt() { return collectedAt; }
  public void setCollectedAt(String collectedAt) { this.collectedAt = collectedAt; }
  @com.fasterxml.jackson.annotation.JsonProperty("final")
  public Boolean getFinalized() { return finalized; }
  @com.fasterxml.jackson.annotation.JsonProperty("final")
  public void setFinalized(Boolean finalized) { this.finalized = finalized; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Line {
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The ServiceInstance (same namespace).")
    private String instance;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The Service the instance ran (namespace/name).")
    private String service;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The namespace of the Service's maker, who is paid for it.")
    private String maker;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The project environment the instance served.")
    private String environment;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Requests served in the month.")
    private Long requests;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Requests answered with errors in the month.")
    private Long errors;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Files in the instance's bucket, in GiB-hours, decimal.")
    private String storageGiBHours;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The instance's database size, in GiB-hours, decimal.")
    private String databaseGiBHours;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Hours the instance's runtime was running in the month, decimal.")
    private String runtimeHours;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("What the line costs, decimal: the monthly fee prorated by the instance's life, requests and GiB-months at the service's prices.")
    private String amount;

    public String getInstance() { return instance; }
    public void setInstance(String instance) { this.instance = instance; }
    public String getService() { return service; }
    public void setService(String service) { this.service = service; }
    public String getMaker() { return maker; }
    public void setMaker(String maker) { this.maker = maker; }
    public String getEnvironment() { return environment; }
    public void setEnvironment(String environment) { this.environment = environment; }
    public Long getRequests() { return requests; }
    public void setRequests(Long requests) { this.requests = requests; }
    public Long getErrors() { return errors; }
    public void setErrors(Long errors) { this.errors = errors; }
    public String getStorageGiBHours() { return storageGiBHours; }
    public void setStorageGiBHours(String storageGiBHours) { this.storageGiBHours = storageGiBHours; }
    public String getDatabaseGiBHours() { return databaseGiBHours; }
    public void setDatabaseGiBHours(String databaseGiBHours) { this.databaseGiBHours = databaseGiBHours; }
    public String getRuntimeHours() { return runtimeHours; }
    public void setRuntimeHours(String runtimeHours) { this.runtimeHours = runtimeHours; }
    public String getAmount() { return amount; }
    public void setAmount(String amount) { this.amount = amount; }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Money {
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("ISO 4217 currency code.")
    private String currency;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The sum of the lines' amounts, decimal.")
    private String amount;

    public String getCurrency() { return currency; }
    public void setCurrency(String currency) { this.currency = currency; }
    public String getAmount() { return amount; }
    public void setAmount(String amount) { this.amount = amount; }
  }

  /** The last billed value of one cumulative counter of one instance. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Cursor {
    @io.fabric8.generator.annotation.Required
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The ServiceInstance (same namespace).")
    private String instance;
    @io.fabric8.generator.annotation.Required
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The counter (requests, errors, or observedAt: when the instance was last read, in epoch seconds).")
    private String counter;
    @io.fabric8.generator.annotation.Required
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The counter's last billed value.")
    private Long value;
    /**
     * The runtime's counter epoch the value belongs to: a new epoch means the counters were created anew (a new
     * database) and start from zero. Absent on cursors written before epochs existed, and on the observedAt cursor.
     */
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The runtime's counter epoch of the value: a new one means the counters were created anew (a new database) and start from zero.")
    private String epoch;

    public String getInstance() { return instance; }
    public void setInstance(String instance) { this.instance = instance; }
    public String getCounter() { return counter; }
    public void setCounter(String counter) { this.counter = counter; }
    public Long getValue() { return value; }
    public void setValue(Long value) { this.value = value; }
    public String getEpoch() { return epoch; }
    public void setEpoch(String epoch) { this.epoch = epoch; }
  }
}
