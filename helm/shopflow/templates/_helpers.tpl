{{/*
Names: objects are <fullname>-<what>. fullname is fullnameOverride, else the release's name when it
contains the chart's name (nameOverride or "shopflow"), else <release>-<name>. 40 characters at most:
the longest suffix (-ingestion-service) still fits a DNS label.
*/}}
{{- define "shopflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- define "shopflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "shopflow.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The labels a workload's selector uses (never changes across upgrades). Called with (dict "root" $ "name" <app name>). */}}
{{- define "shopflow.selectorLabels" -}}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ .name }}
{{- end -}}

{{/* Labels on every object. */}}
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

{{/* <registry>/<name>:<tag>, with @<digest> when given. Called with (dict "root" $ "name" <image name> "digest" <digest or "">). */}}
{{- define "shopflow.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.global.image.tag -}}
{{- printf "%s/%s:%s" .root.Values.global.image.registry .name $tag -}}
{{- with .digest }}@{{ . }}{{ end -}}
{{- end -}}

{{/* The JDBC URL: the chart's StatefulSet, the CloudNativePG Cluster's read-write Service, or database.url. */}}
{{- define "shopflow.dbUrl" -}}
{{- if and .Values.postgresql.enabled (eq .Values.postgresql.type "cnpg") -}}
{{- printf "jdbc:postgresql://%s-postgresql-rw:5432/shopflow" (include "shopflow.fullname" .) -}}
{{- else if .Values.postgresql.enabled -}}
{{- printf "jdbc:postgresql://%s-postgresql:5432/shopflow" (include "shopflow.fullname" .) -}}
{{- else -}}
{{- required "database.url is required when postgresql.enabled=false" .Values.database.url -}}
{{- end -}}
{{- end -}}

{{/* The database roles the chart's Secret holds a password for: the services' and the BI tools'. */}}
{{- define "shopflow.roleKeys" -}}
{{- $keys := keys .Values.services | sortAlpha -}}
{{- append $keys "bi" | toJson -}}
{{- end -}}

{{/*
Pod template annotations that roll the pods when what they read changes: the credentials (the rendered
Secret, or the data of an existing one where the cluster can be read) and the configuration files.
*/}}
{{- define "shopflow.checksums" -}}
{{- $secret := include (print .Template.BasePath "/secret.yaml") . -}}
{{- if .Values.credentials.existingSecret -}}
{{- $secret = (lookup "v1" "Secret" .Release.Namespace .Values.credentials.existingSecret).data | default dict | toJson -}}
{{- end -}}
checksum/secret: {{ $secret | sha256sum | trunc 16 }}
checksum/config: {{ include (print .Template.BasePath "/quality-checks.yaml") . | sha256sum | trunc 16 }}
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
{{- $total = add $total (mul (include "shopflow.replicasAtMost" (dict "root" $ "key" $key)) (int $svc.dbPoolSize)) -}}
{{- end -}}
{{- $total -}}
{{- end -}}

{{/* The most pods a service can have: its HPA's maxReplicas where autoscaling.<key> is on, else its replicas. */}}
{{- define "shopflow.replicasAtMost" -}}
{{- $hpa := get .root.Values.autoscaling .key | default dict -}}
{{- if $hpa.enabled -}}{{ int $hpa.maxReplicas }}{{- else -}}{{ int (get .root.Values.services .key).replicas }}{{- end -}}
{{- end -}}
{{- define "shopflow.checkConnectionBudget" -}}
{{- $pools := int (include "shopflow.connectionsAtMost" .) -}}
{{- $reserved := int .Values.database.reservedConnections -}}
{{- $max := int .Values.database.maxConnections -}}
{{- if gt (add $pools $reserved) $max -}}
{{- fail (printf "connection budget exceeded: the services' pools can open %d connections (dbPoolSize x replicas, the HPA maximum where autoscaling is on) + %d reserved = %d > database.maxConnections %d; lower services.*.dbPoolSize or replicas, or raise database.maxConnections" $pools $reserved (add $pools $reserved) $max) -}}
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

{{/* Every service's grace period must cover the preStop sleep, the shutdown delay and 30 s of draining
     (quarkus.shutdown.timeout), or Kubernetes kills pods with requests in flight. */}}
{{- define "shopflow.checkGracePeriods" -}}
{{- $d := toString .Values.rollout.shutdownDelay -}}
{{- $delay := 0 -}}
{{- if hasSuffix "ms" $d -}}{{- $delay = div (trimSuffix "ms" $d | int) 1000 -}}
{{- else if hasSuffix "s" $d -}}{{- $delay = trimSuffix "s" $d | int -}}
{{- else if hasSuffix "m" $d -}}{{- $delay = mul (trimSuffix "m" $d | int) 60 -}}
{{- end -}}
{{- $need := add (int .Values.rollout.preStopSleepSeconds) $delay 30 -}}
{{- range $key, $svc := .Values.services -}}
{{- if le (int $svc.terminationGracePeriodSeconds) (int $need) -}}
{{- fail (printf "services.%s.terminationGracePeriodSeconds (%d) must exceed rollout.preStopSleepSeconds + rollout.shutdownDelay + 30 s of draining (%d s)" $key (int $svc.terminationGracePeriodSeconds) (int $need)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
