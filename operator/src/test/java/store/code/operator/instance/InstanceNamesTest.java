package store.code.operator.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstanceNamesTest {
  @Test
  void namespaceIsReadableDeterministicAndDistinct() {
    String a = InstanceNames.targetNamespace("acme", "webshop", "cart", "prod");
    assertThat(a).matches("cs-acme-webshop-cart-prod-[0-9a-f]{10}");
    assertThat(InstanceNames.targetNamespace("acme", "webshop", "cart", "prod")).isEqualTo(a);
    assertThat(InstanceNames.targetNamespace("acme", "webshop", "cart", "dev")).isNotEqualTo(a);
    // "a-b" + "c" and "a" + "b-c" read the same once joined; the hash of the identity tells them apart
    assertThat(InstanceNames.targetNamespace("x", "a-b", "c", "d")).isNotEqualTo(InstanceNames.targetNamespace("x", "a", "b-c", "d"));
  }

  @Test
  void longNamesAreCutToAValidDnsLabel() {
    String ns = InstanceNames.targetNamespace("a-very-long-client-namespace-name", "an-equally-long-project-name",
        "a-service-alias-that-is-long", "production-eu-west");
    assertThat(ns).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    String other = InstanceNames.targetNamespace("a-very-long-client-namespace-name", "an-equally-long-project-name",
        "a-service-alias-that-is-long", "production-eu-east");
    assertThat(other).isNotEqualTo(ns).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void instanceLabelFitsTheLabelLimit() {
    assertThat(InstanceNames.instanceLabel("acme", "webshop-cart-prod")).isEqualTo("acme.webshop-cart-prod");
    String longLabel = InstanceNames.instanceLabel("a-very-long-client-namespace-name", "an-equally-long-project-name-cart-prod");
    assertThat(longLabel).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  }

  @Test
  void databaseAndBucketNamesAreValidForPostgresAndS3() {
    String ns = InstanceNames.targetNamespace("acme", "webshop", "cart", "prod");
    assertThat(InstanceNames.databaseName(ns)).matches("[a-z0-9_]{1,63}");
    assertThat(InstanceNames.bucketName(ns)).matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
  }

  @Test
  void anInstanceAnOlderVersionProvisionedKeepsItsNamespaceAndNoOtherCanClaimIt() {
    store.code.api.v1alpha1.ServiceInstance si = new store.code.api.v1alpha1.ServiceInstance();
    si.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace("acme").withName("webshop-cart-prod").build());
    si.setSpec(new store.code.api.v1alpha1.ServiceInstanceSpec());
    si.getSpec().setProject("webshop");
    si.getSpec().setEnvironment("prod");
    si.getSpec().setServiceRef(new store.code.api.v1alpha1.ServiceRef());
    si.getSpec().getServiceRef().setName("cart");
    assertThat(Target.of(si).namespace()).as("new").matches("cs-acme-webshop-cart-prod-[0-9a-f]{10}");
    String legacy = InstanceNames.legacyTargetNamespace(si);
    assertThat(legacy).matches("cs-acme-webshop-cart-prod-[0-9a-f]{6}");
    si.setStatus(new store.code.api.v1alpha1.ServiceInstanceStatus());
    si.getStatus().setTargetNamespace(legacy);
    assertThat(Target.of(si).namespace()).as("provisioned by an older version").isEqualTo(legacy);
    si.getStatus().setTargetNamespace("cs-someone-elses-namespace-0123456789");
    assertThat(Target.of(si).namespace()).as("a status naming any other namespace is not followed")
        .isEqualTo(InstanceNames.targetNamespace(si));
  }
}
