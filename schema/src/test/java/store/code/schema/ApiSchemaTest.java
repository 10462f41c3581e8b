package store.code.schema;

import static graphql.schema.GraphQLTypeUtil.simplePrint;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiSchemaTest {

  static GraphQLSchema build(String sdl) throws SchemaException {
    ApiSchema api = ApiSchema.of(SchemaCompiler.compile(sdl));
    return UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(api.sdl()));
  }

  @Test
  void generatesTheDocumentedApiForEveryModel() throws Exception {
    GraphQLSchema s = build(SchemaCompilerTest.CART);
    GraphQLObjectType query = s.getQueryType();
    assertThat(query.getFieldDefinitions()).extracting(GraphQLFieldDefinition::getName)
        .containsExactly("cart", "carts", "cartItem", "cartItems");
    assertThat(query.getFieldDefinition("carts").getArguments()).extracting(a -> a.getName())
        .containsExactly("where", "orderBy", "first", "after");
    assertThat(s.getMutationType().getFieldDefinitions()).extracting(GraphQLFieldDefinition::getName)
        .containsExactly("createCart", "updateCart", "deleteCart", "createCartItem", "updateCartItem",
            "deleteCartItem", "checkout", "requestUpload");

    GraphQLObjectType cart = s.getObjectType("Cart");
    assertThat(cart.getFieldDefinitions()).extracting(GraphQLFieldDefinition::getName)
        .containsExactly("id", "createdAt", "updatedAt", "owner", "items", "status", "total");
    assertThat(cart.getFieldDefinition("items").getArguments()).extracting(a -> a.getName())
        .containsExactly("where", "orderBy", "first");
    GraphQLObjectType item = s.getObjectType("CartItem");
    assertThat(item.getFieldDefinition("cartId").getType()).isInstanceOf(GraphQLNonNull.class);
    assertThat(simplePrint(item.getFieldDefinition("photo").getType())).isEqualTo("File");

    GraphQLInputObjectType create = (GraphQLInputObjectType) s.getType("CreateCartItemInput");
    assertThat(create.getField("cartId").getType()).isInstanceOf(GraphQLNonNull.class);
    assertThat(create.getField("quantity").getType()).as("has a default, so optional")
        .isNotInstanceOf(GraphQLNonNull.class);
    assertThat(simplePrint(create.getField("photo").getType())).isEqualTo("String");
    GraphQLInputObjectType where = (GraphQLInputObjectType) s.getType("CartWhere");
    assertThat(simplePrint(where.getField("status").getType())).isEqualTo("CartStatusFilter");
    assertThat(simplePrint(where.getField("not").getType())).isEqualTo("CartWhere");
    assertThat(s.getType("CartItemWhere")).extracting(t -> ((GraphQLInputObjectType) t).getField("photo")).isNull();
  }

  @Test
  void codeFieldsKeepTheirArgumentsAndNameTheirHandlers() throws Exception {
    ApiSchema api = ApiSchema.of(SchemaCompiler.compile(SchemaCompilerTest.CART));
    assertThat(api.codeFields()).containsExactly(
        new ApiSchema.CodeField("Mutation", "checkout", "cart.checkout"),
        new ApiSchema.CodeField("Cart", "total", "cart.total"));
    assertThat(api.sdl()).contains("checkout(cartId: ID!): Cart").doesNotContain("@code").doesNotContain("@model");
  }

  @Test
  void plainTypesAndInputsOfMakerCodeAreCarriedOver() throws Exception {
    GraphQLSchema s = build("""
        type Room @model { name: String! }
        type Stats { rooms: Int! busiest: String }
        input Range { from: DateTime! to: DateTime! }
        type Query { stats(range: Range): Stats @code(handler: "stats") }
        """);
    assertThat(simplePrint(s.getQueryType().getFieldDefinition("stats").getType())).isEqualTo("Stats");
    assertThat(s.getType("Range")).isNotNull();
    assertThat(s.getMutationType().getFieldDefinition("requestUpload")).as("no @file, no upload").isNull();
  }

  @Test
  void theMakersDescriptionsAndDeprecationsReachTheApi() throws Exception {
    GraphQLSchema s = build("""
        "A room people book. Says \\"hi\\"\\nand \\\\ more."
        type Room @model {
          "Its name on the door."
          name: String!
          floor: Int @deprecated(reason: "use level")
          "The floor, counted from the street."
          level: Int
          "Who booked it."
          reservations: [Reservation!]! @hasMany
          "People it seats, computed."
          seats: Int @code(handler: "room.seats") @deprecated
        }
        type Reservation @model { "The room booked." room: Room! @belongsTo @deprecated(reason: "ask for roomId") }
        \"\"\"
        What maker code returns.
        \"\"\"
        type Stats { "Rooms counted." rooms: Int! old: Int @deprecated(reason: "gone soon") }
        type Query { "Counts rooms." stats: Stats @code(handler: "stats") }
        """);
    GraphQLObjectType room = (GraphQLObjectType) s.getType("Room");
    assertThat(room.getDescription()).isEqualTo("A room people book. Says \"hi\"\nand \\ more.");
    assertThat(room.getFieldDefinition("name").getDescription()).isEqualTo("Its name on the door.");
    assertThat(room.getFieldDefinition("floor").isDeprecated()).isTrue();
    assertThat(room.getFieldDefinition("floor").getDeprecationReason()).isEqualTo("use level");
    assertThat(room.getFieldDefinition("level").isDeprecated()).isFalse();
    assertThat(room.getFieldDefinition("reservations").getDescription()).isEqualTo("Who booked it.");
    assertThat(room.getFieldDefinition("seats").getDescription()).isEqualTo("People it seats, computed.");
    assertThat(room.getFieldDefinition("seats").isDeprecated()).isTrue();
    GraphQLObjectType reservation = (GraphQLObjectType) s.getType("Reservation");
    assertThat(reservation.getFieldDefinition("room").getDeprecationReason()).isEqualTo("ask for roomId");
    assertThat(reservation.getFieldDefinition("room").getDescription()).isEqualTo("The room booked.");
    assertThat(((GraphQLInputObjectType) s.getType("CreateRoomInput")).getField("name").getDescription())
        .as("inputs say what the field is too").isEqualTo("Its name on the door.");
    GraphQLObjectType stats = (GraphQLObjectType) s.getType("Stats");
    assertThat(stats.getDescription()).isEqualTo("What maker code returns.");
    assertThat(stats.getFieldDefinition("old").getDeprecationReason()).isEqualTo("gone soon");
    assertThat(s.getQueryType().getFieldDefinition("stats").getDescription()).isEqualTo("Counts rooms.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10-shopping-cart.yaml", "20-meeting-rooms.yaml"})
  void everyExampleServiceGivesAValidApi(String file) throws Exception {
    String yaml = Files.readString(Path.of("..", "examples", file));
    Matcher m = Pattern.compile("schema: \\|\\n((?: {4}.*\\n|\\n)+)").matcher(yaml);
    assertThat(m.find()).isTrue();
    String sdl = m.group(1).replaceAll("(?m)^ {4}", "");
    assertThat(build(sdl).getQueryType().getFieldDefinitions()).isNotEmpty();
  }
}
