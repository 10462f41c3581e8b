package store.code.operator.instance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import store.code.api.v1alpha1.Phase;

/**
 * How many ServiceInstances are in each phase, as this operator last concluded: gauge {@code codestore_instances}
 * with tag {@code phase}. Counted from reconcile outcomes, so a scrape never lists the cluster.
 */
public final class InstancePhases {

  private final Map<String, Phase> phases = new ConcurrentHashMap<>();

  public InstancePhases(MeterRegistry meters) {
    if (meters != null) {
      for (Phase p : Phase.values()) {
        Gauge.builder("codestore.instances", this, s -> s.count(p)).description("ServiceInstances by phase")
            .tag("phase", p.name()).register(meters);
      }
    }
  }

  void record(String namespace, String name, Phase phase) {
    phases.put(namespace + "/" + name, phase);
  }

  void forget(String namespace, String name) {
    phases.remove(namespace + "/" + name);
  }

  public long count(Phase phase) {
    return phases.values().stream().filter(p -> p == phase).count();
  }
}
