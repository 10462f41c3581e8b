package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;

import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.ServiceDefaults;
import store.code.api.v1alpha1.ServiceSpec;
import store.code.operator.instance.Target;
import store.code.operator.instance.database.CnpgDatabase;
import store.code.operator.instance.storage.ObjectBucketClaimStorage;

/**
 * The provider CRDs the tests run on. Our stand-ins (e2e/src/test/resources/stand-in-crds) must describe every field
 * the operator writes, with its type; where the upstream CRDs are beside the repository, the operator's objects are
 * checked against them too, and every stand-in field must exist upstream with the same type, so the stand-ins cannot
 * drift into accepting what CloudNativePG or a bucket provisioner would not.
 */
class ProviderCrdsTest {

  static final Target TARGET = new Target("acme", "webshop-cart-dev", "cs-acme-webshop-cart-dev-1a2b", "webshop", "cart", "dev");

  static CustomResourceDefinition crd(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  static JSONSchemaProps schema(CustomResourceDefinition crd, String version) {
    return crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(version)).findFirst().orElseThrow()
        .getSchema().getOpenAPIV3Schema();
  }

  static GenericKubernetesResource desiredCluster() {
    CodeService service = new CodeService();
    service.setSpec(new ServiceSpec());
    ServiceDefaults defaults = new ServiceDefaults();
    defaults.setDatabaseSize("2Gi");
    service.getSpec().setDefaults(defaults);
    return CnpgDatabase.cluster(TARGET, service, 2);
  }

  @Test
  void whatTheOperatorWritesIsDescribedByTheStandInsAndByUpstreamWhenPresent() throws IOException {
    List<Path> clusterCrds = new ArrayList<>(List.of(KubeCluster.standInCrds().resolve("postgresql.cnpg.io_clusters.yaml")));
    List<Path> claimCrds = new ArrayList<>(List.of(KubeCluster.standInCrds().resolve("objectbucket.io_objectbucketclaims.yaml")));
    KubeCluster.thirdPartyCrds().ifPresent(upstream -> {
      clusterCrds.add(upstream.resolve("postgresql.cnpg.io_clusters.k8s-1.20.yaml"));
      claimCrds.add(upstream.resolve("objectbucket.io_objectbucketclaims.yaml"));
    });
    for (Path file : clusterCrds) {
      assertThat(undescribed(desiredCluster().getAdditionalProperties().get("spec"), schema(crd(file), "v1").getProperties()
          .get("spec"), ".spec")).as("fields of the desired CNPG Cluster that %s does not describe", file).isEmpty();
    }
    for (Path file : claimCrds) {
      assertThat(undescribed(ObjectBucketClaimStorage.claim(TARGET, "rook-ceph-bucket").getAdditionalProperties().get("spec"),
          schema(crd(file), "v1alpha1").getProperties().get("spec"), ".spec"))
          .as("fields of the desired ObjectBucketClaim that %s does not describe", file).isEmpty();
    }
    if (clusterCrds.size() > 1) { // upstream is there: every stand-in field must exist in it, with the same type
      assertThat(missing(schema(crd(clusterCrds.get(0)), "v1"), schema(crd(clusterCrds.get(1)), "v1"), ""))
          .as("stand-in Cluster fields that upstream lacks or types otherwise").isEmpty();
      assertThat(missing(schema(crd(claimCrds.get(0)), "v1alpha1"), schema(crd(claimCrds.get(1)), "v1alpha1"), ""))
          .as("stand-in ObjectBucketClaim fields that upstream lacks or types otherwise").isEmpty();
    }
    System.out.println("[setup] provider objects checked against " + clusterCrds + " and " + claimCrds
        + (clusterCrds.size() > 1 ? "; the stand-ins against upstream" : "; upstream CRDs not beside the repository"));
  }

  @Test
  void aFieldTheStandInDoesNotDescribeIsFound() {
    JSONSchemaProps spec = new JSONSchemaProps();
    spec.setType("object");
    JSONSchemaProps instances = new JSONSchemaProps();
    instances.setType("integer");
    spec.setProperties(Map.of("instances", instances));
    assertThat(undescribed(Map.of("instances", 1, "instancez", 2), spec, ".spec")).containsExactly(".spec.instancez");
    assertThat(undescribed(Map.of("instances", "one"), spec, ".spec")).containsExactly(".spec.instances: a string, not integer");
  }

  @Test
  void aStandInFieldUpstreamLacksOrTypesOtherwiseIsFound() {
    JSONSchemaProps standIn = object(Map.of("instances", scalar("integer"), "storage", object(Map.of("size", scalar("string")))));
    JSONSchemaProps upstream = object(Map.of("instances", scalar("string"), "storage", object(Map.of())));
    assertThat(missing(standIn, upstream, ".spec")).containsExactlyInAnyOrder(
        ".spec.instances: integer here, string upstream", ".spec.storage.size");
    assertThat(missing(standIn, standIn, ".spec")).isEmpty();
  }

  static JSONSchemaProps scalar(String type) {
    JSONSchemaProps p = new JSONSchemaProps();
    p.setType(type);
    return p;
  }

  static JSONSchemaProps object(Map<String, JSONSchemaProps> properties) {
    JSONSchemaProps p = scalar("object");
    p.setProperties(properties);
    return p;
  }

  /** Paths of {@code value} that {@code schema} does not describe, or describes with another type. */
  @SuppressWarnings("unchecked")
  static List<String> undescribed(Object value, JSONSchemaProps schema, String path) {
    List<String> out = new ArrayList<>();
    if (schema == null) {
      out.add(path);
      return out;
    }
    String type = value instanceof Map ? "object" : value instanceof List ? "array" : value instanceof Number ? "integer"
        : value instanceof Boolean ? "boolean" : "string";
    if (schema.getType() != null && !schema.getType().equals(type)
        && !(type.equals("integer") && schema.getType().equals("number"))) {
      out.add(path + ": a" + (type.startsWith("i") || type.startsWith("a") || type.startsWith("o") ? "n " : " ") + type
          + ", not " + schema.getType());
      return out;
    }
    if (value instanceof Map<?, ?> map && !Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
      for (var e : ((Map<String, Object>) map).entrySet()) {
        JSONSchemaProps field = schema.getProperties() == null ? null : schema.getProperties().get(e.getKey());
        if (field == null && schema.getAdditionalProperties() != null) {
          field = schema.getAdditionalProperties().getSchema();
        }
        out.addAll(undescribed(e.getValue(), field, path + "." + e.getKey()));
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        out.addAll(undescribed(item, schema.getItems() == null ? null : schema.getItems().getSchema(), path + "[]"));
      }
    }
    return out;
  }

  /** Paths described by {@code standIn} that {@code upstream} does not describe with the same type. */
  static List<String> missing(JSONSchemaProps standIn, JSONSchemaProps upstream, String path) {
    List<String> out = new ArrayList<>();
    if (upstream == null || !java.util.Objects.equals(standIn.getType(), upstream.getType())) {
      out.add(path + (upstream == null ? "" : ": " + standIn.getType() + " here, " + upstream.getType() + " upstream"));
      return out;
    }
    if (standIn.getProperties() != null && !Boolean.TRUE.equals(upstream.getXKubernetesPreserveUnknownFields())) {
      standIn.getProperties().forEach((name, field) -> out.addAll(missing(field,
          upstream.getProperties() == null ? null : upstream.getProperties().get(name), path + "." + name)));
    }
    if (standIn.getItems() != null && standIn.getItems().getSchema() != null) {
      out.addAll(missing(standIn.getItems().getSchema(),
          upstream.getItems() == null ? null : upstream.getItems().getSchema(), path + "[]"));
    }
    return out;
  }
}
