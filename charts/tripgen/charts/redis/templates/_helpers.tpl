{{- define "redis.labels" -}}
app: redis
tier: cache
app.kubernetes.io/name: redis
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: cache
app.kubernetes.io/part-of: tripgen
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "redis.selectorLabels" -}}
app: redis
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
