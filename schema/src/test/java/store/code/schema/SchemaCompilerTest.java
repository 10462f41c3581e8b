package store.code.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaCompilerTest {

  static final String CART = """
      type Cart @model {
        owner: String! @index
        items: [CartItem!]! @hasMany
        status: CartStatus! @default(value: OPEN)
        total: Float @code(handler: "cart.total")
      }
      enum CartStatus { OPEN CHECKED_OUT }
      type CartItem @model {
        cart: Cart! @belongsTo(onDelete: CASCADE)
        sku: String!
        quantity: Int! @default(value: 1)
        photo: File @file
      }
      type Mutation {
        checkout(cartId: ID!): Cart @code(handler: "cart.checkout")
      }
      """;

  @Test
  void compilesModelsColumnsAndRelations() throws Exception {
    CompiledSchema s = SchemaCompiler.compile(CART);
    assertThat(s.models()).extracting(Model::name).containsExactly("Cart", "CartItem");
    Model cart = s.model("Cart").orElseThrow();
    assertThat(cart.table()).isEqualTo("cart");
    assertThat(cart.column("owner").orElseThrow()).satisfies(c -> {
      assertThat(c.indexed()).isTrue();
      assertThat(c.nullable()).isFalse();
      assertThat(c.sqlType()).isEqualTo("text");
    });
    assertThat(cart.column("status").orElseThrow().defaultLiteral()).isEqualTo("OPEN");
    assertThat(cart.column("status").orElseThrow().enumType()).isEqualTo("CartStatus");
    assertThat(cart.codeFields()).containsExactly("total");
    Relation items = cart.relation("items").orElseThrow();
    assertThat(items.kind()).isEqualTo(Relation.Kind.HAS_MANY);
    assertThat(items.column()).isEqualTo("cart_id");
    assertThat(items.inverseField()).isEqualTo("cart");

    Model item = s.model("CartItem").orElseThrow();
    assertThat(item.table()).isEqualTo("cart_item");
    Relation back = item.relation("cart").orElseThrow();
    assertThat(back.kind()).isEqualTo(Relation.Kind.BELONGS_TO);
    assertThat(back.onDelete()).isEqualTo(Relation.OnDelete.CASCADE);
    assertThat(item.column("photo").orElseThrow().type()).isEqualTo(ScalarType.FILE);
    assertThat(item.column("quantity").orElseThrow().defaultLiteral()).isEqualTo("1");

    assertThat(s.queries()).containsExactly("cart", "carts", "cartItem", "cartItems");
    assertThat(s.mutations()).containsExactly("createCart", "updateCart", "deleteCart",
        "createCartItem", "updateCartItem", "deleteCartItem", "requestUpload", "checkout");
    assertThat(s.codeHandlers()).containsExactlyInAnyOrder("cart.total", "cart.checkout");
    assertThat(s.hash()).hasSize(16).isEqualTo(SchemaCompiler.hash(CART));
  }

  @Test
  void sqlKeywordsAreFineBecauseIdentifiersAreAlwaysQuoted() throws Exception {
    CompiledSchema s = SchemaCompiler.compile("type Order @model { select: String  from: Int }");
    assertThat(s.model("Order").orElseThrow().table()).isEqualTo("order");
    assertThat(s.model("Order").orElseThrow().columns()).extracting(Column::name).containsExactly("select", "from");
    assertThat(s.queries()).containsExactly("order", "orders");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      syntax error            | type Book @model { title: String      | 1 | syntax error
      unknown directive       | type Book @model { title: String @searchable } | 1 | unknown directive @searchable
      deprecated type         | type Book @model @deprecated { title: String } | 1 | deprecated
      unknown type            | type Book @model { author: Writer }   | 1 | Writer
      relation without kind   | type A @model { b: B } type B @model { x: Int } | 1 | without saying how
      hasMany without inverse | type A @model { bs: [B!]! @hasMany } type B @model { x: Int } | 1 | add `a: A @belongsTo` to B
      hasMany on non-list     | type A @model { b: B @hasMany } type B @model { a: A @belongsTo } | 1 | needs a list type
      belongsTo to non-model  | type A @model { b: B @belongsTo } type B { x: Int } | 1 | not a @model type
      default of wrong type   | type A @model { n: Int @default(value: "x") } | 1 | @default on A.n needs an integer
      default enum not member | type A @model { s: S @default(value: NOPE) } enum S { ON OFF } | 1 | one of [ON, OFF]
      declared directive      | directive @model on OBJECT type A @model { x: Int } | 1 | code.store provides its directives
      reserved prefix         | type __A @model { x: Int } | 1 | reserves for introspection
      reserved generated type | type PageInfo @model { x: Int } | 1 | reserved by code.store
      generated name clash    | type Book @model { x: Int } type BookConnection { y: Int } | 1 | also declares
      reserved table          | type CodestoreUsage @model { x: Int } | 1 | reserved by code.store
      runtime's uploads table | type CODESTOREUploads @model { x: Int } | 1 | tables named codestore_* are kept by the runtime
      runtime's flushes table | type CODESTOREUsageFlushes @model { x: Int } | 1 | tables named codestore_* are kept by the runtime
      system field            | type A @model { createdAt: String } | 1 | added to every @model automatically
      id of wrong type        | type A @model { id: String } | 1 | must be declared as id: ID!
      model on root           | type Query @model { x: Int } type A @model { y: Int } | 1 | root type and cannot be a @model
      query without code      | type Query { hello: String } type A @model { y: Int } | 1 | must be served by maker code
      file without directive  | type A @model { f: File } | 1 | needs the @file directive
      directive on plain type | type A { x: Int @unique } type B @model { y: Int } | 1 | needs A to be a @model
      no api                  | enum E { X } | 1 | defines no API
      bad handler             | type A @model { x: Int @code(handler: "no spaces allowed") } | 1 | a handler name is
      set null on non-null    | type A @model { b: B! @belongsTo(onDelete: SET_NULL) } type B @model { x: Int } | 1 | needs a nullable field
      interface               | interface I { x: Int } type A @model { y: Int } | 1 | interface I is not supported
      """)
  void rejectsBadSchemasWithLineAndColumn(String name, String sdl, int line, String fragment) {
    assertThatThrownBy(() -> SchemaCompiler.compile(sdl))
        .isInstanceOf(SchemaException.class)
        .satisfies(e -> {
          List<SchemaError> errors = ((SchemaException) e).errors();
          assertThat(errors).isNotEmpty();
          assertThat(errors).anySatisfy(err -> {
            assertThat(err.line()).isEqualTo(line);
            assertThat(err.column()).isPositive();
            assertThat(err.message()).contains(fragment);
          });
        });
  }

  @Test
  void reportsThePlaceOfAnErrorOnALaterLine() {
    String sdl = "type Book @model {\n  title: String!\n  pages: Int @default(value: \"many\")\n}\n";
    assertThatThrownBy(() -> SchemaCompiler.compile(sdl))
        .isInstanceOfSatisfying(SchemaException.class, e -> {
          assertThat(e.errors()).hasSize(1);
          assertThat(e.errors().get(0).line()).isEqualTo(3);
          assertThat(e.errors().get(0).column()).isEqualTo(14);
          assertThat(e.getMessage()).startsWith("line 3, column 14: @default on Book.pages needs an integer");
        });
  }

  @Test
  void collectsEveryErrorNotJustTheFirst() {
    String sdl = "type A @model {\n  x: Int @default(value: \"a\")\n  y: Int @default(value: true)\n}\n";
    assertThatThrownBy(() -> SchemaCompiler.compile(sdl))
        .isInstanceOfSatisfying(SchemaException.class, e ->
            assertThat(e.errors()).extracting(SchemaError::line).containsExactly(2, 3));
  }

  @Test
  void emptyAndHugeSchemasAreRefused() {
    assertThatThrownBy(() -> SchemaCompiler.compile("  ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SchemaCompiler.compile("type A @model { x: Int }\n" + "#".repeat(300_000)))
        .hasMessageContaining("more than the limit");
  }

  @Test
  void namingRules() {
    assertThat(Names.plural("category")).isEqualTo("categories");
    assertThat(Names.plural("day")).isEqualTo("days");
    assertThat(Names.plural("box")).isEqualTo("boxes");
    assertThat(Names.plural("meetingRoom")).isEqualTo("meetingRooms");
    assertThat(Names.snake("MeetingRoom")).isEqualTo("meeting_room");
    assertThat(Names.snake("URLLink")).isEqualTo("url_link");
    assertThat(Names.snake("createdAt")).isEqualTo("created_at");
    assertThat(Names.lowerCamel("URLLink")).isEqualTo("urlLink");
    assertThat(Names.lowerCamel("Book")).isEqualTo("book");
  }
}
