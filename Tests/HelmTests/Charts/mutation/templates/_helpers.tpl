{{- define "mutation.mark" -}}
{{- $_ := set .Values "fromHelper" (printf "helper-in-%s" .Template.Name) -}}
{{- $_ := set . "scopeMark" "set-on-scope" -}}
marked
{{- end -}}
