package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceStatus;
import store.code.api.v1alpha1.Visibility;
import store.code.operator.Fixtures;
import store.code.schema.SchemaError;
import store.code.schema.SchemaException;

/** Which schema an instance serves, decided without a server. */
class SchemaChoiceTest {
  static final String V1 = "type Book @model { title: String }";
  static final String V2 = "type Book @model { title: String  isbn: String }";
  static final Map<String, String> RUNNING = Map.of("schema.graphql", V1, "version", "1.0.0", "hash", "h1");

  /** Hashes schemas; "broken" does not compile. */
  static final SchemaChoice.Compiler COMPILER = sdl -> {
    if (sdl.contains("broken")) {
      throw new SchemaException(List.of(new SchemaError(1, 1, "unknown type broken")));
    }
    return sdl.equals(V1) ? "h1" : "h2";
  };

  static CodeService service(String schema, String version, String published, String publishedVersion) {
    CodeService s = Fixtures.service("makers", "books", Visibility.Public, 1, 1);
    s.getSpec().setSchema(schema);
    s.getSpec().setVersion(version);
    ServiceStatus status = new ServiceStatus();
    status.setPublishedSchema(published);
    status.setVersion(publishedVersion);
    status.setSchemaHash(published == null ? null : published.equals(V1) ? "h1" : "h2");
    s.setStatus(status);
    return s;
  }

  static SchemaChoice.Decision decide(CodeService s, String range, List<ServiceRevision> revisions, Map<String, String> running) {
    return SchemaChoice.decide(s, "makers/books", range, () -> revisions, running, "shop", COMPILER);
  }

  @Test
  void unpinnedServesWhatTheServicePublishes() {
    var d = decide(service(V2, "1.1.0", V2, "1.1.0"), null, List.of(), RUNNING);
    assertThat(d.valid()).isTrue();
    assertThat(d.served().orElseThrow().version()).isEqualTo("1.1.0");
    assertThat(d.served().orElseThrow().hash()).isEqualTo("h2");
  }

  @Test
  void unpinnedServesThePublishedVersionWhileANewOneIsRefused() {
    var d = decide(service(V2, "2.0.0", V1, "1.0.0"), null, List.of(), null);
    assertThat(d.valid()).isFalse();
    assertThat(d.reason()).isEqualTo("SchemaNotPublished");
    assertThat(d.served().orElseThrow().schema()).isEqualTo(V1);
    assertThat(d.message()).contains("version 2.0.0 of Service makers/books is not published").contains("serves version 1.0.0");
  }

  @Test
  void aSchemaThatDoesNotCompileIsNeverRolledOut() {
    var keeps = decide(service("broken", "1.2.0", V1, "1.0.0"), null, List.of(), RUNNING);
    assertThat(keeps.reason()).isEqualTo("SchemaInvalid");
    assertThat(keeps.served().orElseThrow().hash()).as("what runs keeps running").isEqualTo("h1");
    var first = decide(service("broken", "1.0.0", null, null), null, List.of(), null);
    assertThat(first.served()).isEmpty();
    assertThat(first.phase()).isEqualTo(Phase.Failed);
    assertThat(first.message()).contains("does not compile, so no runtime is deployed").contains("unknown type broken");
  }

  @Test
  void pinnedServesTheHighestRevisionInItsRangeWithThatVersionsCode() {
    CodeService s = Fixtures.withCode(service(V2, "2.0.0", V2, "2.0.0"), "code:2");
    var revisions = List.of(RevisionChoiceTest.revision("1.0.0", "code:1"), RevisionChoiceTest.revision("1.1.0", "code:1.1"),
        RevisionChoiceTest.revision("2.0.0", "code:2"));
    var d = decide(s, "1.x", revisions, RUNNING);
    assertThat(d.valid()).isTrue();
    assertThat(d.served().orElseThrow().version()).isEqualTo("1.1.0");
    assertThat(d.served().orElseThrow().service().getSpec().getCode().getImage()).isEqualTo("code:1.1");
    assertThat(d.message()).contains("the highest published in range 1.x");
  }

  @Test
  void pinnedToARangeNothingIsInKeepsWhatRunsOrWaits() {
    var revisions = List.of(RevisionChoiceTest.revision("1.0.0", null));
    var keeps = decide(service(V1, "1.0.0", V1, "1.0.0"), "3.x", revisions, RUNNING);
    assertThat(keeps.reason()).isEqualTo("NoMatchingRevision");
    assertThat(keeps.served().orElseThrow().version()).isEqualTo("1.0.0");
    assertThat(keeps.message()).endsWith("; the instance keeps serving version 1.0.0");
    var waits = decide(service(V1, "1.0.0", V1, "1.0.0"), "3.x", revisions, null);
    assertThat(waits.served()).isEmpty();
    assertThat(waits.phase()).isEqualTo(Phase.Pending);
    assertThat(waits.stopMessage()).contains("(spec.services[].version of Project shop)");
  }
}
