import type { CredentialStatus, CredentialType, IdentityKind } from '../../shared/domain/identity';

/** Kinds as a reviewer says them: short enough for a table column. */
export const KIND_LABELS: Record<IdentityKind, string> = {
  'service-account': 'Service account',
  'iam-user': 'IAM user',
  'iam-role': 'IAM role',
  'app-registration': 'App registration',
  'service-principal': 'Service principal',
  'managed-identity': 'Managed identity',
  'api-key': 'API key',
  'kubernetes-service-account': 'Kubernetes SA',
  'ssh-key': 'SSH key',
  'deploy-key': 'Deploy key',
  'github-app': 'GitHub app',
  'oauth-app': 'OAuth app',
  bot: 'Bot',
};

/** The long form, where there is room (the detail panel). */
export const KIND_LONG_LABELS: Record<IdentityKind, string> = {
  ...KIND_LABELS,
  'kubernetes-service-account': 'Kubernetes service account',
};

export const CREDENTIAL_TYPE_LABELS: Record<CredentialType, string> = {
  'access-key': 'Access key',
  password: 'Password',
  'client-secret': 'Client secret',
  certificate: 'Certificate',
  token: 'Token',
  'ssh-key': 'SSH key',
  key: 'Key',
};

export const CREDENTIAL_STATUS_LABELS: Record<CredentialStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
};

export type OwnerStatusFilter = 'active' | 'terminated' | 'not-in-roster' | 'none';

export const OWNER_STATUS_LABELS: Record<OwnerStatusFilter, string> = {
  active: 'Active',
  terminated: 'Terminated',
  'not-in-roster': 'Not in roster',
  none: 'No owner',
};
