package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;

/**
 * Deleting an instance whose external database server is down: the cleanup is retried for five minutes counted from
 * its first failed attempt (not from the deletion request, which may be older: the operator was down), says so with
 * CleanupFailed, finishes when the server is back, and otherwise gives up with CleanupAbandoned naming what is left.
 * The operator's clock runs an hour ahead of the API server's, as if every deletion had been requested an hour before
 * the operator saw it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class CleanupIT {

  KubeCluster cluster;
  EmbeddedPostgres postgres;
  Path data;
  int port;
  final TestClock clock = TestClock.runningFrom(Instant.now().plus(Duration.ofHours(1)));

  @BeforeAll
  void start() throws Exception {
    data = Files.createTempDirectory("cleanup-postgres");
    postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
    port = postgres.getPort();
    cluster = new KubeCluster();
    DumpOnFailure.cluster = cluster;
    cluster.installCodestoreCrds();
    cluster.fakeDeploymentController();
    cluster.writeExternalDatabaseSecret(port);
    cluster.startOperator(OperatorSettings.defaults()
        .withDatabase(OperatorSettings.DatabaseProvider.external, KubeCluster.EXTERNAL_DATABASE_SECRET), b -> b.clock(clock));
    cluster.applyYaml("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: notes}
        ---
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: notes, namespace: notes}
        spec:
          version: 1.0.0
          schema: "type Note @model { title: String! }"
        """);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  ServiceInstance instance(String project) {
    return cluster.admin.resources(ServiceInstance.class).inNamespace("notes").withName(project + "-notes-dev").get();
  }

  String readyProject(String name) {
    cluster.applyYaml("""
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: %s, namespace: notes}
        spec:
          environments: [dev]
          deletionPolicy: Delete
          services:
          - name: notes
            serviceRef: {name: notes}
        """.formatted(name));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
        assertThat(instance(name).getStatus().getPhase()).isEqualTo(Phase.Ready));
    return InstanceNames.databaseName(instance(name).getStatus().getTargetNamespace());
  }

  List<String> events(String instance) {
    return cluster.admin.v1().events().inNamespace("notes").list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(instance)).map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  boolean databaseExists(String name) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }

  void restartPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
  }

  @Test
  void aFailingCleanupIsRetriedFromItsFirstFailureFinishesWhenTheServerIsBackOrIsAbandonedAfterTheGrace() throws Exception {
    String kept = readyProject("back");
    String lost = readyProject("gone");
    postgres.close(); // the external database server is down

    // deleted an hour before the operator's "now": still retried, not abandoned on the first failure
    cluster.admin.resources(Project.class).inNamespace("notes").withName("back").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(events("back-notes-dev"))
        .anySatisfy(e -> assertThat(e).startsWith("CleanupFailed: cleanup failed, retrying until")));
    assertThat(instance("back").getMetadata().getAnnotations()).containsKey("code.store/cleanup-failing-since");
    Thread.sleep(2_000);
    assertThat(instance("back")).as("still held by its finalizer").isNotNull();
    assertThat(events("back-notes-dev")).noneMatch(e -> e.startsWith("CleanupAbandoned"));

    restartPostgres(); // the server is back: the next attempt deletes the database and lets the instance go
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(instance("back")).isNull());
    assertThat(databaseExists(kept)).as("database of the instance cleaned up once the server was back").isFalse();

    postgres.close();
    cluster.admin.resources(Project.class).inNamespace("notes").withName("gone").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(events("gone-notes-dev"))
        .anySatisfy(e -> assertThat(e).startsWith("CleanupFailed")));
    clock.advance(Duration.ofMinutes(5).plusSeconds(1)); // the grace since the first failure is over
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(instance("gone")).isNull());
    assertThat(events("gone-notes-dev")).anySatisfy(e -> assertThat(e).startsWith("CleanupAbandoned: gave up cleaning up "
        + "5 minutes after the first failed attempt").contains("remove by hand what is left of namespace"));
    restartPostgres();
    assertThat(databaseExists(lost)).as("what an abandoned cleanup leaves behind, as its Event says").isTrue();
  }
}
