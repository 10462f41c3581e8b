package store.code.operator.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.semver4j.Semver;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import store.code.api.Labels;
import store.code.api.v1alpha1.ApiSummary;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceRevisionSpec;
import store.code.schema.CompiledSchema;

/**
 * A Service's published versions as ServiceRevisions: what one holds, the name it has, whether the Service's spec
 * still matches a version already published, and which ones history no longer keeps. Pure functions; the
 * {@link ServiceReconciler} writes.
 */
public final class Revisions {
  public static final int DEFAULT_HISTORY_LIMIT = 10;

  private Revisions() {}

  /** {@code <service>-<version>} with every character a name cannot hold as a dash: {@code cart-1-4-0-rc-1}. */
  public static String name(String service, String version) {
    return service + "-" + version.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
  }

  /** The revision the Service publishes now: its spec at this moment, with the compiled schema's API. */
  public static ServiceRevision of(CodeService service, CompiledSchema compiled) {
    ServiceRevisionSpec spec = new ServiceRevisionSpec();
    spec.setService(service.getMetadata().getName());
    spec.setVersion(service.getSpec().getVersion());
    spec.setSchema(compiled.source());
    spec.setSchemaHash(compiled.hash());
    spec.setCodeImage(service.getSpec().getCode() == null ? null : service.getSpec().getCode().getImage());
    spec.setPricing(service.getSpec().getPricing());
    spec.setApi(new ApiSummary(compiled.queries(), compiled.mutations()));
    ServiceRevision r = new ServiceRevision();
    r.setMetadata(new ObjectMetaBuilder().withName(name(spec.getService(), spec.getVersion()))
        .withNamespace(service.getMetadata().getNamespace())
        .withLabels(Map.of(Labels.SERVICE, spec.getService(), Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(service.getApiVersion()).withKind(service.getKind())
            .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(false).build())
        .build());
    r.setSpec(spec);
    return r;
  }

  /**
   * What the spec changes in a version already published, in words (empty: nothing, or not published yet). A
   * published version is what clients pinned; a change to what instances run or pay needs a new version.
   */
  public static List<String> changesTo(ServiceRevision published, ServiceRevision wanted) {
    List<String> changed = new ArrayList<>();
    if (published == null) {
      return changed;
    }
    ServiceRevisionSpec was = published.getSpec();
    ServiceRevisionSpec now = wanted.getSpec();
    if (!Objects.equals(was.getVersion(), now.getVersion())) {
      changed.add("version " + was.getVersion() + " is published as revision " + published.getMetadata().getName()
          + ", whose name " + now.getVersion() + " also takes");
      return changed;
    }
    if (!Objects.equals(was.getSchema(), now.getSchema())) {
      changed.add("the schema");
    }
    if (!Objects.equals(was.getCodeImage(), now.getCodeImage())) {
      changed.add("code.image (" + was.getCodeImage() + " -> " + now.getCodeImage() + ")");
    }
    if (!Objects.equals(pricing(was), pricing(now))) {
      changed.add("the pricing");
    }
    return changed;
  }

  private static String pricing(ServiceRevisionSpec s) {
    var p = s.getPricing();
    return p == null ? null : p.getCurrency() + "/" + p.getMonthlyFee() + "/" + p.getPerMillionRequests() + "/"
        + p.getPerGiBMonth();
  }

  /**
   * The revisions history lets go: all but the {@code limit} highest versions, never the published one or one an
   * instance still serves ({@code inUse}, by version).
   */
  public static List<ServiceRevision> toPrune(List<ServiceRevision> revisions, int limit, String published,
      Set<String> inUse) {
    List<ServiceRevision> newestFirst = new ArrayList<>(revisions);
    newestFirst.sort(Comparator.comparing((ServiceRevision r) -> semver(r.getSpec().getVersion()),
        Comparator.nullsFirst(Comparator.<Semver>naturalOrder())).reversed());
    List<ServiceRevision> prune = new ArrayList<>();
    for (int i = limit; i < newestFirst.size(); i++) {
      String v = newestFirst.get(i).getSpec().getVersion();
      if (!v.equals(published) && !inUse.contains(v)) {
        prune.add(newestFirst.get(i));
      }
    }
    return prune;
  }

  private static Semver semver(String version) {
    return version == null ? null : Semver.parse(version);
  }

  static Optional<ServiceRevision> named(List<ServiceRevision> revisions, String name) {
    return revisions.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
  }
}
