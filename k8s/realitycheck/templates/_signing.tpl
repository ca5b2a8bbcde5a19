{{/*
Ed25519 signatures of checkpoints and evaluation results (docs/security.md, "Signed records"). Values:
signing.*. Signers (trainer, evaluation) mount only their own private key; verifiers (evaluation,
embedding) mount the trusted public keys as their trusted-keys directory.
*/}}

{{/* True ("true") when a component signs what it publishes. Args: dict root, component. */}}
{{- define "realitycheck.signs" -}}
{{- if and .root.Values.signing.sign (has .component (list "trainer" "evaluation")) -}}true{{- end -}}
{{- end -}}

{{/* True ("true") when a component verifies what it reads. Args: dict root, component. */}}
{{- define "realitycheck.verifies" -}}
{{- if and .root.Values.signing.verify (has .component (list "evaluation" "embedding")) -}}true{{- end -}}
{{- end -}}

{{/* Lines of a component's application.properties (realitycheck.<component>.signing.*). Args: dict root, component. */}}
{{- define "realitycheck.signingProperties" -}}
{{- $prefix := printf "realitycheck.%s.signing" .component -}}
{{- if include "realitycheck.signs" . }}
{{ $prefix }}.private-key=/etc/realitycheck/signing/private/private.key
{{ $prefix }}.key-id={{ index .root.Values.signing.keyIds .component }}
{{- end }}
{{- if has .component (list "evaluation" "embedding") }}
{{ $prefix }}.verify={{ .root.Values.signing.verify }}
{{- end }}
{{- if include "realitycheck.verifies" . }}
{{ $prefix }}.trusted-keys=/etc/realitycheck/signing/trusted
{{- end }}
{{- end -}}

{{/* Volume mounts of the keys. Args: dict root, component. */}}
{{- define "realitycheck.signingVolumeMounts" -}}
{{- if include "realitycheck.signs" . }}
- name: signing-key
  mountPath: /etc/realitycheck/signing/private
  readOnly: true
{{- end }}
{{- if include "realitycheck.verifies" . }}
- name: signing-trusted
  mountPath: /etc/realitycheck/signing/trusted
  readOnly: true
{{- end }}
{{- end -}}

{{/* Volumes of the keys: the component's own private key only, all trusted public keys. Args: dict root, component. */}}
{{- define "realitycheck.signingVolumes" -}}
{{- $s := .root.Values.signing -}}
{{- $fullname := include "realitycheck.fullname" .root -}}
{{- if include "realitycheck.signs" . }}
- name: signing-key
  secret:
    secretName: {{ $s.privateKeysSecret.name | default (printf "%s-signing" $fullname) }}
    # 0440: owner root, group the pod's fsGroup
    defaultMode: 288
    items:
      - key: {{ .component }}.key
        path: private.key
{{- end }}
{{- if include "realitycheck.verifies" . }}
- name: signing-trusted
  secret:
    secretName: {{ $s.trustedKeysSecret.name | default (printf "%s-signing-trusted" $fullname) }}
{{- end }}
{{- end -}}
