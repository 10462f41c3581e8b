package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;
import store.code.api.SecretData;

/** The objectbucketclaim provider: a claim per instance, and once Bound, the normalized Secret storage. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class BucketClaimIT {
  KubeCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = KubeCluster.withFakeProviders();
    cluster.fakeBucketProvisioner();
    cluster.startOperator(OperatorSettings.defaults().withStorage(OperatorSettings.StorageProvider.objectbucketclaim, null)
        .withBucketStorageClass("rook-ceph-bucket"));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void boundClaimBecomesTheNormalizedStorageSecret() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/external-project.yaml")) {
      for (HasMetadata o : cluster.admin.load(in).items()) {
        cluster.admin.resource(o).serverSideApply();
      }
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(cluster.admin
        .resources(ServiceInstance.class).inNamespace("shop").withName("notes-books-dev").get().getStatus().getPhase())
        .isEqualTo(Phase.Ready));
    String ns = InstanceNames.targetNamespace(cluster.admin.resources(ServiceInstance.class).inNamespace("shop")
        .withName("notes-books-dev").get());
    var claim = cluster.admin.genericKubernetesResources(KubeCluster.OBC).inNamespace(ns).withName("files").get();
    assertThat(claim.getAdditionalProperties().get("spec").toString()).contains("generateBucketName=" + ns)
        .contains("storageClassName=rook-ceph-bucket");
    Map<String, String> storage = SecretData.decode(cluster.admin.secrets().inNamespace(ns).withName("storage").get());
    assertThat(storage).containsEntry("endpoint", "http://s3.rook.svc:80").containsEntry("bucket", ns + "-b1")
        .containsEntry("region", "eu-1").containsEntry("accessKeyId", "AK").containsEntry("secretAccessKey", "SK");
    var env = cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get()
        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env).filteredOn(e -> e.getName().equals("CODESTORE_S3_BUCKET")).singleElement()
        .extracting(EnvVar::getValueFrom).satisfies(v -> assertThat(v.getSecretKeyRef().getName()).isEqualTo("storage"));
  }
}
