{{- define "codestore.name" -}}codestore-operator{{- end -}}

{{- define "codestore.labels" -}}
app.kubernetes.io/name: codestore-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "codestore.selector" -}}
app.kubernetes.io/name: codestore-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "codestore.gatewayLabels" -}}
app.kubernetes.io/name: codestore-storage-gateway
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "codestore.gatewaySelector" -}}
app.kubernetes.io/name: codestore-storage-gateway
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- /* Where instances reach the storage gateway: the value given, or this chart's gateway Service. */ -}}
{{- define "codestore.gatewayEndpoint" -}}
{{- .Values.storage.external.gateway.endpoint | default (printf "http://codestore-storage-gateway.%s.svc:8080" .Release.Namespace) -}}
{{- end -}}

{{- define "codestore.consoleLabels" -}}
app.kubernetes.io/name: codestore-console
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "codestore.consoleSelector" -}}
app.kubernetes.io/name: codestore-console
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
