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
