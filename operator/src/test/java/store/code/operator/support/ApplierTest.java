package store.code.operator.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/**
 * The applied-state hash is of the state, not of a map's iteration order: {@code Map.of} iterates in an order salted
 * per JVM, so an operator restarted in a new JVM must compute the same hashes (OperatorBenchTest checks it across two
 * JVMs: the packaged operator writes nothing on a cluster the benchmark's operator provisioned).
 */
class ApplierTest {

  static <V> Map<String, V> inOrder(Object... keysAndValues) {
    Map<String, V> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      @SuppressWarnings("unchecked")
      V v = (V) keysAndValues[i + 1];
      m.put((String) keysAndValues[i], v);
    }
    return m;
  }

  static GenericKubernetesResource cluster(Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder().withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster")
        .withNewMetadata().withNamespace("ns").withName("db").endMetadata()
        .addToAdditionalProperties("spec", spec).build();
  }

  @Test
  void theHashOfAnUntypedObjectDoesNotDependOnTheOrderItsMapsIterateIn() {
    var one = cluster(inOrder("instances", 1, "storage", inOrder("size", "1Gi", "class", "fast"),
        "bootstrap", inOrder("initdb", inOrder("database", "app", "owner", "app"))));
    var other = cluster(inOrder("bootstrap", inOrder("initdb", inOrder("owner", "app", "database", "app")),
        "storage", inOrder("class", "fast", "size", "1Gi"), "instances", 1));
    assertThat(Applier.desiredHash(one)).isEqualTo(Applier.desiredHash(other));
    var bigger = cluster(inOrder("instances", 2, "storage", inOrder("size", "1Gi", "class", "fast"),
        "bootstrap", inOrder("initdb", inOrder("database", "app", "owner", "app"))));
    assertThat(Applier.desiredHash(bigger)).as("another state, another hash").isNotEqualTo(Applier.desiredHash(one));
  }

  @Test
  void theHashOfATypedObjectDoesNotDependOnTheOrderOfItsLabelsOrData() {
    Secret one = new SecretBuilder().withNewMetadata().withNamespace("ns").withName("keys")
        .withLabels(inOrder("a", "1", "b", "2")).endMetadata().withStringData(inOrder("keys", "k", "token", "t")).build();
    Secret other = new SecretBuilder().withNewMetadata().withNamespace("ns").withName("keys")
        .withLabels(inOrder("b", "2", "a", "1")).endMetadata().withStringData(inOrder("token", "t", "keys", "k")).build();
    assertThat(Applier.desiredHash(one)).isEqualTo(Applier.desiredHash(other));
    other.getStringData().put("token", "u");
    assertThat(Applier.desiredHash(other)).isNotEqualTo(Applier.desiredHash(one));
  }
}
