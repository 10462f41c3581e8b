package store.code.runtime.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import graphql.normalized.ExecutableNormalizedField;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;

import store.code.runtime.sql.ReadPlan;
import store.code.runtime.sql.ReadPlan.Style;
import store.code.schema.Column;
import store.code.schema.CompiledSchema;
import store.code.schema.Model;
import store.code.schema.Relation;
import store.code.schema.ScalarType;

/**
 * Turns the normalized form of a validated operation (graphql-java's {@link ExecutableNormalizedField}s: fragments
 * merged, {@code @skip}/{@code @include} applied, arguments coerced, aliases as result keys) into {@link ReadPlan}s.
 * A plan for an {@link Style#ANSWER} is made only where every part of the selection can be rendered by Postgres
 * exactly as graphql-java would answer it; anything that needs Java (maker code, file URLs, JSON values, lists, a
 * field of a type the generated API does not make) leaves that root field to graphql-java.
 */
final class Planner {

  /** A part of the selection an answer in SQL cannot give: that root field is left to graphql-java. */
  private static final class NeedsJava extends RuntimeException {
    NeedsJava() {
      super(null, null, false, false);
    }
  }

  private static final NeedsJava NEEDS_JAVA = new NeedsJava();

  private final CompiledSchema compiled;
  private final GraphQLSchema schema;
  private final Map<String, Model> byId = new HashMap<>();
  private final Map<String, Model> connections = new HashMap<>();

  Planner(CompiledSchema compiled, GraphQLSchema schema) {
    this.compiled = compiled;
    this.schema = schema;
    for (Model m : compiled.models()) {
      byId.put(m.singular(), m);
      connections.put(m.plural(), m);
    }
  }

  /** The read of a root query field, for the data fetchers. */
  ReadPlan.Root root(ExecutableNormalizedField field) {
    return root(field, Style.DATA).orElseThrow(() -> new IllegalStateException(field.getName() + " is not a read of a model"));
  }

  /** The plan of a root query field as its answer, or empty where graphql-java has to answer it. */
  Optional<ReadPlan.Root> answer(ExecutableNormalizedField field) {
    try {
      return root(field, Style.ANSWER);
    } catch (NeedsJava e) {
      return Optional.empty();
    }
  }

  /** A model's object with the selection under {@code field} (a root read, or maker code returning rows). */
  ReadPlan.Obj obj(Model m, ExecutableNormalizedField field) {
    return obj(m, field.getChildren(), Style.DATA);
  }

  private Optional<ReadPlan.Root> root(ExecutableNormalizedField field, Style style) {
    Map<String, Object> args = field.getResolvedArguments();
    Model single = byId.get(field.getName());
    if (single != null) {
      return Optional.of(new ReadPlan.ById((String) args.get("id"), obj(single, field.getChildren(), style)));
    }
    Model many = connections.get(field.getName());
    if (many == null) {
      if (style == Style.ANSWER) {
        throw NEEDS_JAVA; // introspection, maker code
      }
      return Optional.empty();
    }
    List<ReadPlan.Part> parts = new ArrayList<>();
    for (ExecutableNormalizedField f : field.getChildren()) {
      String key = f.getResultKey();
      switch (f.getName()) {
        case "edges" -> {
          List<ReadPlan.Part> edge = new ArrayList<>();
          for (ExecutableNormalizedField e : f.getChildren()) {
            switch (e.getName()) {
              case "cursor" -> edge.add(new ReadPlan.Cursor(e.getResultKey()));
              case "node" -> edge.add(new ReadPlan.Node(e.getResultKey(), obj(many, e.getChildren(), style)));
              default -> edge.add(typeName(e, many.name() + "Edge"));
            }
          }
          parts.add(new ReadPlan.Edges(key, edge));
        }
        case "pageInfo" -> {
          List<ReadPlan.Part> info = new ArrayList<>();
          for (ExecutableNormalizedField p : f.getChildren()) {
            switch (p.getName()) {
              case "hasNextPage" -> info.add(new ReadPlan.HasNextPage(p.getResultKey()));
              case "endCursor" -> info.add(new ReadPlan.EndCursor(p.getResultKey()));
              default -> info.add(typeName(p, "PageInfo"));
            }
          }
          parts.add(new ReadPlan.PageInfo(key, info));
        }
        case "totalCount" -> parts.add(new ReadPlan.TotalCount(key));
        default -> parts.add(typeName(f, many.name() + "Connection"));
      }
    }
    return Optional.of(new ReadPlan.Connection(many, rows(args), parts));
  }

  @SuppressWarnings("unchecked")
  private static ReadPlan.Rows rows(Map<String, Object> args) {
    return new ReadPlan.Rows((Map<String, Object>) args.get("where"), (List<Map<String, Object>>) args.get("orderBy"),
        (Integer) args.get("first"), args.get("after") == null ? null : args.get("after").toString());
  }

  private static ReadPlan.TypeName typeName(ExecutableNormalizedField f, String type) {
    if (!f.getName().equals("__typename")) {
      throw new IllegalStateException(type + " has no field " + f.getName());
    }
    return new ReadPlan.TypeName(f.getResultKey(), type);
  }

  private ReadPlan.Obj obj(Model m, List<ExecutableNormalizedField> selection, Style style) {
    List<ReadPlan.Part> parts = new ArrayList<>();
    boolean needsRow = false;
    for (ExecutableNormalizedField f : selection) {
      String name = f.getName();
      String key = f.getResultKey();
      Optional<Relation> relation = m.relation(name);
      if (name.equals("__typename")) {
        parts.add(new ReadPlan.TypeName(key, m.name()));
      } else if (m.codeFields().contains(name)) {
        if (style == Style.ANSWER) {
          throw NEEDS_JAVA;
        }
        needsRow = true;
      } else if (relation.isPresent()) {
        Model target = compiled.model(relation.get().target())
            .orElseThrow(() -> new IllegalStateException(m.name() + "." + name + " points at no model"));
        ReadPlan.Rows rows = relation.get().kind() == Relation.Kind.HAS_MANY ? rows(f.getResolvedArguments())
            : ReadPlan.Rows.NONE;
        parts.add(new ReadPlan.Related(key, name, nonNull(f), rows, obj(target, f.getChildren(), style)));
      } else {
        Optional<Column> column = m.column(name);
        if (style == Style.ANSWER && column.isPresent() && !answerable(column.get())) {
          throw NEEDS_JAVA;
        }
        parts.add(new ReadPlan.Stored(key, name, nonNull(f), enumValues(f)));
      }
    }
    return new ReadPlan.Obj(m, List.copyOf(parts), needsRow);
  }

  /** Columns whose answer SQL renders exactly; files (signed URLs), JSON values and lists take graphql-java's way. */
  private static boolean answerable(Column c) {
    return !c.list() && c.type() != ScalarType.FILE && c.type() != ScalarType.JSON;
  }

  private boolean nonNull(ExecutableNormalizedField f) {
    return f.getType(schema) instanceof GraphQLNonNull;
  }

  private List<String> enumValues(ExecutableNormalizedField f) {
    GraphQLOutputType type = f.getType(schema);
    if (GraphQLTypeUtil.unwrapAll(type) instanceof GraphQLEnumType e) {
      return e.getValues().stream().map(GraphQLEnumValueDefinition::getName).toList();
    }
    return List.of();
  }
}
