{{/* The chart name, or nameOverride. */}}
{{- define "ase-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The name of the release's objects: fullnameOverride, else the release name when it already contains the chart name, else <release>-<chart>. */}}
{{- define "ase-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ase-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "ase-operator.labels" -}}
helm.sh/chart: {{ include "ase-operator.chart" . }}
{{ include "ase-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: ase-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the operator's pods; never change them (Deployment selectors are immutable). */}}
{{- define "ase-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ase-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ase-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ase-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ase-operator.leaseName" -}}
{{- default (printf "%s-leader" (include "ase-operator.fullname" .) | trunc 63 | trimSuffix "-") .Values.leaderElection.leaseName }}
{{- end }}

{{- define "ase-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The operator's permissions on the objects it reconciles, granted cluster-wide or in each watched
namespace. Derived from the code and checked by OperatorRbacTest:
- its custom resources: read through informers, status written with PATCH (UpdateControl.patchStatus);
- the children its dependents create, update (update + matcher, no server-side apply) and delete
  (a dependent whose reconcile precondition stops holding, e.g. the NSG's policies);
- Events on the custom resources;
- reading app pods (their states say why an app does not serve; never written).
*/}}
{{- define "ase-operator.rules" -}}
- apiGroups: ["appservice.dev"]
  resources: ["appserviceenvironments", "isolatedplans", "webapps"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["appservice.dev"]
  resources: ["appserviceenvironments/status", "isolatedplans/status", "webapps/status"]
  verbs: ["patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["configmaps", "services", "secrets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- if .Values.certManager.enabled }}
- apiGroups: ["cert-manager.io"]
  resources: ["certificates"]
  verbs: ["get", "create", "update", "delete"]
{{- end }}
{{- end }}

{{/*
The admission webhook's objects. The operator reads these names from its environment
(ASE_WEBHOOK_SERVICE, ASE_WEBHOOK_SECRET, ASE_WEBHOOK_CONFIGURATION), so they are defined once here.
*/}}
{{- define "ase-operator.webhookServiceName" -}}
{{- printf "%s-webhook" (include "ase-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ase-operator.webhookSecretName" -}}
{{- printf "%s-webhook-tls" (include "ase-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The ValidatingWebhookConfiguration (cluster-scoped). */}}
{{- define "ase-operator.webhookConfigurationName" -}}
{{- include "ase-operator.fullname" . }}
{{- end }}

{{/* Whether the operator manages the webhook's certificates itself (and needs RBAC for them). */}}
{{- define "ase-operator.webhookSelfManaged" -}}
{{- if and .Values.webhook.enabled (eq .Values.webhook.certificates.mode "self-managed") }}true{{ end }}
{{- end }}

{{- define "ase-operator.webhookCertManager" -}}
{{- if and .Values.webhook.enabled (eq .Values.webhook.certificates.mode "cert-manager") }}true{{ end }}
{{- end }}
