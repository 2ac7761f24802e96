import { z } from 'zod';
import type {
  ImportReject,
  NormalizedEntitlement,
  NormalizedIdentity,
} from '../../../../shared/domain/identity';
import type { ImportNote } from '../../imports/preset-types';
import { identityCollector } from '../../imports/presets/identity-collector';
import { describeSchemaProblems, isoDateOrNull } from '../../imports/readers/json-reader';

/**
 * Fine-grained personal access tokens granted access to an organisation
 * (`GET /orgs/{org}/personal-access-tokens`). The file export has no equivalent, so these identities
 * exist only in a pull. One grant is one token's access to this organisation: the grant id is what
 * an owner revokes (`POST /orgs/{org}/personal-access-tokens/{pat_id}`), so it is the key.
 */
const grantSchema = z.object({
  id: z.union([z.number(), z.string()]),
  owner: z.object({ login: z.string().min(1), type: z.string().nullish() }),
  repository_selection: z.string().nullish(),
  permissions: z
    .object({
      organization: z.record(z.string(), z.string()).nullish(),
      repository: z.record(z.string(), z.string()).nullish(),
      other: z.record(z.string(), z.string()).nullish(),
    })
    .nullish(),
  access_granted_at: z.string().nullish(),
  token_id: z.union([z.number(), z.string()]).nullish(),
  token_name: z.string().nullish(),
  token_expired: z.boolean().nullish(),
  token_expires_at: z.string().nullish(),
  token_last_used_at: z.string().nullish(),
});
type Grant = z.infer<typeof grantSchema>;

export interface PatGrantMapResult {
  identities: NormalizedIdentity[];
  rejects: ImportReject[];
  notes: ImportNote[];
}

/** `file` names the request the grants came from, for rejects and notes. */
export function mapPatGrants(grants: readonly unknown[], org: string, file: string): PatGrantMapResult {
  const rejects: ImportReject[] = [];
  const notes: ImportNote[] = [];
  const { identities, keep } = identityCollector(notes);
  grants.forEach((item, index) => {
    const parsed = grantSchema.safeParse(item);
    if (parsed.success) keep(grantIdentity(parsed.data, org), file, index + 1);
    else {
      rejects.push({
        file,
        row: index + 1,
        reason: `Fine-grained token grant item ${index + 1} cannot be read: ${describeSchemaProblems(parsed.error, item)}.`,
      });
    }
  });
  return { identities, rejects, notes };
}

function grantIdentity(grant: Grant, org: string): NormalizedIdentity {
  const login = grant.owner.login;
  const selection = grant.repository_selection ?? null;
  const repositories =
    selection === 'all'
      ? 'all repositories'
      : selection === 'none'
        ? 'no repositories'
        : 'selected repositories';
  const entitlements: NormalizedEntitlement[] = [];
  const add = (permissions: Record<string, string> | null | undefined, resource: string): void => {
    for (const [permission, level] of Object.entries(permissions ?? {})) {
      // A token that can write can change code, settings or members in the owner's name.
      entitlements.push({
        name: `${permission}:${level}`,
        resource,
        privileged: level === 'write' || level === 'admin',
      });
    }
  };
  add(grant.permissions?.organization, `${org} (organization)`);
  add(grant.permissions?.repository, `${org} (${repositories})`);
  add(grant.permissions?.other, org);
  const expired = grant.token_expired === true;
  const expiresAt = isoDateOrNull(grant.token_expires_at);
  const lastUsedAt = isoDateOrNull(grant.token_last_used_at);
  const tokenId = grant.token_id === undefined || grant.token_id === null ? null : String(grant.token_id);
  return {
    externalId: `pat-grant:${grant.id}`,
    kind: 'api-key',
    name: `${login}: ${grant.token_name || `fine-grained token ${tokenId ?? grant.id}`}`,
    environment: null,
    status: expired ? 'disabled' : 'active',
    description: null,
    // When the token got into this organisation; GitHub does not say when the token itself was made.
    createdAt: isoDateOrNull(grant.access_granted_at),
    lastUsedAt,
    // A GitHub login, as for deploy keys: the prefix keeps it from being mistaken for a roster address.
    owners: [{ ref: `github:${login}`, role: 'technical' }],
    credentials: [
      {
        externalId: tokenId,
        type: 'token',
        status: expired ? 'expired' : 'active',
        createdAt: null,
        lastRotatedAt: null,
        expiresAt,
        lastUsedAt,
      },
    ],
    entitlements,
    attributes: {
      organization: org,
      tokenId,
      tokenName: grant.token_name ?? null,
      tokenOwner: login,
      repositorySelection: selection,
      neverExpires: expiresAt === null,
      accessGrantedAt: isoDateOrNull(grant.access_granted_at),
      usageReported: true,
    },
  };
}
