{{/*
Authentication of the services' own port (gRPC and HTTP share it; its server TLS is tls.*, _helpers.tpl httpEnv): docs/security.md,
"Authentication and roles". Values: auth.*.
*/}}

{{/* Environment of a service: the security switch, the JWT key and issuer, client certificates (with tls.enabled). */}}
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
{{- if and .Values.tls.enabled (ne $a.tls.clientAuth "none") }}
- name: QUARKUS_HTTP_SSL_CLIENT_AUTH
  value: {{ $a.tls.clientAuth }}
- name: QUARKUS_TLS_TRUST_STORE_PEM_CERTS
  value: /etc/realitycheck/client-ca/{{ $a.tls.clientCaSecret.key }}
{{- with $a.tls.certificateRoles }}
- name: QUARKUS_HTTP_AUTH_CERTIFICATE_ROLE_PROPERTIES
  value: /deployments/config/certificate-roles.properties
{{- end }}
{{- end }}
{{- end -}}

{{/* Volume mounts of the JWT public key and the client CA. */}}
{{- define "realitycheck.authVolumeMounts" -}}
{{- $a := .Values.auth }}
{{- if $a.enabled }}
- name: jwt-key
  mountPath: /etc/realitycheck/jwt
  readOnly: true
{{- end }}
{{- if and .Values.tls.enabled (ne $a.tls.clientAuth "none") }}
- name: client-ca
  mountPath: /etc/realitycheck/client-ca
  readOnly: true
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
{{- if and .Values.tls.enabled (ne $a.tls.clientAuth "none") }}
- name: client-ca
  secret:
    secretName: {{ required "auth.tls.clientCaSecret.name is required with auth.tls.clientAuth" $a.tls.clientCaSecret.name }}
{{- end }}
{{- end -}}
