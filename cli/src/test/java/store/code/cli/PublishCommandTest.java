package store.code.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import store.code.api.Conditions;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceStatus;

/** publish: checked here first, applied, then the operator's verdict (played by the test: nothing reconciles here). */
@EnableKubernetesMockClient(crud = true)
class PublishCommandTest {
  KubernetesClient client;
  Clients clients;

  @BeforeEach
  void connect() {
    clients = Run.clientsLike(client);
  }

  static Path manifest(Path dir, String schema) throws Exception {
    return Files.writeString(dir.resolve("service.yaml"), """
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: notes, namespace: makers}
        spec:
          version: 1.0.0
          schema: |
        """ + schema.lines().map(l -> "    " + l + "\n").reduce("", String::concat));
  }

  /** Plays the operator: once the Service is there, writes the verdict into its status. */
  Thread verdict(Consumer<ServiceStatus> write) {
    Thread t = new Thread(() -> {
      for (int i = 0; i < 100; i++) {
        CodeService s = client.resources(CodeService.class).inNamespace("makers").withName("notes").get();
        if (s != null) {
          ServiceStatus status = new ServiceStatus();
          status.setObservedGeneration(s.getMetadata().getGeneration());
          write.accept(status);
          s.setStatus(status);
          client.resource(s).updateStatus();
          return;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    t.start();
    return t;
  }

  @Test
  void aVersionThePlatformPublishes(@TempDir Path dir) throws Exception {
    Thread operator = verdict(s -> {
      s.setConditions(List.of(Conditions.of("SchemaValid", true, "SchemaValid", "1 models", 1L),
          Conditions.of("SchemaCompatible", true, "Compatible", "version 1.0.0 is published", 1L)));
      s.setVersion("1.0.0");
      s.setRevision("notes-1-0-0");
    });
    Run r = Run.of(clients, "publish", manifest(dir, "type Note @model { text: String }").toString());
    operator.join();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("Service makers/notes publishes version 1.0.0 (ServiceRevision notes-1-0-0): version "
        + "1.0.0 is published\n");
  }

  @Test
  void aBreakingChangeIsSaidWithWhatBreaks(@TempDir Path dir) throws Exception {
    Thread operator = verdict(s -> s.setConditions(List.of(
        Conditions.of("SchemaValid", true, "SchemaValid", "1 models", 1L),
        Conditions.of("SchemaCompatible", false, "BreakingChange", "version 1.0.0 breaks clients of version 0.9.0: "
            + "Note.title: The new API is missing the field 'Note.title'", 1L))));
    Run r = Run.of(clients, "publish", manifest(dir, "type Note @model { text: String }").toString());
    operator.join();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("version 1.0.0 not published: BreakingChange: ").contains("Note.title");
  }

  @Test
  void aSchemaErrorIsFoundHereAndNothingIsSent(@TempDir Path dir) throws Exception {
    Path file = manifest(dir, "type Note @model {\n  text: String!!\n}");
    Run r = Run.of(clients, "publish", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("nothing was published").contains(file + ":8:");
    assertThat(client.resources(CodeService.class).inAnyNamespace().list().getItems()).isEmpty();
    assertThat(Run.of(clients, "publish", manifest(dir, "type Note @model { text: String }").toString(), "-n", "other")
        .err()).contains("names namespace makers but -n says other");
  }

  @Test
  void noVerdictInTimeSaysWhereToLook(@TempDir Path dir) throws Exception {
    Run r = Run.of(clients, "publish", manifest(dir, "type Note @model { text: String }").toString(), "--timeout", "1");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("gave no verdict on version 1.0.0 within 1 s: is the code.store operator running?");
  }
}
