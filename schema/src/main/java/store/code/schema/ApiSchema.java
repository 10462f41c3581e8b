package store.code.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.StringValue;
import graphql.parser.Parser;

/**
 * The GraphQL API an instance serves, as SDL: what {@link SchemaCompiler} promises in {@code queries} and
 * {@code mutations}, with every generated type (connections, filters, inputs) spelled out. The runtime
 * executes it; the operator can diff two versions of it. Maker-declared enums, inputs and plain types are
 * carried over unchanged (minus the code.store directives), {@code @code} fields keep their arguments.
 */
public record ApiSchema(String sdl, List<CodeField> codeFields) {

  /** A field served by maker code: {@code type.field} is answered by the handler named {@code handler}. */
  public record CodeField(String type, String field, String handler) {}

  /** Scalar filter inputs by the scalar they filter; enums get their own {@code <Enum>Filter}. */
  static final Map<ScalarType, String> FILTERS = Map.of(
      ScalarType.STRING, "StringFilter", ScalarType.INT, "IntFilter", ScalarType.FLOAT, "FloatFilter",
      ScalarType.BOOLEAN, "BooleanFilter", ScalarType.DATE_TIME, "DateTimeFilter", ScalarType.ID, "IDFilter");

  private static final String PLATFORM_TYPES = """
      scalar DateTime
      scalar JSON
      enum SortDirection { ASC DESC }
      type PageInfo { hasNextPage: Boolean! endCursor: String }
      input StringFilter { eq: String ne: String lt: String lte: String gt: String gte: String in: [String!] contains: String startsWith: String isNull: Boolean }
      input IntFilter { eq: Int ne: Int lt: Int lte: Int gt: Int gte: Int in: [Int!] isNull: Boolean }
      input FloatFilter { eq: Float ne: Float lt: Float lte: Float gt: Float gte: Float in: [Float!] isNull: Boolean }
      input BooleanFilter { eq: Boolean ne: Boolean isNull: Boolean }
      input IDFilter { eq: ID ne: ID in: [ID!] isNull: Boolean }
      input DateTimeFilter { eq: DateTime ne: DateTime lt: DateTime lte: DateTime gt: DateTime gte: DateTime in: [DateTime!] isNull: Boolean }
      """;

  private static final String FILE_TYPES = """
      "A stored object in the instance bucket. `url` is a short-lived pre-signed download URL."
      type File { key: String! url: String contentType: String size: Int }
      "Where to PUT the bytes of a new file, then set the returned key on a @file field."
      type FileUpload { key: String! uploadUrl: String! expiresAt: DateTime! }
      """;

  /** Builds the API of an already compiled schema (so it cannot fail on a schema the compiler accepted). */
  public static ApiSchema of(CompiledSchema compiled) {
    Document doc = Parser.parse(compiled.source());
    StringBuilder sdl = new StringBuilder(PLATFORM_TYPES);
    boolean files = compiled.models().stream().flatMap(m -> m.columns().stream()).anyMatch(c -> c.type() == ScalarType.FILE);
    if (files) {
      sdl.append(FILE_TYPES);
    }
    List<CodeField> codeFields = new ArrayList<>();
    Map<String, ObjectTypeDefinition> declared = new LinkedHashMap<>();
    List<FieldDefinition> makerQueries = new ArrayList<>();
    List<FieldDefinition> makerMutations = new ArrayList<>();
    Set<String> enumsInModels = new LinkedHashSet<>();
    compiled.models().forEach(m -> m.columns().stream().filter(c -> c.enumType() != null && !c.list())
        .forEach(c -> enumsInModels.add(c.enumType())));

    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof ObjectTypeDefinition o && (o.getName().equals("Query") || o.getName().equals("Mutation"))) {
        (o.getName().equals("Query") ? makerQueries : makerMutations).addAll(o.getFieldDefinitions());
        o.getFieldDefinitions().forEach(f -> codeFields.add(new CodeField(o.getName(), f.getName(), handler(f))));
      } else if (d instanceof ObjectTypeDefinition o) {
        declared.put(o.getName(), o);
      } else if (d instanceof EnumTypeDefinition e) {
        sdl.append(print(e.transform(b -> b.directives(List.of())))).append('\n');
      } else if (d instanceof InputObjectTypeDefinition i) {
        sdl.append(print(i.transform(b -> b.directives(List.of())))).append('\n');
      }
    }
    for (String e : enumsInModels) {
      sdl.append("input ").append(e).append("Filter { eq: ").append(e).append(" ne: ").append(e)
          .append(" in: [").append(e).append("!] isNull: Boolean }\n");
    }
    declared.forEach((name, o) -> {
      if (compiled.model(name).isEmpty()) {
        // a plain type, e.g. what maker code returns: carried over; its @code fields are served by handlers
        for (FieldDefinition f : o.getFieldDefinitions()) {
          String h = handler(f);
          if (h != null) {
            codeFields.add(new CodeField(name, f.getName(), h));
          }
        }
        sdl.append(print(o.transform(b -> b.directives(List.of()).fieldDefinitions(
            o.getFieldDefinitions().stream().map(ApiSchema::withoutDirectives).toList())))).append('\n');
      }
    });

    StringBuilder query = new StringBuilder("type Query {\n");
    StringBuilder mutation = new StringBuilder("type Mutation {\n");
    for (Model m : compiled.models()) {
      ObjectTypeDefinition def = declared.get(m.name());
      appendModel(sdl, m, def, compiled, codeFields);
      query.append("  \"One ").append(m.name()).append(" by id, or null.\"\n")
          .append("  ").append(m.singular()).append("(id: ID!): ").append(m.name()).append('\n')
          .append("  ").append(m.plural()).append("(where: ").append(m.name()).append("Where, orderBy: [")
          .append(m.name()).append("OrderBy!], first: Int, after: String): ").append(m.name()).append("Connection!\n");
      String written = m.readableByEveryWriter() ? "!" : ""; // null for a writer that may not read the row back
      mutation.append("  create").append(m.name()).append("(input: Create").append(m.name()).append("Input!): ")
          .append(m.name()).append(written).append('\n')
          .append("  \"Changes only the fields given.\"\n")
          .append("  update").append(m.name()).append("(id: ID!, input: Update").append(m.name()).append("Input!): ")
          .append(m.name()).append(written).append('\n')
          .append("  \"True when a row was deleted, false when none had this id.\"\n")
          .append("  delete").append(m.name()).append("(id: ID!): Boolean!\n");
    }
    makerQueries.forEach(f -> query.append("  ").append(print(withoutDirectives(f))).append('\n'));
    makerMutations.forEach(f -> mutation.append("  ").append(print(withoutDirectives(f))).append('\n'));
    if (files) {
      mutation.append("  \"A pre-signed URL to PUT a new file to; set the returned key on a @file field within the hour.\"\n")
          .append("  requestUpload(contentType: String!, filename: String): FileUpload!\n");
    }
    sdl.append(query).append("}\n");
    if (mutation.length() > "type Mutation {\n".length()) {
      sdl.append(mutation).append("}\n");
    }
    return new ApiSchema(sdl.toString(), List.copyOf(codeFields));
  }

  private static void appendModel(StringBuilder sdl, Model m, ObjectTypeDefinition def, CompiledSchema compiled,
      List<CodeField> codeFields) {
    String n = m.name();
    StringBuilder type = new StringBuilder();
    StringBuilder where = new StringBuilder("input " + n + "Where {\n  id: IDFilter\n  createdAt: DateTimeFilter\n  updatedAt: DateTimeFilter\n");
    StringBuilder orderBy = new StringBuilder("\"Sort by one field per entry; later entries break ties.\"\ninput " + n
        + "OrderBy {\n  id: SortDirection\n  createdAt: SortDirection\n  updatedAt: SortDirection\n");
    StringBuilder create = new StringBuilder("input Create" + n + "Input {\n");
    StringBuilder update = new StringBuilder("input Update" + n + "Input {\n");
    type.append(description(def.getDescription(), "")).append("type ").append(n)
        .append(" {\n  id: ID!\n  createdAt: DateTime!\n  updatedAt: DateTime!\n");
    for (FieldDefinition f : def.getFieldDefinitions()) {
      String field = f.getName();
      if (field.equals("id")) {
        continue;
      }
      var column = m.column(field);
      var relation = m.relation(field);
      // the maker's description of a stored field or relation, and its @deprecated, on the field of the type
      String described = description(f.getDescription(), "  ");
      String deprecated = deprecation(f);
      if (column.isPresent()) {
        Column c = column.get();
        String gql = graphqlType(c);
        type.append(described).append("  ").append(field).append(": ")
            .append(c.type() == ScalarType.FILE ? (c.list() ? "[File!]" : "File") : gql)
            .append(c.nullable() ? "" : "!").append(deprecated).append('\n');
        String input = c.type() == ScalarType.FILE ? (c.list() ? "[String!]" : "String") : gql;
        // an owner field is filled in from the caller's token when not given
        boolean required = !c.nullable() && c.defaultLiteral() == null && !m.isOwnerField(field);
        create.append(described).append("  ").append(field).append(": ").append(input).append(required ? "!" : "")
            .append('\n');
        update.append(described).append("  ").append(field).append(": ").append(input).append('\n');
        String filter = filterOf(c);
        if (filter != null) {
          where.append("  ").append(field).append(": ").append(filter).append('\n');
          orderBy.append("  ").append(field).append(": SortDirection\n");
        }
      } else if (relation.isPresent()) {
        Relation r = relation.get();
        switch (r.kind()) {
          case BELONGS_TO -> {
            // a reader of this row who may not read the row it points to gets null, not an error
            boolean mayBeHidden = compiled.model(r.target()).map(t -> t.mayHideFromReadersOf(m)).orElse(false);
            type.append(described).append("  ").append(field).append(": ").append(r.target())
                .append(r.nullable() || mayBeHidden ? "" : "!").append(deprecated).append('\n');
            type.append("  ").append(field).append("Id: ID").append(r.nullable() ? "" : "!").append('\n');
            create.append("  ").append(field).append("Id: ID").append(r.nullable() ? "" : "!").append('\n');
            update.append("  ").append(field).append("Id: ID\n");
            where.append("  ").append(field).append("Id: IDFilter\n");
            orderBy.append("  ").append(field).append("Id: SortDirection\n");
          }
          case HAS_MANY -> type.append(described).append("  ").append(field).append("(where: ").append(r.target())
              .append("Where, orderBy: [").append(r.target()).append("OrderBy!], first: Int): [").append(r.target())
              .append("!]!").append(deprecated).append('\n');
          case HAS_ONE -> type.append(described).append("  ").append(field).append(": ").append(r.target())
              .append(deprecated).append('\n');
        }
      } else {
        codeFields.add(new CodeField(n, field, handler(f)));
        type.append("  ").append(print(withoutDirectives(f))).append('\n');
      }
    }
    where.append("  and: [").append(n).append("Where!]\n  or: [").append(n).append("Where!]\n  not: ").append(n).append("Where\n");
    sdl.append(type).append("}\n")
        .append("type ").append(n).append("Connection { edges: [").append(n).append("Edge!]! pageInfo: PageInfo! totalCount: Int! }\n")
        .append("type ").append(n).append("Edge { cursor: String! node: ").append(n).append("! }\n")
        .append(where).append("}\n").append(orderBy).append("}\n");
    // an input object needs at least one field; a model with only relations/code fields still has id-less inputs
    sdl.append(create.length() > ("input Create" + n + "Input {\n").length() ? create : create.append("  _: Boolean\n")).append("}\n");
    sdl.append(update.length() > ("input Update" + n + "Input {\n").length() ? update : update.append("  _: Boolean\n")).append("}\n");
  }

  /** The filter input for a column, or null when the column cannot be filtered or sorted (lists, JSON, files). */
  static String filterOf(Column c) {
    if (c.list() || c.type() == ScalarType.JSON || c.type() == ScalarType.FILE) {
      return null;
    }
    return c.type() == ScalarType.ENUM ? c.enumType() + "Filter" : FILTERS.get(c.type());
  }

  static String graphqlType(Column c) {
    String base = switch (c.type()) {
      case ID -> "ID";
      case STRING, FILE -> "String";
      case INT -> "Int";
      case FLOAT -> "Float";
      case BOOLEAN -> "Boolean";
      case DATE_TIME -> "DateTime";
      case JSON -> "JSON";
      case ENUM -> c.enumType();
    };
    return c.list() ? "[" + base + "!]" : base;
  }

  private static String handler(FieldDefinition f) {
    return f.getDirectives().stream().filter(d -> d.getName().equals("code")).findFirst()
        .flatMap(d -> d.getArguments().stream().filter(a -> a.getName().equals("handler")).findFirst())
        .map(a -> ((StringValue) a.getValue()).getValue()).orElse(null);
  }

  /** Without the code.store directives, which the API does not declare; {@code @deprecated} stays. */
  private static FieldDefinition withoutDirectives(FieldDefinition f) {
    return f.transform(b -> b.directives(f.getDirectives().stream().filter(ApiSchema::isDeprecation).toList()));
  }

  private static boolean isDeprecation(graphql.language.Directive d) {
    return d.getName().equals("deprecated");
  }

  /** {@code @deprecated(reason: ...)} as the maker wrote it on {@code f}, printed; "" when it is not deprecated. */
  private static String deprecation(FieldDefinition f) {
    return f.getDirectives().stream().filter(ApiSchema::isDeprecation).findFirst()
        .map(d -> " " + print(d)).orElse("");
  }

  /** A GraphQL string of the maker's description on its own line before what it describes; "" without one. */
  static String description(graphql.language.Description d, String indent) {
    if (d == null || d.getContent() == null || d.getContent().isBlank()) {
      return "";
    }
    return indent + print(StringValue.of(d.getContent())) + "\n"; // graphql-java escapes it
  }

  private static String print(graphql.language.Node<?> node) {
    return AstPrinter.printAst(node).strip();
  }

}
