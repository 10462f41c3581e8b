package store.code.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UsageReportSpec {
  @Required
  private String project;
  @Required
  private Period period;

  public String getProject() { return project; }
  public void setProject(String project) { this.project = project; }
  public Period getPeriod() { return period; }
  public void setPeriod(Period period) { this.period = period; }

  /** Half-open interval [start, end) in RFC 3339 UTC. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Period {
    @Required
    private String start;
    @Required
    private String end;

    public String getStart() { return start; }
    public void setStart(String start) { this.start = start; }
    public String getEnd() { return end; }
    public void setEnd(String end) { this.end = end; }
  }
}
