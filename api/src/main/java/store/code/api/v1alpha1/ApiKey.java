package store.code.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A project API key, in the project's namespace. The operator makes the key and writes it, once, into the Secret of
 * the same name (the only place the plain key exists); the instances it reaches get only its id and hash. Deleting the
 * ApiKey, or its expiry, revokes it.
 */
@Group(CodeService.GROUP)
@Version(CodeService.VERSION)
@ShortNames({"cskey"})
@Categories("codestore")
@AdditionalPrinterColumn(name = "Project", jsonPath = ".spec.project", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Key ID", jsonPath = ".status.keyId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.expiresAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ApiKey extends CustomResource<ApiKeySpec, ApiKeyStatus> implements Namespaced {
  /** In the ApiKey's Secret (same name): the plain key, and its public id. */
  public static final String SECRET_KEY = "key";
  public static final String SECRET_KEY_ID = "keyId";
}
