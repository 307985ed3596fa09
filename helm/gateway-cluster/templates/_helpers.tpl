{{/*
The chart name, or nameOverride.
*/}}
{{- define "gateway-cluster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The fully qualified app name: fullnameOverride, else the release name (when it already contains the chart name),
else release-chart. Kept to 52 characters so that suffixes such as "-migrate" and "-dashboards" stay under the
63-character limit of Kubernetes names.
*/}}
{{- define "gateway-cluster.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "gateway-cluster.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource.
*/}}
{{- define "gateway-cluster.labels" -}}
helm.sh/chart: {{ include "gateway-cluster.chart" . }}
{{ include "gateway-cluster.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: {{ include "gateway-cluster.name" . }}
{{- end }}

{{/*
Selector labels shared by all components of the release.
*/}}
{{- define "gateway-cluster.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gateway-cluster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels and selector labels of one component: include with (dict "root" $ "component" "silo").
*/}}
{{- define "gateway-cluster.componentLabels" -}}
{{ include "gateway-cluster.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "gateway-cluster.componentSelectorLabels" -}}
{{ include "gateway-cluster.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
The ServiceAccount the silo and API pods run as.
*/}}
{{- define "gateway-cluster.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "gateway-cluster.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Orleans identity: silos and clients must agree on both; empty values fall back to the full name.
*/}}
{{- define "gateway-cluster.clusterId" -}}
{{- default (include "gateway-cluster.fullname" .) .Values.gateway.clusterId }}
{{- end }}

{{- define "gateway-cluster.serviceId" -}}
{{- default (include "gateway-cluster.fullname" .) .Values.gateway.serviceId }}
{{- end }}

{{/*
Image reference: include with (dict "root" $ "image" .Values.silo.image).
*/}}
{{- define "gateway-cluster.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}

{{/*
The Secret holding the connection string, admin key and encryption key.
*/}}
{{- define "gateway-cluster.secretName" -}}
{{- default (include "gateway-cluster.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
The Npgsql connection string built from postgres.* unless postgres.connectionString is set. The password is quoted
(DbConnectionStringBuilder syntax: single quotes, a quote inside doubled) so that ';' and '=' in it are safe.
*/}}
{{- define "gateway-cluster.postgresConnectionString" -}}
{{- with .Values.postgres }}
{{- if .connectionString }}
{{- .connectionString }}
{{- else }}
{{- printf "Host=%s;Port=%v;Database=%s;Username=%s" .host .port .database .username }}
{{- if .password }}{{ printf ";Password='%s'" (replace "'" "''" .password) }}{{ end }}
{{- if .sslMode }}{{ printf ";SSL Mode=%s" .sslMode }}{{ end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The values of the chart-managed Secret as a JSON object, computed once per render and memoised in .Values so that
the Secret and the migration hook's Secret (and the checksum annotations) all see the same generated keys. Order of
precedence: the value given in values.yaml, the value already in the cluster (lookup; empty under `helm template`),
a newly generated one. A generated encryption key therefore never changes on upgrade.
*/}}
{{- define "gateway-cluster.secretValues" -}}
{{- if not (hasKey .Values "__gatewaySecretValues") }}
{{- $existing := dict }}
{{- $found := lookup "v1" "Secret" .Release.Namespace (include "gateway-cluster.fullname" .) }}
{{- if and $found $found.data }}
{{- $existing = $found.data }}
{{- end }}
{{- $keys := .Values.secrets.keys }}
{{- $admin := .Values.secrets.adminApiKey }}
{{- if and (not $admin) (hasKey $existing $keys.adminApiKey) }}
{{- $admin = index $existing $keys.adminApiKey | b64dec }}
{{- end }}
{{- if not $admin }}
{{- $admin = printf "gw-admin-%s" (randAlphaNum 40) }}
{{- end }}
{{- $encryption := .Values.secrets.encryptionKey }}
{{- if and (not $encryption) (hasKey $existing $keys.encryptionKey) }}
{{- $encryption = index $existing $keys.encryptionKey | b64dec }}
{{- end }}
{{- if not $encryption }}
{{- $encryption = randBytes 32 }}
{{- end }}
{{- $values := dict $keys.postgresConnectionString (include "gateway-cluster.postgresConnectionString" .) $keys.adminApiKey $admin $keys.encryptionKey $encryption }}
{{- range $i, $key := .Values.secrets.apiKeys }}
{{- $_ := set $values (printf "api-key-%d" $i) $key }}
{{- end }}
{{- $_ := set .Values "__gatewaySecretValues" $values }}
{{- end }}
{{- index .Values "__gatewaySecretValues" | toJson }}
{{- end }}

{{/*
Secret-backed environment variables: include with (dict "root" $ "admin" true) for the API (which also gets the
admin and static API keys) or "admin" false for silos and the migration job.
*/}}
{{- define "gateway-cluster.secretEnv" -}}
{{- $root := .root }}
{{- $secret := include "gateway-cluster.secretName" $root }}
{{- $keys := $root.Values.secrets.keys -}}
- name: ConnectionStrings__Postgres
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.postgresConnectionString }}
- name: Gateway__encryptionKey
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.encryptionKey }}
{{- if .admin }}
- name: Gateway__auth__adminApiKey
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $keys.adminApiKey }}
{{- $apiKeyKeys := $keys.apiKeys }}
{{- if not $root.Values.secrets.existingSecret }}
{{- $apiKeyKeys = list }}
{{- range $i, $_ := $root.Values.secrets.apiKeys }}
{{- $apiKeyKeys = append $apiKeyKeys (printf "api-key-%d" $i) }}
{{- end }}
{{- end }}
{{- range $i, $key := $apiKeyKeys }}
- name: Gateway__auth__apiKeys__{{ $i }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Pod annotations shared by silo and API pods: config/secret checksums (roll the pods when settings change) and the
optional prometheus.io scrape annotations.
*/}}
{{- define "gateway-cluster.podAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ include "gateway-cluster.secretValues" . | sha256sum }}
{{- end }}
{{- if .Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.gateway.httpPort | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end }}

{{/*
A preferred pod anti-affinity over nodes for one component: include with (dict "root" $ "component" "api").
*/}}
{{- define "gateway-cluster.defaultAffinity" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "gateway-cluster.componentSelectorLabels" . | nindent 12 }}
{{- end }}
