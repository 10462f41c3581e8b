package store.code.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.Conditions;
import store.code.api.ConditionTypes;
import store.code.api.v1alpha1.Phase;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.operator.config.OperatorSettings;
import store.code.operator.instance.InstanceNames;
import store.code.api.SecretData;

/**
 * Secrets per environment against a real API server: the Project's secretRefs at project, environment and service
 * level become one Secret in each instance's namespace, a missing Secret is a condition naming it (and deploys no
 * runtime), a rotated value rolls the instances that take it and no other, and no value appears in any status, event
 * or line of the operator's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DumpOnFailure.class)
class ProjectSecretsIT {
  static final String NS = "studio";
  /** Values that must appear nowhere but in Secrets. */
  static final String SMTP = "smtp-pw-3f9a1c";
  static final String STRIPE = "sk-live-77e2b0";
  static final String STRIPE_ROTATED = "sk-live-rotated-9d41";
  static final String UNUSED = "not-taken-0b7d";
  static final String LATE = "late-value-5c0e";
  static final List<String> VALUES = List.of(SMTP, STRIPE, STRIPE_ROTATED, UNUSED, LATE);
  /** A Ready instance reads its Secrets again within a minute (the operator may not watch Secrets). */
  static final Duration ROTATION = Duration.ofSeconds(100);

  KubeCluster cluster;
  final ListAppender<ILoggingEvent> operatorLog = new ListAppender<>();

  @BeforeAll
  void start() throws Exception {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    operatorLog.setContext(logs);
    operatorLog.start();
    logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(operatorLog);
    // the operator's own lines at every level, the framework's from INFO: whatever they print is checked
    logs.getLogger("store.code").setLevel(Level.DEBUG);
    logs.getLogger("io.javaoperatorsdk").setLevel(Level.INFO);
    cluster = KubeCluster.withFakeProviders();
    cluster.startOperator(OperatorSettings.defaults());
    cluster.admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  void stop() {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(operatorLog);
    logs.getLogger("store.code").setLevel(Level.INFO);
    logs.getLogger("io.javaoperatorsdk").setLevel(Level.WARN);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void secretsResolvePerEnvironmentRotateOnlyWhereTheyChangeAndNeverShowTheirValues() {
    secret("shared", Map.of("SMTP_PASSWORD", SMTP));
    secret("pay-prod", Map.of("stripe-key", STRIPE, "unused", UNUSED));
    apply("""
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata: {name: ledger, namespace: studio}
        spec:
          version: 1.0.0
          schema: "type Entry @model { amount: Int }"
        ---
        apiVersion: code.store/v1alpha1
        kind: Project
        metadata: {name: vault, namespace: studio}
        spec:
          environments: [dev, prod]
          secretRefs: [{name: shared}]
          environmentSettings:
            dev: {secretRefs: [{name: dev-extras}]}
          services:
          - name: pay
            serviceRef: {name: ledger}
            environments:
              prod: {secretRefs: [{name: pay-prod, keys: [stripe-key]}]}
          - name: mail
            serviceRef: {name: ledger}
        """);

    // dev names a Secret that does not exist yet: said, and no runtime is deployed; prod gets its values
    eventually(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (String dev : List.of("vault-pay-dev", "vault-mail-dev")) {
        ServiceInstance si = instance(dev);
        assertThat(si.getStatus().getPhase()).as(dev).isEqualTo(Phase.Failed);
        var secrets = Conditions.find(si.getStatus().getConditions(), ConditionTypes.SECRETS_READY).orElseThrow();
        assertThat(secrets.getReason()).isEqualTo("SecretNotFound");
        assertThat(secrets.getMessage()).isEqualTo("Secret dev-extras does not exist in namespace studio: create it, "
            + "or remove it from the Project's secretRefs");
        assertThat(runtime(dev)).as("no runtime without its secrets").isNull();
      }
      for (String prod : List.of("vault-pay-prod", "vault-mail-prod")) {
        assertThat(instance(prod).getStatus().getPhase()).as(prod).isEqualTo(Phase.Ready);
      }
      assertThat(copied("vault-pay-prod")).isEqualTo(Map.of("SMTP_PASSWORD", SMTP, "stripe-key", STRIPE));
      assertThat(copied("vault-mail-prod")).isEqualTo(Map.of("SMTP_PASSWORD", SMTP));
    });

    // the Secret appears: the instances that waited for it are provisioned (they look again every 30 s)
    secret("dev-extras", Map.of("FEATURE_TOKEN", LATE));
    eventually(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (String dev : List.of("vault-pay-dev", "vault-mail-dev")) {
        assertThat(instance(dev).getStatus().getPhase()).as(dev).isEqualTo(Phase.Ready);
        assertThat(copied(dev)).isEqualTo(Map.of("SMTP_PASSWORD", SMTP, "FEATURE_TOKEN", LATE));
      }
    });

    // a rotated value rolls the one instance that takes it
    Map<String, String> before = rolloutHashes();
    secret("pay-prod", Map.of("stripe-key", STRIPE_ROTATED, "unused", UNUSED));
    eventually(ROTATION).untilAsserted(() ->
        assertThat(copied("vault-pay-prod")).containsEntry("stripe-key", STRIPE_ROTATED));
    Map<String, String> after = rolloutHashes();
    assertThat(after.get("vault-pay-prod")).isNotEqualTo(before.get("vault-pay-prod"));
    before.remove("vault-pay-prod");
    after.remove("vault-pay-prod");
    assertThat(after).as("the instances that do not take it keep their pods").isEqualTo(before);

    // nowhere but in Secrets: statuses, specs, events, the operator's log
    List<String> visible = new ArrayList<>();
    cluster.admin.resources(ServiceInstance.class).inNamespace(NS).list().getItems().forEach(o -> visible.add(json(o)));
    visible.add(json(cluster.admin.resources(Project.class).inNamespace(NS).withName("vault").get()));
    cluster.admin.v1().events().inAnyNamespace().list().getItems().forEach(o -> visible.add(json(o)));
    cluster.admin.events().v1().events().inAnyNamespace().list().getItems().forEach(o -> visible.add(json(o)));
    List<String> lines = operatorLog.list.stream().map(e -> e.getLoggerName() + " " + e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    assertThat(lines).as("the log is captured, so its check can fail").anyMatch(l -> l.startsWith("store.code")
        || l.startsWith("io.javaoperatorsdk"));
    visible.addAll(lines);
    for (String value : VALUES) {
      String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      assertThat(visible).as("objects and log lines").noneMatch(s -> s.contains(value) || s.contains(encoded));
    }
  }

  private void secret(String name, Map<String, String> values) {
    cluster.admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(NS).endMetadata().withStringData(values).build()).serverSideApply();
  }

  private ServiceInstance instance(String name) {
    return cluster.admin.resources(ServiceInstance.class).inNamespace(NS).withName(name).get();
  }

  private Deployment runtime(String instance) {
    return cluster.admin.apps().deployments().inNamespace(InstanceNames.targetNamespace(instance(instance)))
        .withName("runtime").get();
  }

  /** The values in the instance's namespace, as its pods get them. */
  private Map<String, String> copied(String instance) {
    Secret s = cluster.admin.secrets().inNamespace(InstanceNames.targetNamespace(instance(instance)))
        .withName("instance-secrets").get();
    return s == null ? Map.of() : SecretData.decode(s);
  }

  /** What rolls an instance's pods when its config or secrets change: the annotation on the pod template. */
  private Map<String, String> rolloutHashes() {
    return Stream.of("vault-pay-dev", "vault-mail-dev", "vault-pay-prod", "vault-mail-prod").collect(Collectors.toMap(
        n -> n, n -> runtime(n).getSpec().getTemplate().getMetadata().getAnnotations().get("code.store/config-hash"),
        (a, b) -> a, java.util.TreeMap::new));
  }

  private static String json(HasMetadata o) {
    return Serialization.asJson(o);
  }

  private static org.awaitility.core.ConditionFactory eventually(Duration atMost) {
    return await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).ignoreExceptions();
  }

  private void apply(String yaml) {
    for (HasMetadata o : cluster.admin.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
        .items()) {
      cluster.admin.resource(o).serverSideApply();
    }
  }
}
