package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import store.code.api.Conditions;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;
import store.code.operator.instance.database.CnpgDatabase;

/** CloudNativePG not installed: a condition that says so, no crash loop, and recovery once it is installed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class ProviderNotInstalledIT {
  KubeCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new KubeCluster();
    DumpOnFailure.cluster = cluster;
    cluster.installCodestoreCrds();
    cluster.startOperator(OperatorSettings.defaults());
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void missingCnpgIsReportedAndPickedUpOnceInstalled() throws Exception {
    cluster.applyExamples();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("webshop-cart-dev").get();
      assertThat(si.getStatus().getPhase()).isEqualTo(Phase.Failed);
      var db = Conditions.find(si.getStatus().getConditions(), "DatabaseReady").orElseThrow();
      assertThat(db.getReason()).isEqualTo("ProviderNotInstalled");
      assertThat(db.getMessage()).contains("CloudNativePG is not installed").contains("clusters.postgresql.cnpg.io");
      assertThat(Conditions.find(si.getStatus().getConditions(), "Ready").orElseThrow().getReason()).isEqualTo("ProviderNotInstalled");
    });
    ServiceInstance si = cluster.admin.resources(ServiceInstance.class).inNamespace("acme").withName("webshop-cart-dev").get();
    String ns = InstanceNames.targetNamespace(si);
    assertThat(cluster.admin.namespaces().withName(ns).get()).as("the namespace step still ran").isNotNull();
    assertThat(cluster.admin.apps().deployments().inNamespace(ns).withName("runtime").get()).as("no runtime without a database").isNull();
    cluster.installCrd(KubeCluster.cnpgClusterCrd());
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
        assertThat(cluster.admin.genericKubernetesResources(CnpgDatabase.CLUSTER).inNamespace(ns).withName("db").get())
            .as("provisioned without restarting the operator").isNotNull());
  }
}
