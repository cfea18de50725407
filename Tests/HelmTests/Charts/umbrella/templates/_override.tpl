{{- define "app.shared" -}}parent-definition{{- end -}}
