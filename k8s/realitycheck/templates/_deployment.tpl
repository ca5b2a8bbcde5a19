{{/*
A service Deployment. Args: dict root, component (trainer | embedding | evaluation).
Every service is one Quarkus fast-jar whose one HTTP port serves gRPC, /q/health and /q/metrics.
*/}}
{{- define "realitycheck.deployment" -}}
{{- $root := .root -}}
{{- $component := .component -}}
{{- $v := index $root.Values $component -}}
{{- $gpu := and (eq $component "trainer") $v.gpu.enabled -}}
{{- $datasets := include "realitycheck.datasetsVolumeSource" $root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "realitycheck.componentName" . }}
  labels:
    {{- include "realitycheck.componentLabels" . | nindent 4 }}
spec:
  {{- if not (and (eq $component "embedding") $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 3
  {{- with $v.updateStrategy }}
  strategy:
    type: {{ . }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "realitycheck.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "realitycheck.componentLabels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        {{- if $root.Values.metrics.podAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ $v.port | quote }}
        prometheus.io/path: /q/metrics
        {{- if $root.Values.tls.enabled }}
        prometheus.io/scheme: https
        {{- end }}
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "realitycheck.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- with $v.runtimeClassName }}
      runtimeClassName: {{ . }}
      {{- end }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      securityContext:
        {{- include "realitycheck.podSecurityContext" $root | nindent 8 }}
      {{- $nodeSelector := $v.nodeSelector }}
      {{- if $gpu }}
      {{- $nodeSelector = merge (deepCopy $v.gpu.nodeSelector) $v.nodeSelector }}
      {{- end }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- $tolerations := $v.tolerations }}
      {{- if $gpu }}
      {{- $tolerations = concat $v.tolerations $v.gpu.tolerations }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ $component }}
          image: {{ include "realitycheck.serviceImage" . }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: grpc
              containerPort: {{ $v.port }}
              protocol: TCP
          env:
            - name: JDK_JAVA_OPTIONS
              value: {{ $v.javaOptions | quote }}
            {{- with include "realitycheck.kafkaEnv" . | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- include "realitycheck.httpEnv" . | nindent 12 }}
            {{- include "realitycheck.authEnv" $root | trim | nindent 12 }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: grpc
              scheme: {{ ternary "HTTPS" "HTTP" $root.Values.tls.enabled }}
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: grpc
              scheme: {{ ternary "HTTPS" "HTTP" $root.Values.tls.enabled }}
            periodSeconds: 20
            timeoutSeconds: 5
            failureThreshold: 3
          startupProbe:
            httpGet:
              path: /q/health/started
              port: grpc
              scheme: {{ ternary "HTTPS" "HTTP" $root.Values.tls.enabled }}
            periodSeconds: 5
            failureThreshold: 60
          resources:
            {{- $resources := deepCopy $v.resources }}
            {{- if $gpu }}
            {{- $limits := default (dict) $resources.limits }}
            {{- $_ := set $limits $v.gpu.resourceName $v.gpu.count }}
            {{- $_ := set $resources "limits" $limits }}
            {{- end }}
            {{- toYaml $resources | nindent 12 }}
          securityContext:
            {{- include "realitycheck.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /deployments/config
              readOnly: true
            - name: tmp
              mountPath: /tmp
            - name: work
              mountPath: /work
            {{- if $datasets }}
            - name: datasets
              mountPath: {{ $root.Values.datasets.mountPath }}
              readOnly: true
            {{- end }}
            {{- with include "realitycheck.kafkaVolumeMounts" $root | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- if $root.Values.tls.enabled }}
            - name: tls
              mountPath: /etc/realitycheck/tls
              readOnly: true
            {{- end }}
            {{- with include "realitycheck.authVolumeMounts" $root | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with include "realitycheck.signingVolumeMounts" . | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with $v.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: config
          configMap:
            name: {{ include "realitycheck.componentName" . }}
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpSizeLimit }}
        - name: work
          {{- if and (eq $component "trainer") $v.workVolume }}
          {{- toYaml $v.workVolume | nindent 10 }}
          {{- else }}
          emptyDir:
            sizeLimit: {{ $v.workDirSizeLimit }}
          {{- end }}
        {{- with $datasets }}
        - name: datasets
          {{- . | nindent 10 }}
        {{- end }}
        {{- with include "realitycheck.kafkaVolumes" $root | trim }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- if $root.Values.tls.enabled }}
        - name: tls
          secret:
            secretName: {{ include "realitycheck.tlsSecret" $root }}
        {{- end }}
        {{- with include "realitycheck.authVolumes" $root | trim }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with include "realitycheck.signingVolumes" . | trim }}
        {{- . | nindent 8 }}
        {{- end }}
        {{- with $v.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end -}}

{{/* The Service in front of one component. Args: dict root, component, headless (bool). */}}
{{- define "realitycheck.service" -}}
{{- $v := index .root.Values .component -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "realitycheck.componentName" . }}{{ if .headless }}-headless{{ end }}
  labels:
    {{- include "realitycheck.componentLabels" . | nindent 4 }}
    {{- if not .headless }}
    realitycheck.dev/metrics: "true"
    {{- end }}
spec:
  {{- if .headless }}
  clusterIP: None
  publishNotReadyAddresses: false
  {{- else }}
  type: {{ dig "service" "type" "ClusterIP" $v }}
  {{- end }}
  selector:
    {{- include "realitycheck.selectorLabels" . | nindent 4 }}
  ports:
    - name: grpc
      port: {{ $v.port }}
      targetPort: grpc
      protocol: TCP
      appProtocol: {{ ternary "https" "kubernetes.io/h2c" .root.Values.tls.enabled }}
{{- end -}}
