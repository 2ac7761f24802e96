import { z } from 'zod';
import type {
  ImportReject,
  NormalizedCredential,
  NormalizedIdentity,
  NormalizedOwner,
} from '../../../../shared/domain/identity';
import type { DocumentFile, DocumentPreset, ImportNote, PresetMapResult } from '../preset-types';
import {
  describeJsonShape,
  describeSchemaProblems,
  isJsonObject,
  isoDateOrNull,
} from '../readers/json-reader';
import { isPrivilegedOktaScope } from './privilege-rules';
import { identityCollector } from './identity-collector';

/**
 * An Okta org's machine access from the Management API: API tokens (`/api/v1/api-tokens`), OAuth
 * service apps (`/api/v1/apps?filter=name eq "oidc_client"`), API service integrations
 * (`/integrations/api/v1/api-services`), and the users the tokens and integrations point at
 * (`/api/v1/users`), which only serve to name owners. Each file is the bare array the API returns.
 *
 * Keys: Okta's own ids (`00T…` tokens, `0oa…` apps and integrations), unique within the org.
 */

const linkSchema = z.object({ href: z.string().nullish() }).nullish();

const tokenSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  userId: z.string().nullish(),
  clientName: z.string().nullish(),
  tokenWindow: z.string().nullish(),
  created: z.string().nullish(),
  expiresAt: z.string().nullish(),
  lastUpdated: z.string().nullish(),
  network: z.object({ connection: z.string().nullish() }).nullish(),
});
type Token = z.infer<typeof tokenSchema>;

const userSchema = z.object({
  id: z.string().min(1),
  status: z.string().nullish(),
  profile: z.object({ login: z.string().nullish(), email: z.string().nullish() }).nullish(),
});

const serviceAppSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  label: z.string().nullish(),
  status: z.string().nullish(),
  created: z.string().nullish(),
  lastUpdated: z.string().nullish(),
  credentials: z
    .object({
      oauthClient: z
        .object({ client_id: z.string().nullish(), token_endpoint_auth_method: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
  settings: z
    .object({
      notes: z.object({ admin: z.string().nullish() }).nullish(),
      oauthClient: z
        .object({ application_type: z.string().nullish(), grant_types: z.array(z.string()).nullish() })
        .nullish(),
    })
    .nullish(),
  _links: z.object({ self: linkSchema }).nullish(),
});
type ServiceApp = z.infer<typeof serviceAppSchema>;

const integrationSchema = z.object({
  id: z.string().min(1),
  type: z.string().nullish(),
  name: z.string().nullish(),
  createdAt: z.string().nullish(),
  createdBy: z.string().nullish(),
  grantedScopes: z.array(z.string()).nullish(),
  _links: z.object({ client: linkSchema, self: linkSchema }).nullish(),
});
type Integration = z.infer<typeof integrationSchema>;

type OktaFileRole = 'tokens' | 'users' | 'service-apps' | 'integrations' | 'empty-list';

function classify(file: DocumentFile): OktaFileRole | null {
  if (!Array.isArray(file.json)) return null;
  if (file.json.length === 0) return 'empty-list';
  const first: unknown = file.json[0];
  if (!isJsonObject(first)) return null;
  if ('tokenWindow' in first || ('clientName' in first && 'userId' in first)) return 'tokens';
  if ('grantedScopes' in first) return 'integrations';
  if (first.name === 'oidc_client' || (isJsonObject(first.settings) && 'oauthClient' in first.settings)) {
    return 'service-apps';
  }
  if (isJsonObject(first.profile) && 'login' in first.profile) return 'users';
  return null;
}

const DESCRIPTIONS: Record<Exclude<OktaFileRole, 'empty-list'>, string> = {
  tokens: 'an Okta API token list',
  users: 'an Okta user list',
  'service-apps': 'an Okta OAuth app list',
  integrations: 'an Okta API service integration list',
};

export function describeOktaFile(file: DocumentFile): string | null {
  const role = classify(file);
  return role && role !== 'empty-list' ? DESCRIPTIONS[role] : null;
}

export const oktaOrgPreset: DocumentPreset = {
  id: 'okta',
  label: 'Okta (API tokens, service apps, API service integrations)',
  sourceKind: 'okta',
  shape: 'documents',
  detect(files) {
    const roles = files.map(classify);
    const primary = roles.some((r) => r === 'tokens' || r === 'service-apps' || r === 'integrations');
    if (!primary) return roles.includes('users') ? 0.3 : 0;
    return roles.includes(null) ? 0.4 : 0.95;
  },
  map: mapOktaExport,
};

const WHOLE_FILE = 0;

interface OktaUser {
  email: string | null;
  login: string | null;
  status: string | null;
}

/** The lists whose items are the population; the users list only names owners. */
const POPULATION_ROLES: readonly OktaFileRole[] = ['tokens', 'service-apps', 'integrations'];

/**
 * Rejects are tokens, apps and integrations that could not become an identity (each one missing from
 * the population). Stray files, unreadable users, duplicates, apps people sign in to and user ids the
 * users list does not hold are notes.
 */
function mapOktaExport(files: readonly DocumentFile[]): PresetMapResult {
  const rejects: ImportReject[] = [];
  const notes: ImportNote[] = [];
  let partial = false;
  const byRole = new Map<OktaFileRole, DocumentFile[]>();
  for (const file of files) {
    const role = classify(file);
    if (role === null) {
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} is not an Okta token, app, integration or user list (it is ${describeJsonShape(file.json)}); it was not imported.`,
      });
    } else byRole.set(role, [...(byRole.get(role) ?? []), file]);
  }
  // An empty array may be one of those lists, empty: only files that can be none of them prove a gap.
  if (files.length > 0 && ![...POPULATION_ROLES, 'empty-list' as const].some((role) => byRole.has(role))) {
    partial = true;
    notes.push({
      file: files[0]!.name,
      row: WHOLE_FILE,
      message:
        'The files hold no Okta API token, OAuth app or API service integration list, so nothing was imported and this population is partial. Import /api/v1/api-tokens, /api/v1/apps and /integrations/api/v1/api-services.',
    });
  }

  const each = <T>(
    role: OktaFileRole,
    schema: z.ZodType<T>,
    what: string,
    use: (value: T, file: string, row: number) => void,
  ) => {
    for (const file of byRole.get(role) ?? []) {
      (file.json as unknown[]).forEach((item, index) => {
        const parsed = schema.safeParse(item);
        if (parsed.success) {
          use(parsed.data, file.name, index + 1);
          return;
        }
        const problem = `${what} item ${index + 1} cannot be read: ${describeSchemaProblems(parsed.error, item)}`;
        if (POPULATION_ROLES.includes(role))
          rejects.push({ file: file.name, row: index + 1, reason: `${problem}.` });
        else {
          // A user only names owners: without it, what it owns is shown by Okta id.
          notes.push({ file: file.name, row: index + 1, message: `${problem}; it was ignored.` });
        }
      });
    }
  };

  const users = new Map<string, OktaUser>();
  each('users', userSchema, 'User', (user) => {
    users.set(user.id, {
      email: user.profile?.email ?? user.profile?.login ?? null,
      login: user.profile?.login ?? null,
      status: user.status ?? null,
    });
  });

  const { identities, keep } = identityCollector(notes);
  const unresolved = new Map<string, Set<string>>();
  const ownerFor = (userId: string | null | undefined, role: NormalizedOwner['role'], file: string) => {
    if (!userId) return { owners: [] as NormalizedOwner[], user: null };
    const user = users.get(userId) ?? null;
    if (!user?.email) unresolved.set(file, (unresolved.get(file) ?? new Set()).add(userId));
    return { owners: [{ ref: user?.email ?? `okta:${userId}`, role }], user };
  };

  each('tokens', tokenSchema, 'API token', (token, file, row) => {
    // The token acts with its user's admin roles: that user is who answers for it.
    const { owners, user } = ownerFor(token.userId, 'business', file);
    keep(tokenIdentity(token, owners, user), file, row);
  });
  each('service-apps', serviceAppSchema, 'App', (app, file, row) => {
    const type = app.settings?.oauthClient?.application_type ?? null;
    const grants = app.settings?.oauthClient?.grant_types ?? [];
    if (type !== 'service' && !grants.includes('client_credentials')) {
      notes.push({
        file,
        row,
        message: `App ${app.label ?? app.id} is a ${type ?? 'sign-in'} app that people sign in to, not a machine identity; it was not imported.`,
      });
      return;
    }
    keep(serviceAppIdentity(app), file, row);
  });
  each('integrations', integrationSchema, 'Integration', (integration, file, row) => {
    // createdBy is who set it up, not necessarily who answers for it: a technical contact.
    const { owners, user } = ownerFor(integration.createdBy, 'technical', file);
    keep(integrationIdentity(integration, owners, user), file, row);
  });

  for (const [file, ids] of unresolved) {
    notes.push({
      file,
      row: WHOLE_FILE,
      message: `${ids.size} user id(s) (${[...ids].join(', ')}) are not in the users export, so their owners are shown by Okta id. Import the users list (/api/v1/users) together with this file to name them.`,
    });
  }
  return { identities, rejects, notes, partial };
}

const DURATION_UNITS: Record<string, number> = { W: 7 * 86_400_000, D: 86_400_000, H: 3_600_000, M: 60_000 };

/** The single-unit ISO-8601 durations Okta writes (`P30D`, `P2W`, `PT12H`, `PT30M`), in milliseconds. */
function durationMillis(duration: string | null | undefined): number | null {
  const match = duration ? /^P(T?)(\d+)([WDHM])$/.exec(duration) : null;
  if (!match) return null;
  const [, time, amount, unit] = match;
  // Hours and minutes belong after T, weeks and days before it; "P30M" would be thirty months.
  if ((time === 'T') !== (unit === 'H' || unit === 'M')) return null;
  return Number(amount) * DURATION_UNITS[unit!]!;
}

/**
 * `expiresAt` of an Okta API token is an idle deadline: every use pushes it to "now + tokenWindow", so
 * it is kept as the expiry Okta enforces, and the start of the current window is the last use Okta
 * counted. Age comes from `created`.
 */
function lastUseFromWindow(token: Token): string | null {
  const expires = isoDateOrNull(token.expiresAt);
  const window = durationMillis(token.tokenWindow);
  if (expires && window !== null) return new Date(Date.parse(expires) - window).toISOString();
  return isoDateOrNull(token.lastUpdated);
}

function tokenIdentity(token: Token, owners: NormalizedOwner[], user: OktaUser | null): NormalizedIdentity {
  const createdAt = isoDateOrNull(token.created);
  const lastUsedAt = lastUseFromWindow(token);
  const credential: NormalizedCredential = {
    externalId: token.id,
    type: 'token',
    status: 'active',
    createdAt,
    lastRotatedAt: null,
    expiresAt: isoDateOrNull(token.expiresAt),
    lastUsedAt,
  };
  return {
    externalId: token.id,
    kind: 'api-key',
    name: token.name || token.id,
    environment: null,
    status: 'active',
    description: null,
    createdAt,
    lastUsedAt,
    owners,
    credentials: [credential],
    // The token holds its user's admin roles; those are not in these files.
    entitlements: [],
    attributes: {
      userId: token.userId ?? null,
      userLogin: user?.login ?? null,
      userStatus: user?.status ?? null,
      clientName: token.clientName ?? null,
      tokenWindow: token.tokenWindow ?? null,
      networkConnection: token.network?.connection ?? null,
      lastUpdated: isoDateOrNull(token.lastUpdated),
      usageReported: lastUsedAt !== null,
      lastUsedSource: lastUsedAt !== null ? 'idle-window' : null,
    },
  };
}

/** Addresses in free text such as `Owner: someone@example.com`; nothing for "Owner: unknown". */
function emailsIn(text: string | null | undefined): string[] {
  if (!text) return [];
  const words = text.split(/[\s,;<>()]+/).map((w) => w.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''));
  return [...new Set(words.filter((w) => /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(w)))];
}

function serviceAppIdentity(app: ServiceApp): NormalizedIdentity {
  const active = app.status === 'ACTIVE';
  const method = app.credentials?.oauthClient?.token_endpoint_auth_method ?? null;
  const clientId = app.credentials?.oauthClient?.client_id ?? app.id;
  // The app list says how the client authenticates but not when its secret or key was made.
  const credentials: NormalizedCredential[] =
    method === 'client_secret_basic' || method === 'client_secret_post' || method === 'private_key_jwt'
      ? [
          {
            externalId: clientId,
            type: method === 'private_key_jwt' ? 'key' : 'client-secret',
            status: active ? 'active' : 'inactive',
            createdAt: null,
            lastRotatedAt: null,
            expiresAt: null,
            lastUsedAt: null,
          },
        ]
      : [];
  const notes = app.settings?.notes?.admin ?? null;
  return {
    externalId: app.id,
    kind: 'oauth-app',
    name: app.label || app.id,
    environment: null,
    status: active ? 'active' : app.status === 'INACTIVE' ? 'disabled' : 'unknown',
    description: notes,
    createdAt: isoDateOrNull(app.created),
    lastUsedAt: null,
    owners: emailsIn(notes).map((ref) => ({ ref, role: 'business' })),
    credentials,
    // Granted scopes live behind /apps/<id>/grants, which this export does not include.
    entitlements: [],
    attributes: {
      integrationType: 'service-app',
      clientId,
      tokenEndpointAuthMethod: method,
      grantTypes: (app.settings?.oauthClient?.grant_types ?? []).join(',') || null,
      lastUpdated: isoDateOrNull(app.lastUpdated),
      usageReported: false,
    },
  };
}

function oktaOrgOf(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    return new URL(href).host;
  } catch {
    return null;
  }
}

function integrationIdentity(
  integration: Integration,
  owners: NormalizedOwner[],
  creator: OktaUser | null,
): NormalizedIdentity {
  const org = oktaOrgOf(integration._links?.self?.href) ?? oktaOrgOf(integration._links?.client?.href);
  const clientHref = integration._links?.client?.href ?? null;
  return {
    externalId: integration.id,
    kind: 'oauth-app',
    name: integration.name || integration.id,
    environment: null,
    status: 'active',
    description: null,
    createdAt: isoDateOrNull(integration.createdAt),
    lastUsedAt: null,
    owners,
    // The integration's client secret is held by the vendor; Okta's list does not describe it.
    credentials: [],
    entitlements: (integration.grantedScopes ?? []).map((scope) => ({
      name: scope,
      resource: org,
      privileged: isPrivilegedOktaScope(scope),
    })),
    attributes: {
      integrationType: integration.type ?? null,
      clientId: clientHref ? (clientHref.split('/').pop() ?? null) : null,
      createdBy: integration.createdBy ?? null,
      createdByStatus: creator?.status ?? null,
      usageReported: false,
    },
  };
}
