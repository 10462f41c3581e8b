package store.code.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import graphql.GraphQLError;
import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.FloatValue;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.IntValue;
import graphql.language.ListType;
import graphql.language.Node;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.schema.idl.errors.SchemaProblem;

/**
 * Compiles a maker's SDL into a {@link CompiledSchema}. Pure: the same text always gives the same
 * result, so the operator can validate a Service and the runtime can build tables from one code path.
 *
 * <p>Checks happen in three passes, each only when the previous found nothing: syntax (with parser
 * limits), GraphQL validity (graphql-java's own schema checker, with the code.store directives
 * declared), then the code.store rules (directive placement, relations, reserved and generated names).
 */
public final class SchemaCompiler {

  /** What code.store adds to every schema. Makers use these; they never declare them. */
  static final String PLATFORM_SDL = """
      directive @model on OBJECT
      directive @unique on FIELD_DEFINITION
      directive @index on FIELD_DEFINITION
      directive @default(value: CodestoreAnyValue!) on FIELD_DEFINITION
      directive @hasMany(field: String) on FIELD_DEFINITION
      directive @hasOne(field: String) on FIELD_DEFINITION
      directive @belongsTo(onDelete: CodestoreOnDelete = RESTRICT) on FIELD_DEFINITION
      directive @file on FIELD_DEFINITION
      directive @code(handler: String!) on FIELD_DEFINITION
      directive @auth(rules: [CodestoreAuthRule!]!) on OBJECT | FIELD_DEFINITION
      input CodestoreAuthRule {
        allow: CodestoreAuthStrategy!
        operations: [CodestoreAuthOperation!]
        ownerField: String
        groups: [String!]
      }
      enum CodestoreAuthStrategy { public private owner groups }
      enum CodestoreAuthOperation { create read update delete }
      enum CodestoreOnDelete { RESTRICT CASCADE SET_NULL }
      scalar CodestoreAnyValue
      scalar DateTime
      scalar JSON
      type File { key: String! url: String contentType: String size: Int }
      """;

  /** The code.store directives, and GraphQL's own {@code @deprecated}, which the generated API carries over. */
  static final Set<String> DIRECTIVES =
      Set.of("model", "unique", "index", "default", "hasMany", "hasOne", "belongsTo", "file", "code", "auth", "deprecated");

  /** Types every generated API defines; a maker's type of the same name would clash. */
  static final Set<String> GENERATED_TYPES = Set.of(
      "PageInfo", "SortDirection", "StringFilter", "IntFilter", "FloatFilter", "BooleanFilter", "IDFilter",
      "DateTimeFilter", "FileUpload", "Subscription", "File", "DateTime", "JSON");

  private static final int MAX_TOKENS = 20_000;
  private static final int MAX_SDL_CHARS = 262_144;
  private static final java.util.regex.Pattern HANDLER = java.util.regex.Pattern.compile("^[A-Za-z_][A-Za-z0-9_.]{0,127}$");

  private final List<SchemaError> errors = new ArrayList<>();
  private final AuthRules auth = new AuthRules(this::error);

  private SchemaCompiler() {}

  /** Compiles {@code sdl}, or throws with every error found (line:column and a fix). */
  public static CompiledSchema compile(String sdl) throws SchemaException {
    return new SchemaCompiler().run(sdl == null ? "" : sdl);
  }

  /** SHA-256 of the exact source text, first 16 hex digits: identifies what an instance runs. */
  public static String hash(String sdl) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sdl.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private CompiledSchema run(String sdl) throws SchemaException {
    if (sdl.isBlank()) {
      throw new SchemaException(List.of(new SchemaError(1, 1, "the schema is empty: declare at least one type with @model")));
    }
    if (sdl.length() > MAX_SDL_CHARS) {
      throw new SchemaException(List.of(new SchemaError(1, 1,
          "the schema has " + sdl.length() + " characters, more than the limit of " + MAX_SDL_CHARS)));
    }
    Document doc = parse(sdl);
    checkGraphqlValidity(sdl, doc);
    failIfErrors();
    CompiledSchema compiled = compileModels(sdl, doc);
    failIfErrors();
    return compiled;
  }

  private void failIfErrors() throws SchemaException {
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(SchemaError::line).thenComparingInt(SchemaError::column));
      throw new SchemaException(errors);
    }
  }

  private Document parse(String sdl) throws SchemaException {
    ParserOptions options = ParserOptions.getDefaultSdlParserOptions().transform(o -> o.maxTokens(MAX_TOKENS));
    try {
      return new Parser().parseDocument(ParserEnvironment.newParserEnvironment()
          .document(sdl).parserOptions(options).build());
    } catch (InvalidSyntaxException e) {
      SourceLocation at = e.getLocation();
      String msg = e.getMessage();
      // graphql-java prefixes "Invalid syntax with offending token ... at line 3 column 7"; keep its reason, we print the place.
      throw new SchemaException(List.of(new SchemaError(
          at == null ? 1 : at.getLine(), at == null ? 1 : at.getColumn(), "syntax error: " + msg)));
    }
  }

  /** graphql-java's own checks: unknown types, duplicate names, bad directive arguments. */
  private void checkGraphqlValidity(String sdl, Document doc) {
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof DirectiveDefinition dd) {
        error(dd, "directive @" + dd.getName() + " is declared here, but code.store provides its directives: remove the declaration");
      } else if (d instanceof SchemaDefinition sd) {
        error(sd, "a schema { } block is not allowed: the root types are always Query and Mutation");
      } else if (d instanceof ScalarTypeDefinition s) {
        error(s, "custom scalar " + s.getName() + " is not supported: use String, Int, Float, Boolean, ID, DateTime or JSON");
      } else if (d instanceof graphql.language.InterfaceTypeDefinition i) {
        error(i, "interface " + i.getName() + " is not supported yet: use a @model type");
      } else if (d instanceof graphql.language.UnionTypeDefinition u) {
        error(u, "union " + u.getName() + " is not supported yet: use a @model type");
      } else if (d instanceof graphql.language.SDLNamedDefinition<?> named && named.getName().startsWith("__")) {
        error(d, "the name " + named.getName() + " starts with __, which GraphQL reserves for introspection: rename it");
      } else if (d instanceof graphql.language.SDLNamedDefinition<?> named
          && (named.getName().startsWith("Codestore") || GENERATED_TYPES.contains(named.getName()))) {
        error(d, "the type name " + named.getName() + " is reserved by code.store (it is part of every generated API): rename it");
      }
    }
    checkDirectiveNames(doc);
    if (!errors.isEmpty()) {
      return;
    }
    try {
      TypeDefinitionRegistry registry = new SchemaParser().parse(PLATFORM_SDL);
      registry.merge(registryOf(doc));
      if (registry.getType("Query").isEmpty()) {
        registry.merge(new SchemaParser().parse("type Query { codestorePlaceholder: Boolean }"));
      }
      UnExecutableSchemaGenerator.makeUnExecutableSchema(registry);
    } catch (SchemaProblem problem) {
      for (GraphQLError e : problem.getErrors()) {
        var loc = e.getLocations() == null || e.getLocations().isEmpty() ? null : e.getLocations().get(0);
        errors.add(new SchemaError(loc == null ? 1 : loc.getLine(), loc == null ? 1 : loc.getColumn(), e.getMessage()));
      }
    } catch (RuntimeException e) {
      errors.add(new SchemaError(1, 1, "the schema is not valid GraphQL: " + e.getMessage()));
    }
  }

  /** Before graphql-java sees them, so the message lists what is known instead of "undeclared". */
  private void checkDirectiveNames(Document doc) {
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof ObjectTypeDefinition o) {
        o.getDirectives().forEach(dir -> checkKnown(dir, "type " + o.getName()));
        for (FieldDefinition f : o.getFieldDefinitions()) {
          f.getDirectives().forEach(dir -> checkKnown(dir, o.getName() + "." + f.getName()));
        }
      }
    }
  }

  private void checkKnown(Directive d, String where) {
    if (!DIRECTIVES.contains(d.getName())) {
      error(d, "unknown directive @" + d.getName() + " on " + where + ": known directives are " + known());
    }
  }

  private static TypeDefinitionRegistry registryOf(Document doc) {
    TypeDefinitionRegistry r = new TypeDefinitionRegistry();
    for (Definition<?> d : doc.getDefinitions()) {
      r.add((graphql.language.SDLDefinition<?>) d).ifPresent(err -> {
        throw new SchemaProblem(List.of(err));
      });
    }
    return r;
  }

  private CompiledSchema compileModels(String sdl, Document doc) {
    Map<String, ObjectTypeDefinition> objects = new LinkedHashMap<>();
    Map<String, EnumTypeDefinition> enums = new LinkedHashMap<>();
    List<ObjectTypeDefinition> roots = new ArrayList<>();
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof ObjectTypeDefinition o) {
        if (o.getName().equals("Query") || o.getName().equals("Mutation")) {
          roots.add(o);
        } else if (!(o instanceof ObjectTypeExtensionDefinition)) {
          objects.put(o.getName(), o);
        }
      } else if (d instanceof EnumTypeDefinition e) {
        enums.put(e.getName(), e);
      }
    }
    Map<String, ObjectTypeDefinition> models = new LinkedHashMap<>();
    objects.forEach((name, o) -> {
      if (has(o.getDirectives(), "model")) {
        models.put(name, o);
      }
    });
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof ObjectTypeDefinition o) {
        checkDirectivePlacement(o, models.containsKey(o.getName()), roots.contains(o));
      }
    }

    Set<String> generatedNames = new LinkedHashSet<>();
    List<Model> compiled = new ArrayList<>();
    Map<String, String> tables = new LinkedHashMap<>();
    for (ObjectTypeDefinition o : models.values()) {
      Model m = compileModel(o, models, enums);
      String previous = tables.put(m.table(), o.getName());
      if (previous != null) {
        error(o, "type " + o.getName() + " maps to table \"" + m.table() + "\" like type " + previous + ": rename one of them");
      }
      if (m.table().startsWith(Names.RESERVED_TABLE_PREFIX)) {
        error(o, "type " + o.getName() + " maps to table \"" + m.table() + "\": tables named " + Names.RESERVED_TABLE_PREFIX
            + "* are kept by the runtime for itself: rename the type");
      }
      for (String generated : List.of(o.getName() + "Connection", o.getName() + "Edge", o.getName() + "Where",
          o.getName() + "OrderBy", "Create" + o.getName() + "Input", "Update" + o.getName() + "Input")) {
        if (objects.containsKey(generated) || enums.containsKey(generated) || doc.getDefinitions().stream()
            .anyMatch(d -> d instanceof InputObjectTypeDefinition i && i.getName().equals(generated))) {
          error(o, "the generated API for " + o.getName() + " defines type " + generated
              + ", which this schema also declares: rename the declared type");
        }
        generatedNames.add(generated);
      }
      compiled.add(m);
    }
    checkInverseRelations(compiled, models);
    compiled.stream().flatMap(m -> m.columns().stream()).map(Column::enumType).filter(e -> e != null).distinct()
        .forEach(e -> doc.getDefinitions().stream()
            .filter(d -> d instanceof graphql.language.SDLNamedDefinition<?> n && n.getName().equals(e + "Filter"))
            .findFirst().ifPresent(d -> error(d, "the generated API filters enum " + e + " with type " + e
                + "Filter, which this schema also declares: rename the declared type")));

    List<String> queries = new ArrayList<>();
    List<String> mutations = new ArrayList<>();
    for (Model m : compiled) {
      queries.add(m.singular());
      queries.add(m.plural());
      mutations.add("create" + m.name());
      mutations.add("update" + m.name());
      mutations.add("delete" + m.name());
    }
    if (compiled.stream().flatMap(m -> m.columns().stream()).anyMatch(c -> c.type() == ScalarType.FILE)) {
      mutations.add("requestUpload");
    }
    for (ObjectTypeDefinition root : roots) {
      List<String> target = root.getName().equals("Query") ? queries : mutations;
      for (FieldDefinition f : root.getFieldDefinitions()) {
        Optional<Directive> code = directive(f.getDirectives(), "code");
        if (code.isEmpty()) {
          error(f, root.getName() + "." + f.getName() + " has no @code(handler: ...): fields of " + root.getName()
              + " are generated from @model types, so a field you declare there must be served by maker code");
          continue;
        }
        if (target.contains(f.getName())) {
          error(f, root.getName() + "." + f.getName() + " clashes with a generated field of the same name: rename it");
        }
        target.add(f.getName());
      }
    }
    Map<String, List<AuthRule>> rootRules = new LinkedHashMap<>();
    for (ObjectTypeDefinition root : roots) {
      for (FieldDefinition f : root.getFieldDefinitions()) {
        String where = root.getName() + "." + f.getName();
        List<AuthRule> rules = directive(f.getDirectives(), "auth").map(a -> rootRules(a, where)).orElse(AuthRule.DEFAULT);
        rootRules.put(where, rules);
      }
    }
    List<String> handlers = new ArrayList<>();
    for (Definition<?> d : doc.getDefinitions()) {
      if (d instanceof ObjectTypeDefinition o) {
        for (FieldDefinition f : o.getFieldDefinitions()) {
          directive(f.getDirectives(), "code").flatMap(c -> stringArg(c, "handler")).ifPresent(handlers::add);
        }
      }
    }
    if (compiled.isEmpty() && queries.isEmpty()) {
      errors.add(new SchemaError(1, 1, "the schema defines no API: mark at least one type with @model, "
          + "or declare a Query field served by @code(handler: ...)"));
    }
    return new CompiledSchema(sdl, hash(sdl), List.copyOf(compiled), List.copyOf(queries), List.copyOf(mutations),
        List.copyOf(handlers), Map.copyOf(rootRules));
  }

  /** Rules on a root @code field say who may call it: public, private or groups; no owner, no operations. */
  private List<AuthRule> rootRules(Directive a, String where) {
    List<AuthRule> rules = auth.parse(a, where);
    for (AuthRule r : rules) {
      if (r.allow() == AuthRule.Allow.OWNER) {
        error(a, "rule " + r.describe() + " of @auth on " + where + ": a root field has no row to own; use private, "
            + "groups, or owner rules on the @model types it returns");
      }
      if (r.operations().size() < AuthRule.Operation.values().length) {
        error(a, "rule " + r.describe() + " of @auth on " + where + " names operations: a root field is called, not "
            + "created or read; leave operations out");
      }
    }
    return rules;
  }

  private void checkDirectivePlacement(ObjectTypeDefinition o, boolean isModel, boolean isRoot) {
    if (isRoot && has(o.getDirectives(), "model")) {
      error(o, o.getName() + " is a root type and cannot be a @model: declare a separate type");
    }
    directive(o.getDirectives(), "auth").filter(a -> !isModel).ifPresent(a -> error(a, "@auth on type " + o.getName()
        + " needs it to be a @model type" + (isRoot ? ": put @auth on each of its @code fields instead" : "")));
    for (FieldDefinition f : o.getFieldDefinitions()) {
      for (Directive d : f.getDirectives()) {
        if (isRoot && d.getName().equals("auth")) {
          continue;
        }
        if (!isModel && !d.getName().equals("code") && !d.getName().equals("deprecated")) {
          error(d, "@" + d.getName() + " on " + o.getName() + "." + f.getName() + " needs " + o.getName()
              + " to be a @model type: add @model to the type, or remove the directive");
        }
      }
    }
  }

  private static String known() {
    return "@model, @unique, @index, @default, @hasMany, @hasOne, @belongsTo, @file, @code, @auth, and GraphQL's "
        + "@deprecated(reason:) on fields";
  }

  private Model compileModel(ObjectTypeDefinition o, Map<String, ObjectTypeDefinition> models,
      Map<String, EnumTypeDefinition> enums) {
    String name = o.getName();
    String table = Names.snake(name);
    if (table.length() > Names.MAX_IDENTIFIER) {
      error(o, "type " + name + " gives table name \"" + table + "\" longer than " + Names.MAX_IDENTIFIER + " characters: shorten it");
    }
    List<Column> columns = new ArrayList<>();
    List<Relation> relations = new ArrayList<>();
    List<String> codeFields = new ArrayList<>();
    Optional<Directive> typeAuth = directive(o.getDirectives(), "auth");
    List<AuthRule> rules = typeAuth.map(a -> auth.parse(a, "type " + name)).orElse(AuthRule.DEFAULT);
    Map<Column, Directive> fieldAuth = new LinkedHashMap<>();
    Set<String> columnNames = new LinkedHashSet<>(List.of("id", "created_at", "updated_at"));
    for (FieldDefinition f : o.getFieldDefinitions()) {
      String where = name + "." + f.getName();
      if (f.getName().startsWith("__")) {
        error(f, "field " + where + " starts with __, which GraphQL reserves: rename it");
        continue;
      }
      if (f.getName().equals("id")) {
        if (!isNonNullNamed(f.getType(), "ID")) {
          error(f, "field " + where + " must be declared as id: ID! (or left out: every @model gets it)");
        }
        if (!f.getDirectives().isEmpty()) {
          error(f, "field " + where + " is the primary key: directives on it are not allowed");
        }
        continue;
      }
      if (f.getName().equals("createdAt") || f.getName().equals("updatedAt")) {
        error(f, "field " + where + " is added to every @model automatically (DateTime!): remove it from the schema");
        continue;
      }
      directive(f.getDirectives(), "auth").filter(a -> has(f.getDirectives(), "code")
          || has(f.getDirectives(), "hasMany") || has(f.getDirectives(), "hasOne") || has(f.getDirectives(), "belongsTo"))
          .ifPresent(a -> error(a, "@auth on " + where + " is not supported: "
              + (has(f.getDirectives(), "code") ? "a @code field follows its type's rules, and its handler gets the caller"
                  : "a relation returns rows of another type, whose own rules filter them")));
      if (has(f.getDirectives(), "code")) {
        checkCode(f, where);
        codeFields.add(f.getName());
        continue;
      }
      if (!f.getInputValueDefinitions().isEmpty()) {
        error(f, "field " + where + " declares arguments; only @code fields take arguments (relations get where/orderBy/first generated)");
      }
      String typeName = namedType(f.getType());
      boolean list = f.getType() instanceof ListType || (f.getType() instanceof NonNullType nn && nn.getType() instanceof ListType);
      boolean nullable = !(f.getType() instanceof NonNullType);
      boolean isRelation = has(f.getDirectives(), "hasMany") || has(f.getDirectives(), "hasOne") || has(f.getDirectives(), "belongsTo");
      if (models.containsKey(typeName) || isRelation) {
        compileRelation(f, where, typeName, list, nullable, models).ifPresent(r -> {
          relations.add(r);
          if (r.kind() == Relation.Kind.BELONGS_TO && !columnNames.add(r.column())) {
            error(f, "field " + where + " gives column \"" + r.column() + "\", which another field of " + name + " also gives: rename one");
          }
        });
        continue;
      }
      Optional<ScalarType> scalar = ScalarType.ofGraphqlName(typeName);
      String enumType = null;
      if (enums.containsKey(typeName)) {
        scalar = Optional.of(ScalarType.ENUM);
        enumType = typeName;
      }
      if (scalar.isEmpty()) {
        error(f, "field " + where + " has type " + typeName + ", which is neither a scalar, an enum nor a @model type: "
            + "add @model to " + typeName + ", store it as JSON, or serve the field with @code");
        continue;
      }
      ScalarType type = scalar.get();
      boolean file = has(f.getDirectives(), "file");
      if (file != (type == ScalarType.FILE)) {
        error(f, file ? "@file on " + where + " needs the field type File (e.g. `" + f.getName() + ": File @file`)"
            : "field " + where + " has type File, which needs the @file directive");
      }
      if (type == ScalarType.ID) {
        error(f, "field " + where + " has type ID; only the primary key id is an ID. Reference another model with @belongsTo, or use String");
      }
      boolean unique = has(f.getDirectives(), "unique");
      boolean indexed = has(f.getDirectives(), "index");
      if ((unique || indexed) && (list || type == ScalarType.JSON || type == ScalarType.FILE)) {
        error(f, "@" + (unique ? "unique" : "index") + " on " + where + " is not supported for " + (list ? "lists" : type.name()) + " fields");
      }
      EnumTypeDefinition enumDef = enumType == null ? null : enums.get(enumType);
      Optional<Directive> defaultDirective = directive(f.getDirectives(), "default");
      String defaultLiteral = defaultDirective.isEmpty() ? null
          : defaultLiteral(defaultDirective.get(), where, type, list, enumDef);
      String column = Names.snake(f.getName());
      if (column.length() > Names.MAX_IDENTIFIER) {
        error(f, "field " + where + " gives column name longer than " + Names.MAX_IDENTIFIER + " characters: shorten it");
      }
      if (!columnNames.add(column)) {
        error(f, "field " + where + " gives column \"" + column + "\", which another field of " + name + " also gives: rename one");
      }
      Optional<Directive> fieldRules = directive(f.getDirectives(), "auth");
      Column c = new Column(f.getName(), column, type, enumType, list, nullable, unique, indexed, defaultLiteral,
          fieldRules.map(a -> auth.parse(a, where)).orElse(List.of()));
      fieldRules.ifPresent(a -> fieldAuth.put(c, a));
      columns.add(c);
    }
    typeAuth.ifPresent(a -> auth.checkTypeRules(a, name, rules, columns));
    fieldAuth.forEach((c, a) -> auth.checkFieldRules(a, name + "." + c.field(), name, c.rules(), columns));
    String singular = Names.lowerCamel(name);
    String plural = Names.plural(singular);
    return new Model(name, table, singular, plural, List.copyOf(columns), List.copyOf(relations), List.copyOf(codeFields),
        List.copyOf(rules));
  }

  private void checkCode(FieldDefinition f, String where) {
    for (Directive d : f.getDirectives()) {
      if (!Set.of("code", "auth", "deprecated").contains(d.getName()) && DIRECTIVES.contains(d.getName())) {
        error(d, "@" + d.getName() + " on " + where + " cannot be combined with @code: a @code field is computed, not stored");
      }
    }
    directive(f.getDirectives(), "code").flatMap(c -> stringArg(c, "handler")).ifPresent(h -> {
      if (!HANDLER.matcher(h).matches()) {
        error(f, "@code(handler: \"" + h + "\") on " + where + ": a handler name is letters, digits, _ and . (e.g. \"cart.checkout\")");
      }
    });
  }

  private Optional<Relation> compileRelation(FieldDefinition f, String where, String target, boolean list,
      boolean nullable, Map<String, ObjectTypeDefinition> models) {
    boolean hasMany = has(f.getDirectives(), "hasMany");
    boolean hasOne = has(f.getDirectives(), "hasOne");
    boolean belongsTo = has(f.getDirectives(), "belongsTo");
    int count = (hasMany ? 1 : 0) + (hasOne ? 1 : 0) + (belongsTo ? 1 : 0);
    if (!models.containsKey(target)) {
      error(f, "relation " + where + " points to " + target + ", which is not a @model type: add @model to " + target);
      return Optional.empty();
    }
    if (count == 0) {
      error(f, "field " + where + " refers to model " + target + " without saying how: add @belongsTo (this row points to one "
          + target + "), @hasMany (many " + target + " rows point here) or @hasOne");
      return Optional.empty();
    }
    if (count > 1) {
      error(f, "field " + where + " has more than one of @belongsTo, @hasMany, @hasOne: keep one");
      return Optional.empty();
    }
    for (String other : List.of("unique", "default", "file")) { // @auth: reported by compileModel
      if (has(f.getDirectives(), other)) {
        error(f, "@" + other + " on relation " + where + " is not supported");
      }
    }
    if (hasMany) {
      if (!list) {
        error(f, "@hasMany on " + where + " needs a list type: `" + f.getName() + ": [" + target + "!]!`");
        return Optional.empty();
      }
      String inverse = directive(f.getDirectives(), "hasMany").flatMap(d -> stringArg(d, "field")).orElse(null);
      return Optional.of(new Relation(f.getName(), Relation.Kind.HAS_MANY, target, null, inverse, false, null));
    }
    if (list) {
      error(f, "@" + (hasOne ? "hasOne" : "belongsTo") + " on " + where + " needs a single " + target + ", not a list: use @hasMany for lists");
      return Optional.empty();
    }
    if (hasOne) {
      String inverse = directive(f.getDirectives(), "hasOne").flatMap(d -> stringArg(d, "field")).orElse(null);
      return Optional.of(new Relation(f.getName(), Relation.Kind.HAS_ONE, target, null, inverse, true, null));
    }
    Relation.OnDelete onDelete = directive(f.getDirectives(), "belongsTo")
        .flatMap(d -> d.getArguments().stream().filter(a -> a.getName().equals("onDelete")).findFirst())
        .map(a -> Relation.OnDelete.valueOf(((EnumValue) a.getValue()).getName()))
        .orElse(Relation.OnDelete.RESTRICT);
    if (onDelete == Relation.OnDelete.SET_NULL && !nullable) {
      error(f, "@belongsTo(onDelete: SET_NULL) on " + where + " needs a nullable field: `" + f.getName() + ": " + target + "`");
    }
    String column = Names.snake(f.getName()) + "_id";
    return Optional.of(new Relation(f.getName(), Relation.Kind.BELONGS_TO, target, column, null, nullable, onDelete));
  }

  /** hasMany/hasOne are served by the target's belongsTo column: find it, or say what is missing. */
  private void checkInverseRelations(List<Model> compiled, Map<String, ObjectTypeDefinition> defs) {
    List<Model> resolved = new ArrayList<>(compiled);
    for (int i = 0; i < resolved.size(); i++) {
      Model m = resolved.get(i);
      List<Relation> fixed = new ArrayList<>();
      for (Relation r : m.relations()) {
        if (r.kind() == Relation.Kind.BELONGS_TO) {
          fixed.add(r);
          continue;
        }
        Model target = compiled.stream().filter(t -> t.name().equals(r.target())).findFirst().orElseThrow();
        List<Relation> candidates = target.relations().stream()
            .filter(t -> t.kind() == Relation.Kind.BELONGS_TO && t.target().equals(m.name()))
            .filter(t -> r.inverseField() == null || t.field().equals(r.inverseField()))
            .toList();
        FieldDefinition at = defs.get(m.name()).getFieldDefinitions().stream()
            .filter(f -> f.getName().equals(r.field())).findFirst().orElseThrow();
        String dir = r.kind() == Relation.Kind.HAS_MANY ? "@hasMany" : "@hasOne";
        if (candidates.isEmpty()) {
          error(at, dir + " on " + m.name() + "." + r.field() + " needs " + r.target() + " to point back: add `"
              + Names.lowerCamel(m.name()) + ": " + m.name() + " @belongsTo` to " + r.target()
              + (r.inverseField() == null ? "" : " (named " + r.inverseField() + ")"));
        } else if (candidates.size() > 1) {
          error(at, dir + " on " + m.name() + "." + r.field() + " is ambiguous: " + r.target() + " has "
              + candidates.size() + " @belongsTo fields to " + m.name() + "; say which with " + dir + "(field: \""
              + candidates.get(0).field() + "\")");
        } else {
          Relation back = candidates.get(0);
          fixed.add(new Relation(r.field(), r.kind(), r.target(), back.column(), back.field(), true, null));
        }
      }
      compiled.set(i, new Model(m.name(), m.table(), m.singular(), m.plural(), m.columns(), List.copyOf(fixed), m.codeFields(),
          m.rules()));
    }
  }

  private String defaultLiteral(Directive d, String where, ScalarType type, boolean list, EnumTypeDefinition enumDef) {
    Value<?> v = d.getArguments().stream().filter(a -> a.getName().equals("value")).map(Argument::getValue)
        .findFirst().orElse(null);
    String expected = list ? "no default (lists are not supported)" : switch (type) {
      case STRING -> "a string, e.g. @default(value: \"pending\")";
      case INT -> "an integer, e.g. @default(value: 0)";
      case FLOAT -> "a number, e.g. @default(value: 1.5)";
      case BOOLEAN -> "true or false";
      case ENUM -> "one of " + enumDef.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName).toList();
      case DATE_TIME -> "an RFC 3339 timestamp string or \"now\"";
      default -> "no default (not supported for " + type.name() + ")";
    };
    Object literal = null;
    if (!list) {
      literal = switch (type) {
        case STRING -> v instanceof StringValue s ? s.getValue() : null;
        case INT -> v instanceof IntValue i ? i.getValue() : null;
        case FLOAT -> v instanceof FloatValue fl ? fl.getValue() : v instanceof IntValue i ? i.getValue() : null;
        case BOOLEAN -> v instanceof BooleanValue b ? b.isValue() : null;
        case ENUM -> v instanceof EnumValue e && enumDef.getEnumValueDefinitions().stream()
            .anyMatch(ev -> ev.getName().equals(e.getName())) ? e.getName() : null;
        case DATE_TIME -> v instanceof StringValue s && isTimestamp(s.getValue()) ? s.getValue() : null;
        default -> null;
      };
    }
    if (literal == null) {
      error(d, "@default on " + where + " needs " + expected);
      return null;
    }
    return String.valueOf(literal);
  }

  private static boolean isTimestamp(String s) {
    if (s.equals("now")) {
      return true;
    }
    try {
      java.time.OffsetDateTime.parse(s);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static boolean isNonNullNamed(Type<?> t, String name) {
    return t instanceof NonNullType nn && nn.getType() instanceof TypeName tn && tn.getName().equals(name);
  }

  static String namedType(Type<?> t) {
    if (t instanceof NonNullType nn) {
      return namedType(nn.getType());
    }
    if (t instanceof ListType l) {
      return namedType(l.getType());
    }
    return ((TypeName) t).getName();
  }

  private static boolean has(List<Directive> directives, String name) {
    return directive(directives, name).isPresent();
  }

  private static Optional<Directive> directive(List<Directive> directives, String name) {
    return directives.stream().filter(d -> d.getName().equals(name)).findFirst();
  }

  private static Optional<String> stringArg(Directive d, String name) {
    return d.getArguments().stream().filter(a -> a.getName().equals(name))
        .map(Argument::getValue).filter(StringValue.class::isInstance)
        .map(v -> ((StringValue) v).getValue()).findFirst();
  }

  private void error(Node<?> node, String message) {
    SourceLocation at = node.getSourceLocation();
    errors.add(new SchemaError(at == null ? 1 : at.getLine(), at == null ? 1 : at.getColumn(), message));
  }
}
