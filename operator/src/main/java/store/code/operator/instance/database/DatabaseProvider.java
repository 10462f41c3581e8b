package store.code.operator.instance.database;

import store.code.api.v1alpha1.CodeService;
import store.code.operator.instance.Target;
import store.code.operator.support.StepResult;

/**
 * Gives an instance a Postgres database. Whatever the provider, the runtime finds its connection in
 * Secret {@code db-app} of the target namespace, with CNPG's keys (username, password, host, port,
 * dbname, uri, jdbc-uri).
 */
public interface DatabaseProvider {
  StepResult reconcile(Target target, CodeService service);

  /** For deletionPolicy Delete: remove what lives outside the namespace (deleting the namespace removes the rest). */
  void deleteOutsideNamespace(Target target) throws Exception;
}
