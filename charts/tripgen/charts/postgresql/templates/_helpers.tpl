{{- define "postgresql.labels" -}}
app: postgresql
tier: database
app.kubernetes.io/name: postgresql
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database
app.kubernetes.io/part-of: tripgen
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "postgresql.selectorLabels" -}}
app: postgresql
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
