{{- define "app.shared" -}}child-definition{{- end -}}
{{- define "app.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
