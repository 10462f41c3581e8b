package store.code.operator.instance;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.Reasons;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.CodeSpec;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.schema.VersionRanges;

/**
 * Which published version an instance pinned to a semver range serves: the highest revision in the range. Pure; the
 * instance reconciler reads the revisions and acts on the answer.
 */
public final class RevisionChoice {
  private RevisionChoice() {}

  /** The revision to serve, or why there is none (the range means nothing, or no published version is in it). */
  public record Choice(Optional<ServiceRevision> revision, String reason, String message) {
    static Choice of(ServiceRevision r) {
      return new Choice(Optional.of(r), null, null);
    }
  }

  /**
   * The Service as the instance runs it when pinned to {@code revision}: that version's code image (or none); what
   * is not versioned (sizing, limits, egress) stays the Service's.
   */
  public static CodeService asPublished(CodeService service, ServiceRevision revision) {
    CodeService view = Serialization.clone(service);
    String image = revision.getSpec().getCodeImage();
    if (image == null) {
      view.getSpec().setCode(null);
    } else {
      if (view.getSpec().getCode() == null) {
        view.getSpec().setCode(new CodeSpec());
      }
      view.getSpec().getCode().setImage(image);
    }
    view.getSpec().setSchema(revision.getSpec().getSchema());
    view.getSpec().setVersion(revision.getSpec().getVersion());
    return view;
  }

  public static Choice choose(String range, List<ServiceRevision> revisions) {
    Optional<String> bad = VersionRanges.problem(range);
    if (bad.isPresent()) {
      return new Choice(Optional.empty(), Reasons.INVALID_VERSION_RANGE, bad.get());
    }
    Optional<ServiceRevision> best = revisions.stream()
        .filter(r -> r.getSpec() != null && Semver.parse(r.getSpec().getVersion()) != null)
        .filter(r -> Semver.parse(r.getSpec().getVersion()).satisfies(range))
        .max(Comparator.comparing(r -> Semver.parse(r.getSpec().getVersion())));
    if (best.isPresent()) {
      return Choice.of(best.get());
    }
    List<String> versions = revisions.stream().map(r -> r.getSpec().getVersion())
        .sorted(Comparator.comparing(Semver::parse, Comparator.nullsFirst(Comparator.<Semver>naturalOrder()))).toList();
    return new Choice(Optional.empty(), Reasons.NO_MATCHING_REVISION, "no published version is in range " + range
        + (versions.isEmpty() ? "; none is published yet" : "; published: " + String.join(", ", versions)));
  }
}
