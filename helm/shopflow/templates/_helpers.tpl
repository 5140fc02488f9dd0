{{/* Common names and labels: objects are <fullname>-<what>, fullname the release's name unless fullnameOverride. */}}
{{- define "shopflow.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "shopflow.labels" -}}
app.kubernetes.io/part-of: shopflow
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The ServiceAccount every ShopFlow pod runs as (none of them calls the Kubernetes API). */}}
{{- define "shopflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "shopflow.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Scheduling of a service's pods: its own nodeSelector, tolerations, affinity and topologySpreadConstraints
where set, else the global ones. Called with (dict "root" $ "svc" $svc).
*/}}
{{- define "shopflow.scheduling" -}}
{{- range $field := list "nodeSelector" "tolerations" "affinity" "topologySpreadConstraints" }}
{{- $value := default (get $.root.Values.global $field) (get $.svc $field) }}
{{- with $value }}
{{ $field }}:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The Secret holding api-user, api-password, db-password and db-password-<service key>. */}}
{{- define "shopflow.secretName" -}}
{{- default (printf "%s-credentials" (include "shopflow.fullname" .)) .Values.credentials.existingSecret -}}
{{- end -}}

{{- define "shopflow.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.global.image.tag -}}
{{- printf "%s/%s:%s" .root.Values.global.image.registry .name $tag -}}
{{- end -}}

{{- define "shopflow.dbUrl" -}}
{{- if .Values.postgresql.enabled -}}
{{- printf "jdbc:postgresql://%s-postgresql:5432/shopflow" (include "shopflow.fullname" .) -}}
{{- else -}}
{{- required "database.url is required when postgresql.enabled=false" .Values.database.url -}}
{{- end -}}
{{- end -}}

{{/* The database user and the Secret key of its password for the service .key. */}}
{{- define "shopflow.dbUser" -}}
{{- if .root.Values.database.serviceRoles -}}shopflow_{{ .key }}{{- else -}}{{ .root.Values.database.user }}{{- end -}}
{{- end -}}
{{- define "shopflow.dbPasswordKey" -}}
{{- if .root.Values.database.serviceRoles -}}db-password-{{ .key }}{{- else -}}db-password{{- end -}}
{{- end -}}

{{/* URL of a service inside the cluster, by its key in .Values.services. */}}
{{- define "shopflow.serviceUrl" -}}
{{- $svc := index .root.Values.services .key -}}
{{- printf "http://%s-%s:8080" (include "shopflow.fullname" .root) $svc.name -}}
{{- end -}}

{{/*
The connection budget: every pool at its maximum in every replica a Deployment can have (the HPA's
maxReplicas where autoscaling is on), plus the reserved connections, must fit max_connections.
Fails the render otherwise, so an install never meets "too many clients" under load.
*/}}
{{- define "shopflow.connectionsAtMost" -}}
{{- $total := 0 -}}
{{- range $key, $svc := .Values.services -}}
{{- $replicas := int $svc.replicas -}}
{{- if and (eq $key "analytics") $.Values.autoscaling.analytics.enabled -}}
{{- $replicas = int $.Values.autoscaling.analytics.maxReplicas -}}
{{- end -}}
{{- $total = add $total (mul $replicas (int $svc.dbPoolSize)) -}}
{{- end -}}
{{- $total -}}
{{- end -}}
{{- define "shopflow.checkConnectionBudget" -}}
{{- $pools := int (include "shopflow.connectionsAtMost" .) -}}
{{- $reserved := int .Values.database.reservedConnections -}}
{{- $max := int .Values.database.maxConnections -}}
{{- if gt (add $pools $reserved) $max -}}
{{- fail (printf "connection budget exceeded: the services' pools can open %d connections (dbPoolSize x replicas, the HPA maximum for analytics) + %d reserved = %d > database.maxConnections %d; lower services.*.dbPoolSize or replicas, or raise database.maxConnections" $pools $reserved (add $pools $reserved) $max) -}}
{{- end -}}
{{- end -}}

{{/*
"true" when the Prometheus Operator's objects (ServiceMonitor, PrometheusRule) are to be rendered:
monitoring.operatorCrds true, or "auto" and the cluster serves monitoring.coreos.com/v1. helm template
sees no cluster (GitOps renders, k8s/): there, set it to true to get them.
*/}}
{{- define "shopflow.operatorCrds" -}}
{{- $setting := toString .Values.monitoring.operatorCrds -}}
{{- if eq $setting "true" -}}
true
{{- else if and (eq $setting "auto") (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1") -}}
true
{{- end -}}
{{- end -}}
