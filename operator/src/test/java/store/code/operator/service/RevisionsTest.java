package store.code.operator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.CodeSpec;
import store.code.api.v1alpha1.Pricing;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.Visibility;
import store.code.operator.Fixtures;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

class RevisionsTest {

  static ServiceRevision revision(CodeService service, String version) {
    service.getSpec().setVersion(version);
    try {
      return Revisions.of(service, SchemaCompiler.compile(service.getSpec().getSchema()));
    } catch (SchemaException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aRevisionIsNamedAfterItsServiceAndVersionAndHoldsWhatWasPublished() {
    CodeService service = Fixtures.service("makers", "cart", Visibility.Public, 1, 1);
    service.getMetadata().setUid("uid-1");
    CodeSpec code = new CodeSpec();
    code.setImage("registry.example/cart-code:1");
    service.getSpec().setCode(code);
    ServiceRevision r = revision(service, "1.4.0-RC.1+build.7");
    assertThat(r.getMetadata().getName()).isEqualTo("cart-1-4-0-rc-1-build-7");
    assertThat(r.getMetadata().getNamespace()).isEqualTo("makers");
    assertThat(r.getMetadata().getLabels()).containsEntry("code.store/service", "cart");
    assertThat(r.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(r.getSpec().getVersion()).isEqualTo("1.4.0-RC.1+build.7");
    assertThat(r.getSpec().getSchema()).isEqualTo(service.getSpec().getSchema());
    assertThat(r.getSpec().getCodeImage()).isEqualTo("registry.example/cart-code:1");
    assertThat(r.getSpec().getApi().getQueries()).isNotEmpty();
  }

  @Test
  void aPublishedVersionThatTheSpecChangesIsNamedWithWhatChanged() {
    CodeService service = Fixtures.service("makers", "cart", Visibility.Public, 1, 1);
    ServiceRevision published = revision(service, "1.0.0");
    assertThat(Revisions.changesTo(null, published)).as("not published yet").isEmpty();
    assertThat(Revisions.changesTo(published, revision(service, "1.0.0"))).as("the same spec").isEmpty();

    service.getSpec().setSchema(service.getSpec().getSchema() + "\ntype Extra @model { x: Int }\n");
    CodeSpec code = new CodeSpec();
    code.setImage("registry.example/cart-code:2");
    service.getSpec().setCode(code);
    Pricing pricing = new Pricing();
    pricing.setCurrency("EUR");
    pricing.setMonthlyFee("9.00");
    service.getSpec().setPricing(pricing);
    assertThat(Revisions.changesTo(published, revision(service, "1.0.0")))
        .containsExactly("the schema", "code.image (null -> registry.example/cart-code:2)", "the pricing");

    ServiceRevision upper = revision(service, "1.0.0-RC");
    ServiceRevision lower = revision(service, "1.0.0-rc");
    assertThat(upper.getMetadata().getName()).isEqualTo(lower.getMetadata().getName());
    assertThat(Revisions.changesTo(upper, lower)).singleElement().asString()
        .contains("version 1.0.0-RC is published as revision cart-1-0-0-rc");
  }

  @Test
  void historyKeepsTheHighestVersionsThePublishedOneAndWhatInstancesServe() {
    CodeService service = Fixtures.service("makers", "cart", Visibility.Public, 1, 1);
    List<ServiceRevision> all = List.of("1.9.0", "1.10.0", "2.0.0-rc.1", "2.0.0", "1.2.0", "1.0.0").stream()
        .map(v -> revision(service, v)).toList();
    assertThat(Revisions.toPrune(all, 3, "2.0.0", Set.of())).extracting(r -> r.getSpec().getVersion())
        .as("newest by semver, not by text: 1.10.0 > 1.9.0, 2.0.0-rc.1 < 2.0.0")
        .containsExactlyInAnyOrder("1.9.0", "1.2.0", "1.0.0");
    assertThat(Revisions.toPrune(all, 3, "1.0.0", Set.of("1.2.0"))).extracting(r -> r.getSpec().getVersion())
        .as("published and in use stay").containsExactly("1.9.0");
    assertThat(Revisions.toPrune(all, 10, "2.0.0", Set.of())).isEmpty();
  }
}
