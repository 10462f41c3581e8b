package store.code.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

  static final String V1 = """
      type Room @model { name: String! @unique  floor: Int  reservations: [Reservation!]! @hasMany }
      type Reservation @model { room: Room! @belongsTo  by: String! }
      type Query { busiest(limit: Int): [Room!]! @code(handler: "rooms.busiest") }
      """;

  static List<String> breaking(String before, String after) throws SchemaException {
    return SchemaCompatibility.breakingChanges(SchemaCompiler.compile(before), SchemaCompiler.compile(after));
  }

  @Test
  void additiveChangesBreakNothing() throws Exception {
    assertThat(breaking(V1, V1)).isEmpty();
    assertThat(breaking(V1, V1.replace("floor: Int ", "floor: Int  seats: Int @default(value: 4)  note: String ")
        + "type Guest @model { email: String! }\n")).isEmpty();
    assertThat(breaking(V1, V1.replace("busiest(limit: Int)", "busiest(limit: Int, floor: Int)"))).as("optional argument").isEmpty();
  }

  @Test
  void removalsTypeChangesAndNewRequirementsBreakClients() throws Exception {
    assertThat(breaking(V1, V1.replace("floor: Int ", ""))).anySatisfy(c -> assertThat(c).startsWith("Room.floor:"));
    assertThat(breaking(V1, V1.replace("floor: Int ", "floor: String "))).anySatisfy(c -> assertThat(c).startsWith("Room.floor:"));
    assertThat(breaking(V1, V1.replace("floor: Int ", "floor: Int  capacity: Int! ")))
        .as("creating a Room now needs capacity").anySatisfy(c -> assertThat(c).startsWith("CreateRoomInput"));
    assertThat(breaking(V1, V1.replace("busiest(limit: Int)", "busiest(limit: Int!)"))).isNotEmpty();
    assertThat(breaking(V1, V1.replace("type Reservation @model { room: Room! @belongsTo  by: String! }", "")
        .replace("  reservations: [Reservation!]! @hasMany", ""))).anySatisfy(c -> assertThat(c).contains("Reservation"));
  }

  @Test
  void aDeprecatedFieldIsStillTheClientsUntilAMajorVersionRemovesIt() throws Exception {
    String deprecated = V1.replace("floor: Int ", "floor: Int @deprecated(reason: \"use level\")  level: Int ");
    assertThat(breaking(V1, deprecated)).as("deprecating is additive").isEmpty();
    assertThat(breaking(deprecated, deprecated.replace("floor: Int @deprecated(reason: \"use level\")", "")))
        .anySatisfy(c -> assertThat(c).startsWith("Room.floor:"));
  }

  @Test
  void aMajorBumpIsWhatAllowsThem() {
    assertThat(SchemaCompatibility.majorBump("1.4.2", "2.0.0")).isTrue();
    assertThat(SchemaCompatibility.majorBump("1.4.2", "1.5.0")).isFalse();
    assertThat(SchemaCompatibility.majorBump("2.0.0", "1.9.0")).isFalse();
    assertThat(SchemaCompatibility.majorBump(null, "2.0.0")).isFalse();
    assertThat(SchemaCompatibility.majorBump("1.4.2", "2.0.0-rc.1")).as("a pre-release of the next major").isTrue();
    assertThat(SchemaCompatibility.majorBump("1.4.2", "two")).as("not a version").isFalse();
    assertThat(SchemaCompatibility.nextMajor("1.4.2")).isEqualTo("2.0.0");
    assertThat(SchemaCompatibility.nextMajor("1.4.2-beta+7")).isEqualTo("2.0.0");
    assertThat(SchemaCompatibility.nextMajor("1.x")).isEqualTo("a new major version");
  }
}
