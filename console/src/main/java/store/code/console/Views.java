package store.code.console;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.ObjectTypeDefinition;
import graphql.parser.Parser;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.TemplateData;
import store.code.api.ConditionTypes;
import store.code.api.Conditions;
import store.code.api.Labels;
import store.code.api.Marketplace;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.ServiceUsage;
import store.code.api.v1alpha1.UsageReport;
import store.code.schema.ApiSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaError;
import store.code.schema.SchemaException;

/**
 * What each page shows, read from the custom resources with the person's own client: nothing is stored by the
 * console, and whatever RBAC refuses surfaces as the API server's 403. Plain data for the templates.
 */
public final class Views {
  private Views() {}

  @TemplateData
  public record ServiceRow(String name, String maker, String version, String price, String description) {}

  /** The published Services a project in {@code namespace} may reuse (Public, Shared with it, its own). */
  public static List<ServiceRow> marketplace(KubernetesClient client, String namespace) {
    return client.resources(CodeService.class).inAnyNamespace().list().getItems().stream()
        .filter(s -> Marketplace.admits(s, namespace))
        .filter(s -> s.getStatus() != null && s.getStatus().getVersion() != null)
        .sorted(Comparator.comparing((CodeService s) -> s.getMetadata().getName())
            .thenComparing(s -> s.getMetadata().getNamespace()))
        .map(s -> new ServiceRow(s.getMetadata().getName(), s.getMetadata().getNamespace(), s.getStatus().getVersion(),
            Marketplace.price(s.getSpec().getPricing()), s.getSpec().getDescription()))
        .toList();
  }

  @TemplateData
  public record ConditionRow(String type, String status, String reason, String message) {
    public boolean ok() {
      return Conditions.TRUE.equals(status);
    }
  }

  static List<ConditionRow> conditions(List<Condition> conditions) {
    return conditions == null ? List.of() : conditions.stream()
        .map(c -> new ConditionRow(c.getType(), c.getStatus(), c.getReason(), c.getMessage())).toList();
  }

  /** A line of a schema with the compiler's errors at it ("line 2, column 14: syntax error ..."). */
  @TemplateData
  public record SchemaLine(int number, String text, List<String> errors) {}

  @TemplateData
  public record RevisionRow(String name, String version, String created) {}

  @TemplateData
  public record UsageRow(String month, Integer projects, Long requests, String revenue) {}

  /** The API the published schema generates: its queries and mutations as signatures, and the whole SDL. */
  @TemplateData
  public record GeneratedApi(List<String> queries, List<String> mutations, String sdl) {}

  @TemplateData
  public record ServicePage(String namespace, String name, String version, String description, String visibility,
      String price, List<ConditionRow> conditions, List<SchemaLine> schema, int errors, List<RevisionRow> revisions,
      Integer instances, List<UsageRow> usage, GeneratedApi api) {}

  /** A maker's Service: conditions, its schema with the compiler's errors on their lines, revisions, use by month. */
  public static ServicePage service(KubernetesClient client, String namespace, String name) {
    CodeService s = client.resources(CodeService.class).inNamespace(namespace).withName(name).require();
    var status = s.getStatus();
    String sdl = s.getSpec().getSchema() == null ? "" : s.getSpec().getSchema();
    List<SchemaError> errors;
    GeneratedApi api = null;
    try {
      api = generatedApi(ApiSchema.of(SchemaCompiler.compile(sdl)).sdl());
      errors = List.of();
    } catch (SchemaException e) {
      errors = e.errors();
    }
    String[] lines = sdl.split("\n", -1);
    List<SchemaLine> schema = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      schema.add(new SchemaLine(number, lines[i], errors.stream().filter(e -> e.line() == number)
          .map(e -> "line " + e.line() + ", column " + e.column() + ": " + e.message()).toList()));
    }
    List<RevisionRow> revisions = client.resources(ServiceRevision.class).inNamespace(namespace)
        .withLabel(Labels.SERVICE, name).list().getItems().stream()
        .sorted(Comparator.comparing((ServiceRevision r) -> r.getMetadata().getCreationTimestamp(),
            Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
        .map(r -> new RevisionRow(r.getMetadata().getName(), r.getSpec().getVersion(), r.getMetadata().getCreationTimestamp()))
        .toList();
    List<UsageRow> usage = new ArrayList<>();
    if (status != null && status.getUsage() != null) {
      usage.add(usageRow(status.getUsage()));
    }
    if (status != null && status.getUsageHistory() != null) {
      status.getUsageHistory().forEach(u -> usage.add(usageRow(u)));
    }
    return new ServicePage(namespace, name, status == null ? null : status.getVersion(), s.getSpec().getDescription(),
        Objects.toString(s.getSpec().getVisibility(), "Private"), Marketplace.price(s.getSpec().getPricing()),
        conditions(status == null ? null : status.getConditions()), schema, errors.size(), revisions,
        status == null ? null : status.getInstances(), usage, api);
  }

  /** The root fields of a generated API as {@code name(arg: Type, ...): Type}, in the order the compiler wrote them. */
  static GeneratedApi generatedApi(String sdl) {
    Document doc = Parser.parse(sdl);
    return new GeneratedApi(signatures(doc, "Query"), signatures(doc, "Mutation"), sdl);
  }

  private static List<String> signatures(Document doc, String root) {
    return doc.getDefinitionsOfType(ObjectTypeDefinition.class).stream().filter(o -> o.getName().equals(root))
        .flatMap(o -> o.getFieldDefinitions().stream())
        .map(f -> f.getName() + (f.getInputValueDefinitions().isEmpty() ? "" : f.getInputValueDefinitions().stream()
            .map(a -> a.getName() + ": " + AstPrinter.printAst(a.getType()))
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"))) + ": " + AstPrinter.printAst(f.getType()))
        .toList();
  }

  private static UsageRow usageRow(ServiceUsage u) {
    return new UsageRow(u.getMonth(), u.getProjects(), u.getRequests(),
        u.getRevenue() + (u.getCurrency() == null ? "" : " " + u.getCurrency()));
  }

  /** One instance in the grid: what it serves and, when it is not ready, why. */
  @TemplateData
  public record Cell(String instance, String phase, String version, String reason, String message) {
    public boolean ready() {
      return "Ready".equals(phase);
    }
  }

  @TemplateData
  public record GridRow(String alias, String service, List<Cell> cells) {}

  @TemplateData
  public record KeyRow(String name, String environments, String services, String expires, String state) {}

  @TemplateData
  public record BillLine(String instance, String service, Long requests, String amount) {}

  @TemplateData
  public record ProjectPage(String namespace, String name, List<String> environments, List<GridRow> rows,
      List<ConditionRow> conditions, List<KeyRow> keys, String month, List<BillLine> bill, String total,
      List<String> months) {}

  /** A client's Project: environments x services, each instance's phase, version and reason; keys; this month's bill. */
  public static ProjectPage project(KubernetesClient client, String namespace, String name, Clock clock) {
    return project(client, namespace, name, YearMonth.now(clock.withZone(ZoneOffset.UTC)));
  }

  /** The same, with the bill of {@code month}; the months whose reports are kept are listed to choose from. */
  public static ProjectPage project(KubernetesClient client, String namespace, String name, YearMonth billed) {
    Project p = client.resources(Project.class).inNamespace(namespace).withName(name).require();
    List<String> envs = p.getSpec().getEnvironments();
    Map<String, ServiceInstance> byName = new java.util.HashMap<>();
    client.resources(ServiceInstance.class).inNamespace(namespace).withLabel(Labels.PROJECT, name).list().getItems()
        .forEach(i -> byName.put(i.getMetadata().getName(), i));
    List<GridRow> rows = new ArrayList<>();
    for (var use : p.getSpec().getServices()) {
      List<Cell> cells = new ArrayList<>();
      for (String env : envs) {
        String instance = name + "-" + use.getName() + "-" + env;
        ServiceInstance i = byName.get(instance);
        var s = i == null ? null : i.getStatus();
        var ready = s == null ? null : Conditions.find(s.getConditions(), ConditionTypes.READY).orElse(null);
        boolean isReady = ready != null && Conditions.TRUE.equals(ready.getStatus());
        cells.add(new Cell(instance, s == null || s.getPhase() == null ? "Pending" : s.getPhase().name(),
            s == null ? null : s.getServiceVersion(), ready == null || isReady ? null : ready.getReason(),
            ready == null || isReady ? null : ready.getMessage()));
      }
      String ref = use.getServiceRef() == null ? null : Objects.toString(use.getServiceRef().getNamespace(), namespace)
          + "/" + use.getServiceRef().getName();
      rows.add(new GridRow(use.getName(), ref, cells));
    }
    List<KeyRow> keys = client.resources(ApiKey.class).inNamespace(namespace).list().getItems().stream()
        .filter(k -> k.getSpec() != null && name.equals(k.getSpec().getProject()))
        .sorted(Comparator.comparing(k -> k.getMetadata().getName()))
        .map(k -> {
          var ready = k.getStatus() == null ? null
              : Conditions.find(k.getStatus().getConditions(), ConditionTypes.READY).orElse(null);
          return new KeyRow(k.getMetadata().getName(),
              k.getSpec().getEnvironments().isEmpty() ? "all" : String.join(", ", k.getSpec().getEnvironments()),
              k.getSpec().getServices().isEmpty() ? "all" : String.join(", ", k.getSpec().getServices()),
              Objects.toString(k.getSpec().getExpiresAt(), "never"), ready == null ? "Pending" : ready.getReason());
        }).toList();
    String month = billed.toString();
    List<UsageReport> reports = client.resources(UsageReport.class).inNamespace(namespace).list().getItems().stream()
        .filter(r -> r.getSpec() != null && name.equals(r.getSpec().getProject())).toList();
    List<String> months = reports.stream().map(r -> r.getMetadata().getName())
        .filter(n -> n.startsWith(name + "-")).map(n -> n.substring(name.length() + 1))
        .filter(m -> m.matches("\\d{4}-\\d{2}")).sorted(Comparator.reverseOrder()).toList();
    UsageReport report = reports.stream().filter(r -> r.getMetadata().getName().equals(name + "-" + month)).findFirst()
        .orElse(null);
    List<BillLine> bill = report == null || report.getStatus() == null ? List.of() : report.getStatus().getLines().stream()
        .map(l -> new BillLine(l.getInstance(), l.getMaker() + "/" + l.getService(), l.getRequests(), l.getAmount()))
        .toList();
    String total = report == null || report.getStatus() == null || report.getStatus().getTotal() == null ? null
        : report.getStatus().getTotal().getAmount() + " " + report.getStatus().getTotal().getCurrency();
    return new ProjectPage(namespace, name, envs, rows, conditions(p.getStatus() == null ? null
        : p.getStatus().getConditions()), keys, month, bill, total, months);
  }

  /** ApiKey {@code keyName} of the namespace, if it is a key of {@code project} (another project's is not). */
  static java.util.Optional<ApiKey> projectKey(KubernetesClient client, String namespace, String project,
      String keyName) {
    ApiKey k = client.resources(ApiKey.class).inNamespace(namespace).withName(keyName).get();
    return k != null && k.getSpec() != null && project.equals(k.getSpec().getProject())
        ? java.util.Optional.of(k) : java.util.Optional.empty();
  }

  /** A maker's Service at a glance: what it publishes, and why not when it does not. */
  @TemplateData
  public record ServiceSummary(String name, String version, String visibility, String problem, Integer instances,
      String revenue) {}

  /** A client's Project at a glance. */
  @TemplateData
  public record ProjectSummary(String name, String environments, String ready, String problem) {}

  /** A maker's Services in a namespace, with what needs attention. */
  public static List<ServiceSummary> services(KubernetesClient client, String namespace) {
    return client.resources(CodeService.class).inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .map(s -> {
          var st = s.getStatus();
          String problem = st == null ? null : st.getConditions().stream()
              .filter(c -> !Conditions.TRUE.equals(c.getStatus())).map(Condition::getReason).findFirst().orElse(null);
          var u = st == null ? null : st.getUsage();
          return new ServiceSummary(s.getMetadata().getName(), st == null ? null : st.getVersion(),
              Objects.toString(s.getSpec().getVisibility(), "Private"), problem, st == null ? null : st.getInstances(),
              u == null ? null : u.getRevenue() + (u.getCurrency() == null ? "" : " " + u.getCurrency()));
        }).toList();
  }

  /** A client's Projects in a namespace, with what needs attention. */
  public static List<ProjectSummary> projects(KubernetesClient client, String namespace) {
    return client.resources(Project.class).inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(p -> {
          var st = p.getStatus();
          var ready = st == null ? null : Conditions.find(st.getConditions(), ConditionTypes.READY).orElse(null);
          return new ProjectSummary(p.getMetadata().getName(), String.join(", ", p.getSpec().getEnvironments()),
              st == null ? null : st.getReadyInstances(),
              ready == null || Conditions.TRUE.equals(ready.getStatus()) ? null : ready.getReason());
        }).toList();
  }
}
