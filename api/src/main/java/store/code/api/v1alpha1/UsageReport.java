package store.code.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Billing: one per project per calendar month (UTC). Written by the usage collector. */
@Group(CodeService.GROUP)
@Version(CodeService.VERSION)
@ShortNames({"usage"})
@Categories("codestore")
@AdditionalPrinterColumn(name = "Project", jsonPath = ".spec.project", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Start", jsonPath = ".spec.period.start", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Amount", jsonPath = ".status.total.amount", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Currency", jsonPath = ".status.total.currency", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Final", jsonPath = ".status.final", type = AdditionalPrinterColumn.Type.BOOLEAN)
public class UsageReport extends CustomResource<UsageReportSpec, UsageReportStatus> implements Namespaced {}
