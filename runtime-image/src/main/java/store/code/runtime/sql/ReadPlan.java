package store.code.runtime.sql;

import java.util.List;
import java.util.Map;

import store.code.schema.Model;

/**
 * What one root read asks for, free of GraphQL: the model, the rows (id, or where/orderBy/first/after), and for every
 * level the parts of the answer in the client's order under the client's keys (aliases). Built by the GraphQL layer
 * from the validated, normalized document ({@code graphql.Planner}); {@link Reads} turns it into one statement. The
 * caller's rights are not in the plan: Reads adds them to every level of that statement from {@link Access}.
 *
 * <p>A plan is read in one of two {@link Style}s: as data for graphql-java to complete, or as the answer itself.
 */
public final class ReadPlan {

  private ReadPlan() {}

  /**
   * {@link #DATA}: values as Postgres renders them, for graphql-java's data fetchers and scalars to complete (and
   * {@link Reads#ROW_KEY} for maker code). {@link #ANSWER}: the exact bytes graphql-java would have written for this
   * part of the response; a value that cannot be rendered so in SQL (a Float outside the plain range, a null at a
   * non-null position, which graphql-java answers with an error) is rendered as {@link Reads#GIVE_UP} instead, and
   * the caller answers that request graphql-java's way.
   */
  public enum Style { DATA, ANSWER }

  /** The rows of a list: filter, order and page size, as the client gave them (null where not given). */
  public record Rows(Map<String, Object> where, List<Map<String, Object>> orderBy, Integer first, String after) {
    public static final Rows NONE = new Rows(null, null, null, null);
  }

  /** One object of a model: its parts in answer order, and whether maker code fields under it need the whole row. */
  public record Obj(Model model, List<Part> parts, boolean needsRow) {}

  /** One entry of an answer object, under the client's key. */
  public sealed interface Part {
    String key();
  }

  /**
   * A stored field of the model ({@code id}, {@code createdAt}, a column, a belongsTo's {@code <relation>Id}).
   * {@code enumValues}: the values its GraphQL enum type has, when it is one (a stored name outside them is an error
   * in graphql-java's answer).
   */
  public record Stored(String key, String field, boolean nonNull, List<String> enumValues) implements Part {}

  /** {@code __typename}. */
  public record TypeName(String key, String type) implements Part {}

  /** A relation of the model (belongsTo, hasOne, hasMany) and what is asked of its rows. */
  public record Related(String key, String field, boolean nonNull, Rows rows, Obj obj) implements Part {}

  /** A connection's {@code edges}: each edge's parts ({@link Cursor}, {@link Node}, {@link TypeName}). */
  public record Edges(String key, List<Part> parts) implements Part {}

  public record Cursor(String key) implements Part {}

  public record Node(String key, Obj obj) implements Part {}

  /** A connection's {@code pageInfo}: {@link HasNextPage}, {@link EndCursor}, {@link TypeName}. */
  public record PageInfo(String key, List<Part> parts) implements Part {}

  public record HasNextPage(String key) implements Part {}

  public record EndCursor(String key) implements Part {}

  public record TotalCount(String key) implements Part {}

  /** A root read. */
  public sealed interface Root {}

  /** {@code book(id:)}. */
  public record ById(String id, Obj obj) implements Root {}

  /** {@code books(where, orderBy, first, after)}: the connection's parts ({@link Edges}, {@link PageInfo}, ...). */
  public record Connection(Model model, Rows rows, List<Part> parts) implements Root {}
}
