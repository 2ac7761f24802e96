/**
 * The normalised model every import, preset and connector produces (DESIGN.md, "The data model").
 * Dates are ISO-8601 strings (UTC) or null. Never a secret value: credentials are metadata only.
 */
export const IDENTITY_KINDS = [
  'service-account',
  'iam-user',
  'iam-role',
  'app-registration',
  'service-principal',
  'managed-identity',
  'api-key',
  'kubernetes-service-account',
  'ssh-key',
  'deploy-key',
  'github-app',
  'oauth-app',
  'bot',
] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const IDENTITY_STATUSES = ['active', 'disabled', 'unknown'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

export const CREDENTIAL_TYPES = [
  'access-key',
  'password',
  'client-secret',
  'certificate',
  'token',
  'ssh-key',
  'key',
] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const CREDENTIAL_STATUSES = ['active', 'inactive', 'expired'] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export type OwnerRole = 'business' | 'technical';

export interface NormalizedOwner {
  /** As the source writes it: an email, a UPN or an AD distinguished name. Resolved against the roster later. */
  ref: string;
  role: OwnerRole;
}

export interface NormalizedCredential {
  /** The credential's own id in the source (access key id, key id, fingerprint); never the secret itself. */
  externalId: string | null;
  type: CredentialType;
  status: CredentialStatus;
  createdAt: string | null;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface NormalizedEntitlement {
  /** The role, policy, scope, permission or binding name. */
  name: string;
  /** What it applies to (a namespace, a repository, a subscription), when the source says. */
  resource: string | null;
  privileged: boolean;
}

export interface NormalizedIdentity {
  /** Stable id within its source: with the source it is the identity's key across snapshots. */
  externalId: string;
  kind: IdentityKind;
  name: string;
  /** production, staging, development, ... when the data says it; null otherwise. */
  environment: string | null;
  status: IdentityStatus;
  description: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  owners: NormalizedOwner[];
  credentials: NormalizedCredential[];
  entitlements: NormalizedEntitlement[];
  /** Source-specific facts worth keeping (e.g. `appOwnerOrganizationId`, `interactiveLogin`), flat and JSON-safe. */
  attributes: Record<string, string | number | boolean | null>;
}

/** A row or object that could not become an identity, with where it was and why, in words. */
export interface ImportReject {
  file: string;
  /** 1-based row number in the file as a spreadsheet shows it (header included); the item index for JSON. */
  row: number;
  reason: string;
}
