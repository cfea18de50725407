{{/* The service's name: the alias the umbrella chart gives this chart (user-service, ...). */}}
{{- define "app-service.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object of the service. tripgen adds its own tracking labels when it applies. */}}
{{- define "app-service.labels" -}}
app: {{ include "app-service.name" . }}
tier: application
app.kubernetes.io/name: {{ include "app-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: tripgen
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* The selector: a subset of the labels that never changes for the life of the Deployment. */}}
{{- define "app-service.selectorLabels" -}}
app: {{ include "app-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The image reference: pinned by digest when one is known, else by its source-addressed tag. */}}
{{- define "app-service.image" -}}
{{- $registry := .Values.image.registry | default .Values.global.imageRegistry -}}
{{- $repository := .Values.image.repository | default (include "app-service.name" .) -}}
{{- $ref := ternary (printf "%s/%s" $registry $repository) $repository (ne $registry "") -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $ref .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (required (printf "%s: image.tag or image.digest is required" (include "app-service.name" .)) .Values.image.tag) -}}
{{- end -}}
{{- end -}}
