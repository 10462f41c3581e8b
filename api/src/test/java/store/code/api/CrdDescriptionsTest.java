package store.code.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * `kubectl explain` shows what the CRDs describe: every field of every kind's spec and status has a description. The
 * one exception is the fields of each condition, which are Kubernetes' own Condition type (type, status, reason,
 * message, lastTransitionTime, observedGeneration) and documented by Kubernetes.
 */
class CrdDescriptionsTest {

  @Test
  void everyFieldOfEverySpecAndStatusIsDescribed() throws Exception {
    List<String> undescribed = new ArrayList<>();
    int fields = 0;
    for (String yaml : CrdWriter.generate().values()) {
      CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
      for (var version : crd.getSpec().getVersions()) {
        Map<String, JSONSchemaProps> top = version.getSchema().getOpenAPIV3Schema().getProperties();
        for (String part : List.of("spec", "status")) {
          if (top.containsKey(part)) {
            fields += walk(crd.getSpec().getNames().getKind() + "." + part, top.get(part), undescribed);
          }
        }
      }
    }
    assertThat(fields).as("fields looked at").isGreaterThan(150);
    assertThat(undescribed).as("fields without a description (add @JsonPropertyDescription, then `make crds`)").isEmpty();
  }

  /** Counts the fields under {@code path}, adding the undescribed ones to {@code undescribed}. */
  private static int walk(String path, JSONSchemaProps schema, List<String> undescribed) {
    int count = 0;
    if (schema.getProperties() != null) {
      for (var field : schema.getProperties().entrySet()) {
        count++;
        String at = path + "." + field.getKey();
        if (field.getValue().getDescription() == null || field.getValue().getDescription().isBlank()) {
          undescribed.add(at);
        }
        count += walk(at, field.getValue(), undescribed);
      }
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null && !path.endsWith(".conditions")) {
      count += walk(path + "[]", schema.getItems().getSchema(), undescribed);
    }
    if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
      count += walk(path + "{}", schema.getAdditionalProperties().getSchema(), undescribed);
    }
    return count;
  }
}
