package store.code.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The root fields the generated GraphQL API offers, for humans browsing the marketplace. */
public class ApiSummary {
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The query fields of the generated API.")
  private List<String> queries = new ArrayList<>();
  @com.fasterxml.jackson.annotation.JsonPropertyDescription("The mutation fields of the generated API.")
  private List<String> mutations = new ArrayList<>();

  public ApiSummary() {}

  public ApiSummary(List<String> queries, List<String> mutations) {
    this.queries = queries;
    this.mutations = mutations;
  }

  public List<String> getQueries() { return queries; }
  public void setQueries(List<String> queries) { this.queries = queries; }
  public List<String> getMutations() { return mutations; }
  public void setMutations(List<String> mutations) { this.mutations = mutations; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiSummary a && Objects.equals(queries, a.queries) && Objects.equals(mutations, a.mutations);
  }

  @Override
  public int hashCode() { return Objects.hash(queries, mutations); }
}
