import type { NormalizedIdentity } from '../../../../shared/domain/identity';
import type { ImportNote } from '../../imports/preset-types';
import { isoDateOrNull } from '../../imports/readers/json-reader';

/**
 * Legacy long-lived service account tokens (`type: kubernetes.io/service-account-token` secrets), as
 * metadata only: the pull drops every secret's `data` before anything reads it. The ServiceAccount
 * export names a token secret only while the account's `secrets` field still lists it; the secrets
 * themselves also show tokens created by hand after Kubernetes 1.24 (which no account lists) and when
 * each token was made.
 */
export interface TokenSecret {
  namespace: string;
  name: string;
  /** The account the token authenticates as (annotation `kubernetes.io/service-account.name`). */
  serviceAccount: string | null;
  createdAt: string | null;
}

const SERVICE_ACCOUNT_ANNOTATION = 'kubernetes.io/service-account.name';

/** The token secrets of a `SecretList` page whose `data` was already removed. */
export function tokenSecretsOf(list: unknown): TokenSecret[] {
  const items = (list as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  const secrets: TokenSecret[] = [];
  for (const item of items) {
    const metadata = (item as { metadata?: Record<string, unknown> } | null)?.metadata;
    if (!metadata || typeof metadata.name !== 'string' || typeof metadata.namespace !== 'string') continue;
    const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
    const account = annotations[SERVICE_ACCOUNT_ANNOTATION];
    secrets.push({
      namespace: metadata.namespace,
      name: metadata.name,
      serviceAccount: typeof account === 'string' && account !== '' ? account : null,
      createdAt:
        typeof metadata.creationTimestamp === 'string' ? isoDateOrNull(metadata.creationTimestamp) : null,
    });
  }
  return secrets;
}

/**
 * Gives each account its token secrets: a secret the account already lists gets its real creation
 * time; one it does not list (made by hand) becomes a credential of its own. A secret the account
 * lists but the cluster no longer has is marked inactive. Changes `identities` in place.
 */
export function applyTokenSecrets(
  identities: NormalizedIdentity[],
  secrets: readonly TokenSecret[],
  file: string,
): ImportNote[] {
  const notes: ImportNote[] = [];
  const byAccount = new Map(identities.map((identity) => [identity.externalId, identity]));
  const present = new Set(secrets.map((s) => `${s.namespace}/${s.name}`));
  for (const secret of secrets) {
    if (secret.serviceAccount === null) continue;
    const key = `${secret.namespace}/${secret.serviceAccount}`;
    const identity = byAccount.get(key);
    if (!identity) {
      notes.push({
        file,
        row: 0,
        message: `Token secret ${secret.namespace}/${secret.name} belongs to ServiceAccount ${key}, which does not exist: delete the secret, or it authenticates again as whoever re-creates that account.`,
      });
      continue;
    }
    const listed = identity.credentials.find((c) => c.type === 'token' && c.externalId === secret.name);
    if (listed) {
      listed.createdAt = secret.createdAt ?? listed.createdAt;
      continue;
    }
    identity.credentials.push({
      externalId: secret.name,
      type: 'token',
      status: 'active',
      createdAt: secret.createdAt,
      lastRotatedAt: null,
      // Legacy token secrets never expire.
      expiresAt: null,
      lastUsedAt: null,
    });
    const names = identity.attributes.legacyTokenSecret;
    identity.attributes.legacyTokenSecret =
      typeof names === 'string' && names !== '' ? `${names},${secret.name}` : secret.name;
  }
  for (const identity of identities) {
    const namespace = identity.externalId.slice(0, identity.externalId.indexOf('/'));
    for (const credential of identity.credentials) {
      if (credential.type !== 'token' || credential.externalId === null) continue;
      if (present.has(`${namespace}/${credential.externalId}`)) continue;
      credential.status = 'inactive';
      notes.push({
        file,
        row: 0,
        message: `ServiceAccount ${identity.externalId} still lists token secret ${credential.externalId}, which the cluster no longer has: that token no longer works; the stale reference can be removed.`,
      });
    }
  }
  return notes;
}
