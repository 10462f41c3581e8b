{{- /* Settings that depend on each other; the values schema checks each key on its own (types, enums, typos). */ -}}
{{- define "codestore.validate" -}}
{{- if and (eq .Values.database.provider "external") (not .Values.database.external.secret) -}}
{{- fail "database.provider is external, so set database.external.secret to the <namespace>/<name> of the Secret with the Postgres admin's host, port, username and password" -}}
{{- end -}}
{{- if and (eq .Values.storage.provider "external") (not .Values.storage.external.secret) -}}
{{- fail "storage.provider is external, so set storage.external.secret to the <namespace>/<name> of the Secret with the S3 endpoint, region, accessKeyId and secretAccessKey" -}}
{{- end -}}
{{- if and (eq .Values.storage.provider "external") .Values.storage.external.gateway.enabled (ne (splitList "/" .Values.storage.external.secret | first) .Release.Namespace) -}}
{{- fail (printf "storage.external.secret is in namespace %s, but the storage gateway this chart runs reads it from the release namespace %s: put the Secret there, or set storage.external.gateway.enabled=false and storage.external.gateway.endpoint to a gateway you run" (splitList "/" .Values.storage.external.secret | first) .Release.Namespace) -}}
{{- end -}}
{{- if and (eq .Values.storage.provider "external") (not .Values.storage.external.gateway.enabled) (not .Values.storage.external.gateway.endpoint) -}}
{{- fail "storage.external.gateway.enabled is false, so set storage.external.gateway.endpoint to the URL of the storage gateway you run: instances reach their buckets only through one" -}}
{{- end -}}
{{- if and (eq .Values.storage.provider "objectbucketclaim") (not .Values.storage.objectbucketclaim.storageClass) -}}
{{- fail "storage.provider is objectbucketclaim, so set storage.objectbucketclaim.storageClass to the StorageClass of your bucket provisioner" -}}
{{- end -}}
{{- end -}}
