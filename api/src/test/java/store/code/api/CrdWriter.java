package store.code.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import java.util.Arrays;
import java.util.Comparator;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.CodeService;
import store.code.api.v1alpha1.Project;
import store.code.api.v1alpha1.ServiceInstance;
import store.code.api.v1alpha1.ServiceRevision;
import store.code.api.v1alpha1.UsageReport;

/** Generates the CRD YAML of every code.store kind from the API classes ({@code make crds}). */
public final class CrdWriter {
  static final List<Class<?>> KINDS =
      List.of(CodeService.class, Project.class, ServiceInstance.class, UsageReport.class, ApiKey.class,
          ServiceRevision.class);

  private static final String HEADER =
      "# Generated from the classes in api/ by `make crds`; do not edit by hand.\n";

  private CrdWriter() {}

  /** The generator sorts printer columns; kubectl shows them in list order, so keep the declared one (Age last). */
  private static void orderPrinterColumnsAsDeclared(CustomResourceDefinition crd) {
    Class<?> kind = KINDS.stream()
        .filter(k -> HasMetadata.getKind(k).equals(crd.getSpec().getNames().getKind()))
        .findFirst().orElseThrow();
    List<String> declared = Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
      v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
    }
  }

  /** Writes the CRDs into every folder given: crds/ for kubectl, and the Helm chart's crds/. */
  public static void main(String[] args) throws IOException {
    Map<String, String> generated = generate();
    for (String arg : args.length > 0 ? args : new String[] {"crds"}) {
      Path target = Path.of(arg);
      Files.createDirectories(target);
      try (Stream<Path> old = Files.list(target)) {
        for (Path p : old.filter(f -> f.getFileName().toString().endsWith(".code.store-v1.yml")).toList()) {
          Files.delete(p);
        }
      }
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(target.resolve(e.getKey()), e.getValue());
      }
      System.out.println("CRDs written to " + target.toAbsolutePath());
    }
  }

  /** File name to YAML, for every kind. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static Map<String, String> generate() throws IOException {
    Path dir = Files.createTempDirectory("crds");
    try {
      new CRDGenerator()
          .customResourceClasses((Class[]) KINDS.toArray(new Class[0]))
          .inOutputDir(dir.toFile())
          .forCRDVersions("v1")
          .withParallelGenerationEnabled(false)
          .generate();
      Map<String, String> out = new TreeMap<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(f), CustomResourceDefinition.class);
          orderPrinterColumnsAsDeclared(crd);
          out.put(f.getFileName().toString(), HEADER + Serialization.asYaml(crd));
          Files.delete(f);
        }
      }
      return out;
    } finally {
      Files.deleteIfExists(dir);
    }
  }
}
