{{/* Chart name, overridable. */}}
{{- define "realitycheck.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name prefix of every object. */}}
{{- define "realitycheck.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: <fullname>-<component>. Args: dict root, component. */}}
{{- define "realitycheck.componentName" -}}
{{- printf "%s-%s" (include "realitycheck.fullname" .root | trunc 40 | trimSuffix "-") .component -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "realitycheck.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "realitycheck.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: realitycheck
{{- end -}}

{{/* Selector labels of one component. Args: dict root, component. */}}
{{- define "realitycheck.selectorLabels" -}}
app.kubernetes.io/name: {{ include "realitycheck.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* All labels of one component's objects. Args: dict root, component. */}}
{{- define "realitycheck.componentLabels" -}}
{{ include "realitycheck.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The service account's name. */}}
{{- define "realitycheck.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "realitycheck.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Kafka bootstrap servers: the configured ones, else the Strimzi cluster's bootstrap Service. */}}
{{- define "realitycheck.kafkaBootstrap" -}}
{{- if .Values.kafka.bootstrapServers -}}
{{- .Values.kafka.bootstrapServers -}}
{{- else if .Values.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap:%d" .Values.strimzi.clusterName (ternary 9093 9092 .Values.kafka.tls.enabled | int) -}}
{{- else -}}
{{- fail "kafka.bootstrapServers is required unless strimzi.enabled is true" -}}
{{- end -}}
{{- end -}}

{{/* True ("true") when the Kafka clients need a client configuration file (TLS or SASL). */}}
{{- define "realitycheck.kafkaSecured" -}}
{{- if or .Values.kafka.tls.enabled (include "realitycheck.kafkaSasl" .) -}}true{{- end -}}
{{- end -}}

{{/* True ("true") when the Kafka clients authenticate with SASL: kafka.sasl, or one KafkaUser per service. */}}
{{- define "realitycheck.kafkaSasl" -}}
{{- if or .Values.kafka.sasl.enabled .Values.strimzi.users.enabled -}}true{{- end -}}
{{- end -}}

{{/*
The Kafka users and their ACLs, one JSON object per user: name, acls (resource type, name, patternType,
operations). The same table as dev.realitycheck.transport.TopicAcls (KafkaPrincipal's user names);
ServiceSettingsTest checks that the rendered KafkaUsers equal TopicAcls.rules().
*/}}
{{- define "realitycheck.kafkaUsers" -}}
{{- $all := list "realitycheck.runs" "realitycheck.checkpoints" "realitycheck.training-states" "realitycheck.evaluations" "realitycheck.evaluation-progress" "realitycheck.evaluation-blocks" "realitycheck.evaluation-partials" "realitycheck.dead-letters" "realitycheck.run-events" "realitycheck.experiments" -}}
{{- $table := dict
  "trainer" (dict "user" "realitycheck-trainer" "group" "trainer-" "write" (list "realitycheck.runs" "realitycheck.checkpoints" "realitycheck.training-states" "realitycheck.dead-letters" "realitycheck.run-events" "realitycheck.experiments") "read" (list "realitycheck.runs" "realitycheck.training-states" "realitycheck.run-events" "realitycheck.experiments"))
  "evaluation" (dict "user" "realitycheck-evaluation" "group" "evaluation-" "write" (list "realitycheck.evaluations" "realitycheck.evaluation-progress" "realitycheck.evaluation-blocks" "realitycheck.evaluation-partials" "realitycheck.dead-letters") "read" (list "realitycheck.checkpoints" "realitycheck.evaluations" "realitycheck.evaluation-blocks" "realitycheck.evaluation-partials" "realitycheck.run-events" "realitycheck.experiments"))
  "embedding" (dict "user" "realitycheck-embedding" "group" "" "write" (list "realitycheck.dead-letters") "read" (list "realitycheck.checkpoints" "realitycheck.evaluations"))
  "reader" (dict "user" "realitycheck-reader" "group" "" "write" (list) "read" (list "realitycheck.evaluations"))
-}}
{{- $users := list -}}
{{- range $component := list "trainer" "evaluation" "embedding" "reader" -}}
{{- $u := index $table $component -}}
{{- $acls := list -}}
{{- range $topic := $all -}}
{{- $ops := list -}}
{{- if ne $component "reader" }}{{ $ops = append $ops "Describe" }}{{ end -}}
{{- if has $topic $u.write }}{{ $ops = append $ops "Write" }}{{ end -}}
{{- if has $topic $u.read }}{{ $ops = append $ops "Read" }}{{ end -}}
{{- if $ops -}}
{{- $acls = append $acls (dict "resource" (dict "type" "topic" "name" $topic "patternType" "literal") "operations" $ops) -}}
{{- end -}}
{{- end -}}
{{- if $u.group -}}
{{- $acls = append $acls (dict "resource" (dict "type" "group" "name" $u.group "patternType" "prefix") "operations" (list "Read")) -}}
{{- end -}}
{{- $users = append $users (dict "component" $component "name" $u.user "acls" $acls) -}}
{{- end -}}
{{- toJson $users -}}
{{- end -}}

{{/*
Image reference [registry/]repository[:tag][@digest]. Args: dict root, image (registry, repository,
tag, digest), defaultRegistry (used when image.registry is empty), defaultTag (when image.tag is empty).
global.imageRegistry, when set, is the registry of every image.
*/}}
{{- define "realitycheck.image" -}}
{{- $global := dig "imageRegistry" "" (default (dict) .root.Values.global) -}}
{{- $registry := coalesce $global .image.registry .defaultRegistry | default "" | trimSuffix "/" -}}
{{- $ref := .image.repository -}}
{{- if $registry -}}
{{- $ref = printf "%s/%s" $registry $ref -}}
{{- end -}}
{{- with default .defaultTag .image.tag -}}
{{- $ref = printf "%s:%s" $ref . -}}
{{- end -}}
{{- with .image.digest -}}
{{- $ref = printf "%s@%s" $ref . -}}
{{- end -}}
{{- $ref -}}
{{- end -}}

{{/* The image of one service. Args: dict root, component. */}}
{{- define "realitycheck.serviceImage" -}}
{{- $v := index .root.Values .component -}}
{{- $image := pick $v.image "registry" "repository" "tag" "digest" -}}
{{- if and (eq .component "trainer") $v.gpu.enabled -}}
{{- $image = dict "registry" $v.image.registry "repository" $v.image.gpuRepository "tag" $v.image.tag "digest" $v.image.gpuDigest -}}
{{- end -}}
{{- include "realitycheck.image" (dict "root" .root "image" $image "defaultRegistry" .root.Values.image.registry "defaultTag" .root.Chart.AppVersion) -}}
{{- end -}}

{{/* The data set volume source as YAML (empty when no volume is mounted). */}}
{{- define "realitycheck.datasetsVolumeSource" -}}
{{- $d := .Values.datasets -}}
{{- if $d.volume -}}
{{- toYaml $d.volume -}}
{{- else if $d.persistence.existingClaim -}}
persistentVolumeClaim:
  claimName: {{ $d.persistence.existingClaim }}
{{- else if $d.persistence.enabled -}}
persistentVolumeClaim:
  claimName: {{ include "realitycheck.fullname" . }}-datasets
{{- end -}}
{{- end -}}

{{/* Pod-level security context: non-root, RuntimeDefault seccomp. */}}
{{- define "realitycheck.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security context: read-only root, no privilege escalation, no capabilities. */}}
{{- define "realitycheck.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Environment of every Kafka client: TLS/SASL file and JAAS secret (read by transport's KafkaClientOverrides). */}}
{{- define "realitycheck.kafkaEnv" -}}
{{- $root := default . .root -}}
{{- $user := "" -}}
{{- if and $root.Values.strimzi.users.enabled .component -}}
{{- range include "realitycheck.kafkaUsers" $root | fromJsonArray }}{{ if eq .component $.component }}{{ $user = .name }}{{ end }}{{ end -}}
{{- end -}}
{{- if include "realitycheck.kafkaSecured" $root }}
- name: REALITYCHECK_KAFKA_CLIENT_CONFIG
  value: /etc/realitycheck/kafka/client.properties
{{- end }}
{{- $sasl := $root.Values.kafka.sasl -}}
{{- if and $sasl.users.enabled (not $sasl.enabled) -}}
{{- fail "kafka.sasl.users.enabled needs kafka.sasl.enabled" -}}
{{- end -}}
{{- if $user }}
- name: REALITYCHECK_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ $user }}
      key: sasl.jaas.config
{{- else if and $sasl.users.enabled (has .component (list "trainer" "evaluation" "embedding")) }}
{{- $secret := index $sasl.users.secrets .component | default (printf "%s-kafka-%s" (include "realitycheck.fullname" $root) .component) }}
{{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $sasl.mechanism "PLAIN") }}
- name: REALITYCHECK_KAFKA_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: username
- name: REALITYCHECK_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: password
# the kubelet expands $(VAR) from the two variables above
- name: REALITYCHECK_KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(REALITYCHECK_KAFKA_USERNAME)\" password=\"$(REALITYCHECK_KAFKA_PASSWORD)\";" $module | quote }}
{{- else if include "realitycheck.kafkaSasl" $root }}
- name: REALITYCHECK_KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.jaasConfigSecret.name is required when kafka.sasl.enabled (with strimzi.users.enabled: for the topic Job, an admin's)" $root.Values.kafka.sasl.jaasConfigSecret.name }}
      key: {{ $root.Values.kafka.sasl.jaasConfigSecret.key }}
{{- end }}
{{- end -}}

{{/* Volume mounts of the Kafka client configuration (TLS CA, client properties). */}}
{{- define "realitycheck.kafkaVolumeMounts" -}}
{{- if include "realitycheck.kafkaSecured" . }}
- name: kafka-client
  mountPath: /etc/realitycheck/kafka
  readOnly: true
{{- end }}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-ca
  mountPath: /etc/realitycheck/kafka-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/* Volumes of the Kafka client configuration. */}}
{{- define "realitycheck.kafkaVolumes" -}}
{{- if include "realitycheck.kafkaSecured" . }}
- name: kafka-client
  configMap:
    name: {{ include "realitycheck.fullname" . }}-kafka-client
{{- end }}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-ca
  secret:
    secretName: {{ required "kafka.tls.caSecret.name is required when kafka.tls.enabled" (include "realitycheck.kafkaCaSecret" .) }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: ca.crt
{{- end }}
{{- end -}}

{{/* The secret holding the Kafka cluster CA: configured, else Strimzi's <cluster>-cluster-ca-cert. */}}
{{- define "realitycheck.kafkaCaSecret" -}}
{{- if .Values.kafka.tls.caSecret.name -}}
{{- .Values.kafka.tls.caSecret.name -}}
{{- else if .Values.strimzi.enabled -}}
{{- printf "%s-cluster-ca-cert" .Values.strimzi.clusterName -}}
{{- end -}}
{{- end -}}

{{/* Kafka topics of the pipeline (names and default configs as in dev.realitycheck.transport.TopicSpec), one JSON object per topic. */}}
{{- define "realitycheck.topics" -}}
{{- $p := int .Values.topics.partitions -}}
{{- $r := int .Values.topics.replicationFactor -}}
{{- $t := .Values.topics -}}
{{- $topics := list
  (dict "name" "realitycheck.runs" "partitions" $p "config" (dict "retention.ms" (int64 $t.runsRetentionMs | toString)))
  (dict "name" "realitycheck.checkpoints" "partitions" $p "config" (dict "retention.ms" (int64 $t.checkpointsRetentionMs | toString) "max.message.bytes" "1048588" "message.timestamp.type" "LogAppendTime"))
  (dict "name" "realitycheck.training-states" "partitions" $p "config" (dict "retention.ms" (int64 $t.trainingStatesRetentionMs | toString) "max.message.bytes" "1048588"))
  (dict "name" "realitycheck.evaluations" "partitions" $p "config" (dict "retention.ms" (int64 $t.evaluationsRetentionMs | toString)))
  (dict "name" "realitycheck.evaluation-progress" "partitions" $p "config" (dict "retention.ms" (int64 $t.evaluationProgressRetentionMs | toString)))
  (dict "name" "realitycheck.evaluation-blocks" "partitions" $p "config" (dict "retention.ms" (int64 $t.evaluationBlocksRetentionMs | toString)))
  (dict "name" "realitycheck.evaluation-partials" "partitions" $p "config" (dict "retention.ms" (int64 $t.evaluationPartialsRetentionMs | toString)))
  (dict "name" "realitycheck.dead-letters" "partitions" $p "config" (dict "retention.ms" (int64 $t.deadLettersRetentionMs | toString)))
  (dict "name" "realitycheck.run-events" "partitions" $p "config" (dict "retention.ms" (int64 $t.runEventsRetentionMs | toString)))
  (dict "name" "realitycheck.experiments" "partitions" 1 "config" (dict "cleanup.policy" "compact"))
-}}
{{- range $topics }}
{{- $_ := set . "replicas" $r }}
{{- end }}
{{- toJson $topics -}}
{{- end -}}

{{/* The Secret with the services' TLS certificate and key: tls.secretName, else <fullname>-tls (cert-manager's or the chart's own). */}}
{{- define "realitycheck.tlsSecret" -}}
{{- if .Values.tls.secretName -}}
{{- .Values.tls.secretName -}}
{{- else if or .Values.tls.certManager.enabled .Values.tls.selfSigned.enabled -}}
{{- printf "%s-tls" (include "realitycheck.fullname" .) -}}
{{- else -}}
{{- fail "tls.enabled needs a certificate: tls.secretName (a kubernetes.io/tls Secret), tls.certManager.enabled with tls.certManager.issuerRef.name, or tls.selfSigned.enabled (or tls.enabled=false for plain text)" -}}
{{- end -}}
{{- end -}}

{{/* The DNS names of the services' certificate, a JSON list: each Service's short, namespaced and cluster-local name. */}}
{{- define "realitycheck.tlsDnsNames" -}}
{{- $root := . -}}
{{- $names := list -}}
{{- range $component := list "trainer" "embedding" "evaluation" -}}
{{- $name := include "realitycheck.componentName" (dict "root" $root "component" $component) -}}
{{- $names = concat $names (list $name (printf "%s.%s.svc" $name $root.Release.Namespace) (printf "%s.%s.svc.cluster.local" $name $root.Release.Namespace)) -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* Environment of a service's HTTP server: its bind address and, with tls.enabled, TLS only. Args: dict root, component. */}}
{{- define "realitycheck.httpEnv" -}}
- name: QUARKUS_HTTP_HOST
  value: {{ .root.Values.bindAddress | quote }}
{{- if .root.Values.tls.enabled }}
- name: QUARKUS_TLS_KEY_STORE_PEM_0_CERT
  value: /etc/realitycheck/tls/tls.crt
- name: QUARKUS_TLS_KEY_STORE_PEM_0_KEY
  value: /etc/realitycheck/tls/tls.key
- name: QUARKUS_HTTP_SSL_PORT
  value: {{ (index .root.Values .component).port | quote }}
- name: QUARKUS_HTTP_INSECURE_REQUESTS
  value: disabled
{{- end }}
{{- end -}}
