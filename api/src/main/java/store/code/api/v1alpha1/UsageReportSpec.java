package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UsageReportSpec {
  @Required
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The Project (same namespace) whose usage this report bills.")
  private String project;
  @Required
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The calendar month (UTC) the report covers.")
  private Period period;
  /**
   * Where this month's counting starts: the cursors of the latest earlier report, copied into the request that
   * creates this one, so a report never exists without them. Written once by the operator; never changed.
   */
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("Where the month's counting starts: the cursors of the project's latest earlier report, written once by the operator and never changed.")
  private Opening opening;

  public String getProject() { return project; }
  public void setProject(String project) { this.project = project; }
  public Period getPeriod() { return period; }
  public void setPeriod(Period period) { this.period = period; }
  public Opening getOpening() { return opening; }
  public void setOpening(Opening opening) { this.opening = opening; }

  /** The cursors a month's report starts from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Opening {
    /** The report the cursors come from; absent when the project had no earlier report. */
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The report the cursors come from; absent when the project had no earlier report.")
    private String from;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The last billed value of each counter of each instance at the start of the month.")
    private List<UsageReportStatus.Cursor> cursors = new ArrayList<>();

    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public List<UsageReportStatus.Cursor> getCursors() { return cursors; }
    public void setCursors(List<UsageReportStatus.Cursor> cursors) { this.cursors = cursors; }
  }

  /** Half-open interval [start, end) in RFC 3339 UTC. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Period {
    @Required
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Start of the period (inclusive), RFC 3339 UTC.")
    private String start;
    @Required
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("End of the period (exclusive), RFC 3339 UTC.")
    private String end;

    public String getStart() { return start; }
    public void setStart(String start) { this.start = start; }
    public String getEnd() { return end; }
    public void setEnd(String end) { this.end = end; }
  }
}
