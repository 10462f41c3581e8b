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
  private List<Line> lines = new ArrayList<>();
  private Money total;
  private List<Cursor> cursors = new ArrayList<>();
  private String collectedAt;
  private Boolean finalized;
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
    private String instance;
    private String service;
    private String maker;
    private String environment;
    private Long requests;
    private Long errors;
    private String storageGiBHours;
    private String databaseGiBHours;
    private String runtimeHours;
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
    private String currency;
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
    private String instance;
    @io.fabric8.generator.annotation.Required
    private String counter;
    @io.fabric8.generator.annotation.Required
    private Long value;
    /**
     * The runtime's counter epoch the value belongs to: a new epoch means the counters were created anew (a new
     * database) and start from zero. Absent on cursors written before epochs existed, and on the observedAt cursor.
     */
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
