package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the operator found before it moved an instance to another version: the API diff and the migration the
 * instance's runtime planned against its database, run and rolled back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeCheck {
  public static final String PLANNED = "Planned";
  public static final String REFUSED = "Refused";
  public static final String NOT_CHECKED = "NotChecked";

  @JsonPropertyDescription("The version the instance served when it was checked.")
  private String fromVersion;

  @JsonPropertyDescription("The version it was to move to.")
  private String toVersion;

  @JsonPropertyDescription("Planned: the dry run passed and the instance moved (or is moving). Refused: the migration "
      + "would lose data or fails on this database, so the instance stays on fromVersion (see refused). NotChecked: no "
      + "runtime was serving to check against (a new or scaled-down instance); its own start-up migration decides.")
  private String result;

  @JsonPropertyDescription("What the new version's API breaks for clients of the old one (empty: nothing).")
  private List<String> breakingChanges = new ArrayList<>();

  @JsonPropertyDescription("The SQL statements the migration would run.")
  private List<String> statements = new ArrayList<>();

  @JsonPropertyDescription("Why the migration would be refused: each field or type that would lose data, or a "
      + "statement the data refuses.")
  private List<String> refused = new ArrayList<>();

  public String getFromVersion() { return fromVersion; }
  public void setFromVersion(String fromVersion) { this.fromVersion = fromVersion; }
  public String getToVersion() { return toVersion; }
  public void setToVersion(String toVersion) { this.toVersion = toVersion; }
  public String getResult() { return result; }
  public void setResult(String result) { this.result = result; }
  public List<String> getBreakingChanges() { return breakingChanges; }
  public void setBreakingChanges(List<String> breakingChanges) { this.breakingChanges = breakingChanges; }
  public List<String> getStatements() { return statements; }
  public void setStatements(List<String> statements) { this.statements = statements; }
  public List<String> getRefused() { return refused; }
  public void setRefused(List<String> refused) { this.refused = refused; }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpgradeCheck u && Objects.equals(fromVersion, u.fromVersion) && Objects.equals(toVersion, u.toVersion)
        && Objects.equals(result, u.result) && Objects.equals(breakingChanges, u.breakingChanges)
        && Objects.equals(statements, u.statements) && Objects.equals(refused, u.refused);
  }

  @Override
  public int hashCode() { return Objects.hash(fromVersion, toVersion, result, breakingChanges, statements, refused); }
}
