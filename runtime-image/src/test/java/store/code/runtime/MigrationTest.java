package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static store.code.runtime.TestApi.at;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import store.code.runtime.files.Files;
import store.code.runtime.graphql.Engine;
import store.code.runtime.migrate.Migrator;
import store.code.schema.SchemaCompiler;

/** Migrations: additive changes apply, destructive ones are refused with what would be lost, data stays. */
class MigrationTest {

  static final String V1 = """
      type Room @model { name: String! @unique  floor: Int  reservations: [Reservation!]! @hasMany }
      type Reservation @model { room: Room! @belongsTo  by: String! }
      """;

  Migrator.Result migrate(DataSource ds, String sdl) throws Exception {
    try (Connection c = ds.getConnection()) {
      return new Migrator().migrate(c, SchemaCompiler.compile(sdl), "1.0.0");
    }
  }

  long history(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM codestore_schema_history")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void additiveChangesApplyAndKeepTheData() throws Exception {
    TestApi v1 = TestApi.start(V1);
    String room = at(v1.ok("mutation { createRoom(input: {name: \"Ada\", floor: 2}) { id } }"), "createRoom.id");
    v1.ok("mutation($r: ID!) { createReservation(input: {roomId: $r, by: \"me\"}) { id } }", "r", room);
    assertThat(migrate(v1.dataSource, V1).changed()).as("same schema again: nothing to do").isFalse();

    String v2 = """
        type Room @model { name: String! @unique  floor: Int!  seats: Int! @default(value: 4)  note: String @index
                           reservations: [Reservation!]! @hasMany }
        type Reservation @model { room: Room! @belongsTo(onDelete: CASCADE)  by: String!  guest: Guest @belongsTo }
        type Guest @model { email: String! @unique  reservations: [Reservation!]! @hasMany }
        """;
    Migrator.Result result = migrate(v1.dataSource, v2);
    assertThat(result.statements()).anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE \"guest\""))
        .anySatisfy(s -> assertThat(s).contains("ADD COLUMN \"seats\" integer NOT NULL DEFAULT '4'::integer"))
        .anySatisfy(s -> assertThat(s).contains("ALTER COLUMN \"floor\" SET NOT NULL"))
        .anySatisfy(s -> assertThat(s).contains("ON DELETE CASCADE"));
    assertThat(history(v1.dataSource)).isEqualTo(2);

    TestApi after = TestApi.on(v1.database, v1.dataSource, v2, Files.disabled(), Engine.Limits.defaults());
    var r = after.ok("{ rooms { edges { node { name floor seats note reservations { by guest { email } } } } } }");
    assertThat(at(r, "rooms.edges.0.node.name").toString()).isEqualTo("Ada");
    assertThat((Integer) at(r, "rooms.edges.0.node.seats")).isEqualTo(4);
    assertThat(at(r, "rooms.edges.0.node.reservations.0.by").toString()).isEqualTo("me");
    assertThat(after.ok("mutation($r: ID!) { deleteRoom(id: $r) }", "r", room).get("deleteRoom"))
        .as("the new onDelete applies").isEqualTo(true);
  }

  @Test
  void destructiveChangesAreRefusedListingWhatWouldBeLostAndNothingChanges() throws Exception {
    TestApi v1 = TestApi.start(V1);
    String room = at(v1.ok("mutation { createRoom(input: {name: \"Ada\", floor: 2}) { id } }"), "createRoom.id");
    v1.ok("mutation($r: ID!) { createReservation(input: {roomId: $r, by: \"me\"}) { id } }", "r", room);

    String broken = """
        type Room @model { name: Int!  capacity: Int! }
        type Booking @model { note: String }
        """;
    assertThatThrownBy(() -> migrate(v1.dataSource, broken)).isInstanceOfSatisfying(Migrator.Refused.class, e -> {
      assertThat(e.problems()).containsExactlyInAnyOrder(
          "field Room.name changed type from text to integer (1 values stored)",
          "new field Room.capacity is required and has no @default, but Room has rows that would have no value: "
              + "add @default(value: ...) or make it nullable",
          "field Room.floor was removed, and 1 rows have a value in it",
          "type Reservation was removed, and table \"reservation\" holds 1 rows");
      assertThat(e.getMessage()).startsWith("the new schema would lose data, so it was not applied: ");
    });
    assertThat(history(v1.dataSource)).as("nothing recorded").isEqualTo(1);
    var r = v1.ok("{ rooms { edges { node { name floor reservations { by } } } } }");
    assertThat(at(r, "rooms.edges.0.node.floor").toString()).as("data untouched").isEqualTo("2");
    assertThat(at(r, "rooms.edges.0.node.reservations.0.by").toString()).isEqualTo("me");
  }

  Migrator.DryRun dryRun(DataSource ds, String sdl) throws Exception {
    try (Connection c = ds.getConnection()) {
      return new Migrator().dryRun(c, SchemaCompiler.compile(sdl), java.time.Duration.ofSeconds(2),
          java.time.Duration.ofSeconds(10));
    }
  }

  boolean tableExists(DataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('\"" + table + "\"') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @Test
  void aDryRunReportsThePlanOrWhatWouldBeRefusedAndChangesNothing() throws Exception {
    TestApi v1 = TestApi.start(V1);
    String room = at(v1.ok("mutation { createRoom(input: {name: \"Ada\", floor: 2}) { id } }"), "createRoom.id");
    v1.ok("mutation($r: ID!) { createReservation(input: {roomId: $r, by: \"me\"}) { id } }", "r", room);
    v1.ok("mutation($r: ID!) { createReservation(input: {roomId: $r, by: \"me\"}) { id } }", "r", room);
    String hash = SchemaCompiler.compile(V1).hash();

    assertThat(dryRun(v1.dataSource, V1)).isEqualTo(new Migrator.DryRun(hash, hash, List.of(), List.of()));

    String additive = V1 + "type Guest @model { email: String! @unique }";
    Migrator.DryRun plan = dryRun(v1.dataSource, additive);
    assertThat(plan.fromHash()).isEqualTo(hash);
    assertThat(plan.refused()).isEmpty();
    assertThat(plan.statements()).anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE \"guest\""));
    assertThat(tableExists(v1.dataSource, "guest")).as("nothing applied").isFalse();
    assertThat(history(v1.dataSource)).isEqualTo(1);

    // what the real migration would refuse, the dry run lists
    Migrator.DryRun lossy = dryRun(v1.dataSource, "type Room @model { name: Int! }");
    assertThat(lossy.refused()).contains("field Room.name changed type from text to integer (1 values stored)",
        "field Room.floor was removed, and 1 rows have a value in it");

    // and what the data refuses when the statements run: a unique index over two equal values
    Migrator.DryRun duplicates = dryRun(v1.dataSource, V1.replace("by: String!", "by: String! @unique"));
    assertThat(duplicates.refused()).singleElement().asString().contains("fails on this database")
        .contains("could not create unique index");
    var r = v1.ok("{ reservations { totalCount } }");
    assertThat(at(r, "reservations.totalCount").toString()).isEqualTo("2");
    assertThat(migrate(v1.dataSource, additive).changed()).as("the dry run left no lock behind").isTrue();
  }

  @Test
  void aRequiredFieldMayBeAddedWhileTheTableIsEmpty() throws Exception {
    TestApi v1 = TestApi.start(V1);
    Migrator.Result r = migrate(v1.dataSource, V1.replace("floor: Int ", "floor: Int  capacity: Int! "));
    assertThat(r.statements()).anySatisfy(s -> assertThat(s).contains("ADD COLUMN \"capacity\" integer NOT NULL"));
  }

  @Test
  void runtimesStartingTogetherMigrateOnce() throws Exception {
    String database = Backends.newDatabase();
    DataSource ds = Backends.dataSource(database);
    int replicas = 4;
    CyclicBarrier together = new CyclicBarrier(replicas);
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    List<Future<Migrator.Result>> results = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      Callable<Migrator.Result> start = () -> {
        together.await();
        return migrate(ds, V1);
      };
      results.add(pool.submit(start));
    }
    int applied = 0;
    for (Future<Migrator.Result> f : results) {
      applied += f.get().changed() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(applied).isEqualTo(1);
    assertThat(history(ds)).isEqualTo(1);
  }
}
