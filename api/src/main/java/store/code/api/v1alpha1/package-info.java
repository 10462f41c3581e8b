/**
 * Wire format of group {@code code.store}, version {@code v1alpha1}. The CRDs in {@code crds/} are
 * generated from these classes; validation that the API server can do (required fields, enums,
 * patterns, bounds) is declared here so bad input is refused at {@code kubectl apply}.
 */
package store.code.api.v1alpha1;
