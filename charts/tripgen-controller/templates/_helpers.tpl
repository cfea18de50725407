{{/* The controller's name: the release name, so two environments' controllers can share a namespace. */}}
{{- define "tripgen-controller.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tripgen-controller.labels" -}}
app: {{ include "tripgen-controller.name" . }}
app.kubernetes.io/name: tripgen-controller
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
app.kubernetes.io/part-of: tripgen
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* A subset of the labels that never changes for the life of the Deployment. */}}
{{- define "tripgen-controller.selectorLabels" -}}
app: {{ include "tripgen-controller.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Pinned by digest when one is known, else by tag. */}}
{{- define "tripgen-controller.image" -}}
{{- $ref := ternary (printf "%s/%s" .Values.image.registry .Values.image.repository) .Values.image.repository (ne .Values.image.registry "") -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $ref .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (required "tripgen-controller: image.tag or image.digest is required" .Values.image.tag) -}}
{{- end -}}
{{- end -}}
