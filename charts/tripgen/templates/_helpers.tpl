{{/* Labels on every object this chart itself defines (the subcharts label their own). */}}
{{- define "tripgen.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: tripgen
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
