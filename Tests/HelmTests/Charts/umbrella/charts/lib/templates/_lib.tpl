{{- define "lib.greeting" -}}hello from {{ .Chart.Name }}{{- end -}}
