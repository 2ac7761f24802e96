import { createHash } from 'node:crypto';
import { z } from 'zod';
import type {
  ImportReject,
  NormalizedEntitlement,
  NormalizedIdentity,
} from '../../../../shared/domain/identity';
import type { DocumentFile, DocumentPreset, ImportNote, PresetMapResult } from '../preset-types';
import {
  describeJsonShape,
  describeSchemaProblems,
  isJsonObject,
  isoDateOrNull,
} from '../readers/json-reader';
import { isPrivilegedGitHubPermission } from './privilege-rules';
import { identityCollector } from './identity-collector';

/**
 * A GitHub organisation's machine access: its App installations
 * (`GET /orgs/<org>/installations`, `{"total_count", "installations": [...]}`) and its repositories'
 * deploy keys (`GET /repos/<org>/<repo>/keys`, a bare array per repository, the file named after the
 * repository). Either or both may be given.
 *
 * Keys: `installation:<id>` for installations (the id GitHub uses in every installation URL) and
 * `<repo>:<key id>` for deploy keys (key ids are unique, the repository makes them readable).
 */

const installationSchema = z.object({
  id: z.union([z.number(), z.string()]),
  app_id: z.union([z.number(), z.string()]).nullish(),
  app_slug: z.string().nullish(),
  client_id: z.string().nullish(),
  account: z.object({ login: z.string().nullish(), type: z.string().nullish() }).nullish(),
  repository_selection: z.string().nullish(),
  permissions: z.record(z.string(), z.string()).nullish(),
  events: z.array(z.string()).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  target_type: z.string().nullish(),
  suspended_by: z.object({ login: z.string().nullish() }).nullish(),
  suspended_at: z.string().nullish(),
});
type Installation = z.infer<typeof installationSchema>;

const deployKeySchema = z.object({
  id: z.union([z.number(), z.string()]),
  key: z.string().nullish(),
  url: z.string().nullish(),
  title: z.string().nullish(),
  verified: z.boolean().nullish(),
  created_at: z.string().nullish(),
  read_only: z.boolean().nullish(),
  added_by: z.string().nullish(),
  last_used: z.string().nullish(),
  enabled: z.boolean().nullish(),
});
type DeployKey = z.infer<typeof deployKeySchema>;

type GitHubFileRole = 'installations' | 'deploy-keys' | 'empty-list';

function classify(file: DocumentFile): GitHubFileRole | null {
  const json = file.json;
  if (isJsonObject(json) && Array.isArray(json.installations) && typeof json.total_count === 'number') {
    return 'installations';
  }
  if (!Array.isArray(json)) return null;
  // An empty array is what GitHub returns for a repository without deploy keys; on its own it proves nothing.
  if (json.length === 0) return 'empty-list';
  const first: unknown = json[0];
  return isJsonObject(first) && 'key' in first && 'read_only' in first ? 'deploy-keys' : null;
}

export function describeGitHubFile(file: DocumentFile): string | null {
  const role = classify(file);
  if (role === 'installations') return 'a GitHub organisation installations list';
  if (role === 'deploy-keys') return `GitHub deploy keys of repository ${repositoryFromFileName(file.name)}`;
  return null;
}

export const githubOrgPreset: DocumentPreset = {
  id: 'github-org',
  label: 'GitHub organisation (App installations, deploy keys)',
  sourceKind: 'github',
  shape: 'documents',
  detect(files) {
    const roles = files.map(classify);
    if (!roles.includes('installations') && !roles.includes('deploy-keys'))
      return roles.includes('empty-list') ? 0.2 : 0;
    return roles.includes(null) ? 0.4 : 0.95;
  },
  map: mapGitHubExport,
};

const WHOLE_FILE = 0;

/**
 * Rejects are installations and deploy keys that could not become an identity (each one missing from the
 * population); stray files, duplicates and a list shorter than its total are notes.
 */
function mapGitHubExport(files: readonly DocumentFile[]): PresetMapResult {
  const rejects: ImportReject[] = [];
  const notes: ImportNote[] = [];
  let partial = false;
  const { identities, keep } = identityCollector(notes);

  let declaredInstallations: number | null = null;
  // Each installation once (a page given twice must not make a short list look whole), plus unreadable items.
  const listedInstallations = new Set<string>();
  let unreadableInstallations = 0;
  let installationFile = '';
  let recognised = false;
  for (const file of files) {
    const role = classify(file);
    if (role === null) {
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} is not a GitHub installations list or deploy key list (it is ${describeJsonShape(file.json)}); it was not imported.`,
      });
      continue;
    }
    recognised = true;
    if (role === 'installations') {
      const json = file.json as { total_count: number; installations: unknown[] };
      declaredInstallations = Math.max(declaredInstallations ?? 0, json.total_count);
      installationFile = file.name;
      json.installations.forEach((item, index) => {
        const parsed = installationSchema.safeParse(item);
        if (parsed.success) {
          listedInstallations.add(String(parsed.data.id));
          keep(installationIdentity(parsed.data), file.name, index + 1);
        } else {
          unreadableInstallations++;
          rejects.push(unreadable(file.name, index + 1, 'Installation', parsed.error, item));
        }
      });
    } else if (role === 'deploy-keys') {
      (file.json as unknown[]).forEach((item, index) => {
        const parsed = deployKeySchema.safeParse(item);
        if (parsed.success) keep(deployKeyIdentity(parsed.data, file.name), file.name, index + 1);
        else rejects.push(unreadable(file.name, index + 1, 'Deploy key', parsed.error, item));
      });
    }
  }
  const listed = listedInstallations.size + unreadableInstallations;
  if (declaredInstallations !== null && listed < declaredInstallations) {
    partial = true;
    notes.push({
      file: installationFile,
      row: WHOLE_FILE,
      message: `The installations list holds ${listed} of the ${declaredInstallations} installations GitHub counted (total_count): fetch the remaining pages and import them together; until then this population is partial.`,
    });
  }
  if (!recognised && files.length > 0) {
    partial = true;
    notes.push({
      file: files[0]!.name,
      row: WHOLE_FILE,
      message:
        'The files hold no GitHub installations list or deploy key list, so nothing was imported and this population is partial. Import GET /orgs/<org>/installations and the deploy keys of each repository.',
    });
  }
  return { identities, rejects, notes, partial };
}

function unreadable(file: string, row: number, what: string, error: z.ZodError, item: unknown): ImportReject {
  return { file, row, reason: `${what} item ${row} cannot be read: ${describeSchemaProblems(error, item)}.` };
}

function installationIdentity(installation: Installation): NormalizedIdentity {
  const org = installation.account?.login ?? null;
  const selection = installation.repository_selection ?? null;
  const scope = `${org ?? 'organisation'} (${selection === 'all' ? 'all repositories' : 'selected repositories'})`;
  const entitlements: NormalizedEntitlement[] = Object.entries(installation.permissions ?? {}).map(
    ([permission, level]) => ({
      name: `${permission}:${level}`,
      resource: scope,
      privileged: isPrivilegedGitHubPermission(permission, level, selection),
    }),
  );
  const suspended = Boolean(installation.suspended_at || installation.suspended_by);
  return {
    externalId: `installation:${installation.id}`,
    kind: 'github-app',
    name: installation.app_slug || `installation ${installation.id}`,
    environment: null,
    status: suspended ? 'disabled' : 'active',
    description: null,
    createdAt: isoDateOrNull(installation.created_at),
    // Installations report no use; `updated_at` is a settings change, not activity.
    lastUsedAt: null,
    owners: [],
    // Installation tokens are minted per use and live an hour; the app's private keys are not in this export.
    credentials: [],
    entitlements,
    attributes: {
      appId:
        installation.app_id === undefined || installation.app_id === null
          ? null
          : String(installation.app_id),
      appSlug: installation.app_slug ?? null,
      clientId: installation.client_id ?? null,
      account: org,
      targetType: installation.target_type ?? null,
      repositorySelection: selection,
      events: (installation.events ?? []).join(',') || null,
      updatedAt: isoDateOrNull(installation.updated_at),
      suspendedBy: installation.suspended_by?.login ?? null,
      suspendedAt: isoDateOrNull(installation.suspended_at),
      usageReported: false,
    },
  };
}

const KEY_URL = /\/repos\/([^/]+)\/([^/]+)\/keys\/[^/]+$/;

function repositoryFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(/\.json$/i, '');
}

function deployKeyIdentity(key: DeployKey, fileName: string): NormalizedIdentity {
  // The key's own URL names its repository; the file name is the fallback when a tool dropped the URL.
  const fromUrl = key.url ? KEY_URL.exec(key.url) : null;
  const org = fromUrl?.[1] ?? null;
  const repository = fromUrl?.[2] ?? repositoryFromFileName(fileName);
  const writable = key.read_only === false;
  const createdAt = isoDateOrNull(key.created_at);
  // GitHub reports `last_used` for every key: null means never used, not unknown.
  const lastUsedAt = isoDateOrNull(key.last_used);
  const disabled = key.enabled === false;
  const keyType = key.key?.split(' ')[0] ?? null;
  return {
    externalId: `${repository}:${key.id}`,
    kind: 'deploy-key',
    name: `${repository}: ${key.title || `key ${key.id}`}`,
    environment: null,
    status: disabled ? 'disabled' : 'active',
    description: null,
    createdAt,
    lastUsedAt,
    // A GitHub login, not an e-mail: the prefix keeps it from being mistaken for a roster address.
    owners: key.added_by ? [{ ref: `github:${key.added_by}`, role: 'technical' }] : [],
    credentials: [
      {
        externalId: String(key.id),
        type: 'ssh-key',
        status: disabled ? 'inactive' : 'active',
        createdAt,
        lastRotatedAt: null,
        expiresAt: null,
        lastUsedAt,
      },
    ],
    entitlements: [
      {
        name: writable ? 'write' : 'read',
        resource: org ? `${org}/${repository}` : repository,
        // Pushing to a repository can change what its CI runs with the repository's secrets.
        privileged: writable,
      },
    ],
    attributes: {
      repository,
      organization: org,
      title: key.title ?? null,
      readOnly: !writable,
      writeAccess: writable,
      verified: key.verified ?? null,
      keyType,
      fingerprint: sshFingerprint(key.key),
      addedBy: key.added_by ?? null,
      usageReported: true,
    },
  };
}

/** OpenSSH's `SHA256:` fingerprint of a public key line, which is how admins find the key elsewhere. */
function sshFingerprint(publicKey: string | null | undefined): string | null {
  const blob = publicKey?.split(' ')[1];
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return null;
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
