package store.code.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One published version of a Service, as it was published: its schema, code image, pricing and API. The operator
 * creates it when the Service publishes that version, names it {@code <service>-<version with dots as dashes>}, owns
 * it through the Service, and never changes it; {@code kubectl get csrev -l code.store/service=<name>} lists a
 * service's history.
 */
@Group(CodeService.GROUP)
@Version(CodeService.VERSION)
@ShortNames({"csrev"})
@Categories("codestore")
@AdditionalPrinterColumn(name = "Service", jsonPath = ".spec.service", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Schema", jsonPath = ".spec.schemaHash", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ServiceRevision extends CustomResource<ServiceRevisionSpec, Void> implements Namespaced {}
