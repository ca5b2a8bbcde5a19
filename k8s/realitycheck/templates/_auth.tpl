{{/*
Authentication and TLS of the services' own port (gRPC and HTTP share it): docs/security.md,
"Authentication and roles". Values: auth.*.
*/}}

{{/* Environment of a service: the security switch, the JWT key and issuer, the TLS key store and client certificates. */}}
{{- define "realitycheck.authEnv" -}}
{{- $a := .Values.auth }}
- name: REALITYCHECK_SECURITY_ENABLED
  value: {{ $a.enabled | quote }}
{{- if $a.enabled }}
- name: MP_JWT_VERIFY_PUBLICKEY_LOCATION
  value: /etc/realitycheck/jwt/{{ $a.jwt.publicKeySecret.key }}
- name: MP_JWT_VERIFY_ISSUER
  value: {{ $a.jwt.issuer | quote }}
{{- end }}
{{- if $a.tls.enabled }}
- name: QUARKUS_TLS_KEY_STORE_PEM_0_CERT
  value: /etc/realitycheck/tls/tls.crt
- name: QUARKUS_TLS_KEY_STORE_PEM_0_KEY
  value: /etc/realitycheck/tls/tls.key
- name: QUARKUS_HTTP_INSECURE_REQUESTS
  value: disabled
{{- if ne $a.tls.clientAuth "none" }}
- name: QUARKUS_HTTP_SSL_CLIENT_AUTH
  value: {{ $a.tls.clientAuth }}
- name: QUARKUS_TLS_TRUST_STORE_PEM_CERTS
  value: /etc/realitycheck/client-ca/{{ $a.tls.clientCaSecret.key }}
{{- with $a.tls.certificateRoles }}
- name: QUARKUS_HTTP_AUTH_CERTIFICATE_ROLE_PROPERTIES
  value: /deployments/config/certificate-roles.properties
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Scheme of the HTTP probes. */}}
{{- define "realitycheck.probeScheme" -}}
{{- if .Values.auth.tls.enabled }}HTTPS{{ else }}HTTP{{ end }}
{{- end -}}

{{/* Volume mounts of the JWT public key, the TLS key pair and the client CA. */}}
{{- define "realitycheck.authVolumeMounts" -}}
{{- $a := .Values.auth }}
{{- if $a.enabled }}
- name: jwt-key
  mountPath: /etc/realitycheck/jwt
  readOnly: true
{{- end }}
{{- if $a.tls.enabled }}
- name: tls
  mountPath: /etc/realitycheck/tls
  readOnly: true
{{- if ne $a.tls.clientAuth "none" }}
- name: client-ca
  mountPath: /etc/realitycheck/client-ca
  readOnly: true
{{- end }}
{{- end }}
{{- end -}}

{{/* Volumes from the Secrets the values name. */}}
{{- define "realitycheck.authVolumes" -}}
{{- $a := .Values.auth }}
{{- if $a.enabled }}
- name: jwt-key
  secret:
    secretName: {{ $a.jwt.publicKeySecret.name | default (printf "%s-jwt" (include "realitycheck.fullname" .)) }}
    items:
      - key: {{ $a.jwt.publicKeySecret.key }}
        path: {{ $a.jwt.publicKeySecret.key }}
{{- end }}
{{- if $a.tls.enabled }}
- name: tls
  secret:
    secretName: {{ required "auth.tls.secretName is required when auth.tls.enabled" $a.tls.secretName }}
{{- if ne $a.tls.clientAuth "none" }}
- name: client-ca
  secret:
    secretName: {{ required "auth.tls.clientCaSecret.name is required with auth.tls.clientAuth" $a.tls.clientCaSecret.name }}
{{- end }}
{{- end }}
{{- end -}}
