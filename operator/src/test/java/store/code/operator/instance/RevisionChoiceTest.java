package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceRevisionSpec;
import store.code.api.v1alpha1.Visibility;
import store.code.operator.Fixtures;
import store.code.schema.VersionRanges;

class RevisionChoiceTest {
  static ServiceRevision revision(String version, String image) {
    ServiceRevision r = new ServiceRevision();
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("cart-" + version).build());
    ServiceRevisionSpec spec = new ServiceRevisionSpec();
    spec.setVersion(version);
    spec.setSchema("type V" + version.replace('.', '_').replace('-', '_') + " @model { x: Int }");
    spec.setCodeImage(image);
    r.setSpec(spec);
    return r;
  }

  static final List<ServiceRevision> PUBLISHED = List.of(revision("1.0.0", null), revision("1.2.0", null),
      revision("1.10.0", "code:1.10"), revision("2.0.0-rc.1", null), revision("2.0.0", "code:2"));

  static String chosen(String range) {
    return RevisionChoice.choose(range, PUBLISHED).revision().map(r -> r.getSpec().getVersion()).orElse("none");
  }

  @Test
  void theHighestPublishedVersionInTheRangeBySemver() {
    assertThat(chosen("*")).isEqualTo("2.0.0");
    assertThat(chosen("1.x")).isEqualTo("1.10.0");
    assertThat(chosen("^1.2")).isEqualTo("1.10.0");
    assertThat(chosen("~1.2.0")).isEqualTo("1.2.0");
    assertThat(chosen("1.0.0")).isEqualTo("1.0.0");
    assertThat(chosen(">=1.2.0 <1.10.0")).isEqualTo("1.2.0");
    assertThat(chosen("2.x")).as("a pre-release is not chosen by a plain range").isEqualTo("2.0.0");
  }

  @Test
  void noVersionInTheRangeOrARangeThatMeansNothingSaysWhatExists() {
    var none = RevisionChoice.choose("3.x", PUBLISHED);
    assertThat(none.revision()).isEmpty();
    assertThat(none.reason()).isEqualTo("NoMatchingRevision");
    assertThat(none.message()).isEqualTo("no published version is in range 3.x; published: 1.0.0, 1.2.0, 1.10.0, "
        + "2.0.0-rc.1, 2.0.0");
    assertThat(RevisionChoice.choose("1.x", List.of()).message()).endsWith("none is published yet");
    var bad = RevisionChoice.choose("v-next", PUBLISHED);
    assertThat(bad.reason()).isEqualTo("InvalidVersionRange");
    assertThat(bad.message()).startsWith("\"v-next\" is not a semver range");
    assertThat(VersionRanges.problem(" ")).isPresent();
    assertThat(VersionRanges.problem(null)).isEmpty();
  }

  @Test
  void aPinnedInstanceRunsThatVersionsCodeImage() {
    CodeService service = Fixtures.withCode(Fixtures.service("makers", "cart", Visibility.Public, 1, 1), "code:3");
    CodeService at110 = RevisionChoice.asPublished(service, PUBLISHED.get(2));
    assertThat(at110.getSpec().getCode().getImage()).isEqualTo("code:1.10");
    assertThat(at110.getSpec().getVersion()).isEqualTo("1.10.0");
    assertThat(RevisionChoice.asPublished(service, PUBLISHED.get(0)).getSpec().getCode()).as("1.0.0 had no code").isNull();
    assertThat(service.getSpec().getCode().getImage()).as("the Service itself untouched").isEqualTo("code:3");
  }
}
