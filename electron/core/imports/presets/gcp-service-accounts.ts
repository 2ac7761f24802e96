import { z } from 'zod';
import type {
  ImportReject,
  NormalizedCredential,
  NormalizedEntitlement,
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
import { environmentFromName, isPrivilegedGcpRole } from './privilege-rules';

/**
 * Google Cloud service accounts of one project: `gcloud iam service-accounts list --format=json`
 * (a bare array; the REST `{"accounts": [...]}` wrapper is read too), optionally one
 * `gcloud iam service-accounts keys list` file per account (`keys/<account>.json`) and the project's
 * `gcloud projects get-iam-policy --format=json` for roles.
 *
 * Key: `uniqueId`. An account deleted and re-created under the same e-mail is a new principal that
 * does not inherit the old one's grants (IAM shows the old one as `deleted:serviceAccount:…`), so it
 * must be a new identity; the e-mail is its name.
 */

const accountSchema = z.object({
  email: z.string().min(1),
  uniqueId: z.string().min(1),
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  projectId: z.string().nullish(),
  oauth2ClientId: z.string().nullish(),
  disabled: z.boolean().nullish(),
});
type Account = z.infer<typeof accountSchema>;

const keySchema = z.object({
  name: z.string().min(1),
  keyType: z.string().nullish(),
  keyOrigin: z.string().nullish(),
  keyAlgorithm: z.string().nullish(),
  validAfterTime: z.string().nullish(),
  validBeforeTime: z.string().nullish(),
  disabled: z.boolean().nullish(),
});
type Key = z.infer<typeof keySchema>;

const policySchema = z.object({
  bindings: z.array(
    z.object({
      role: z.string(),
      members: z.array(z.string()).nullish(),
      condition: z.object({ title: z.string().nullish() }).nullish(),
    }),
  ),
});

type GcpFileRole = 'accounts' | 'keys' | 'policy' | 'empty-list';

function itemsOf(json: unknown, wrapper: 'accounts' | 'keys'): unknown[] | null {
  if (Array.isArray(json)) return json;
  if (isJsonObject(json) && Array.isArray(json[wrapper])) return json[wrapper] as unknown[];
  return null;
}

function classify(file: DocumentFile): GcpFileRole | null {
  const json = file.json;
  if (isJsonObject(json) && Array.isArray(json.bindings) && ('etag' in json || 'version' in json))
    return 'policy';
  if (Array.isArray(json) && json.length === 0) return 'empty-list';
  const accounts = itemsOf(json, 'accounts');
  const firstAccount: unknown = accounts?.[0];
  if (
    isJsonObject(firstAccount) &&
    typeof firstAccount.email === 'string' &&
    firstAccount.email.endsWith('gserviceaccount.com') &&
    'uniqueId' in firstAccount
  ) {
    return 'accounts';
  }
  const keys = itemsOf(json, 'keys');
  const firstKey: unknown = keys?.[0];
  if (isJsonObject(firstKey) && ('keyAlgorithm' in firstKey || 'validAfterTime' in firstKey)) return 'keys';
  return null;
}

export function describeGcpFile(file: DocumentFile): string | null {
  const role = classify(file);
  if (role === 'accounts') return 'a gcloud service account list (Google Cloud)';
  if (role === 'keys') return 'a gcloud service account key list (Google Cloud)';
  if (role === 'policy') return 'a Google Cloud IAM policy';
  return null;
}

export const gcpServiceAccountsPreset: DocumentPreset = {
  id: 'gcp-service-accounts',
  label: 'Google Cloud service accounts (gcloud)',
  sourceKind: 'gcp',
  shape: 'documents',
  detect(files) {
    const roles = files.map(classify);
    if (!roles.includes('accounts')) return roles.includes('keys') ? 0.3 : roles.includes('policy') ? 0.2 : 0;
    return roles.includes(null) ? 0.4 : 0.95;
  },
  map: mapGcpExport,
};

const WHOLE_FILE = 0;

interface AccountState {
  account: Account;
  keysListed: boolean;
  userManaged: NormalizedCredential[];
  userProvidedKeyIds: string[];
  systemManagedKeys: number;
  entitlements: NormalizedEntitlement[];
}

/**
 * Rejects are service accounts that could not become an identity (each one missing from the
 * population); stray files, duplicates, orphan keys and grants to deleted accounts are notes.
 */
function mapGcpExport(files: readonly DocumentFile[]): PresetMapResult {
  const rejects: ImportReject[] = [];
  const notes: ImportNote[] = [];
  const byRole = new Map<GcpFileRole, DocumentFile[]>();
  for (const file of files) {
    const role = classify(file);
    if (role === null) {
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} is not a gcloud service account, key or IAM policy export (it is ${describeJsonShape(file.json)}); it was not imported.`,
      });
    } else byRole.set(role, [...(byRole.get(role) ?? []), file]);
  }
  const accountFiles = byRole.get('accounts') ?? [];
  const chain = checkAccountPages(accountFiles);
  notes.push(...chain.notes);
  let partial = chain.partial;
  if (accountFiles.length === 0 && files.length > 0) {
    partial = true;
    notes.push({
      file: files[0]!.name,
      row: WHOLE_FILE,
      message:
        'The files hold no service account list, so no account was imported and this population is partial. Add `gcloud iam service-accounts list --format=json`.',
    });
  }

  const states = new Map<string, AccountState>();
  for (const file of accountFiles) {
    itemsOf(file.json, 'accounts')!.forEach((item, index) => {
      const row = index + 1;
      const parsed = accountSchema.safeParse(item);
      if (!parsed.success) {
        rejects.push({
          file: file.name,
          row,
          reason: `Service account item ${row} cannot be read: ${describeSchemaProblems(parsed.error, item)}.`,
        });
        return;
      }
      const email = parsed.data.email.toLowerCase();
      if (states.has(email)) {
        notes.push({
          file: file.name,
          row,
          message: `Service account ${email} appears twice; the first copy was kept.`,
        });
        return;
      }
      states.set(email, {
        account: parsed.data,
        keysListed: false,
        userManaged: [],
        userProvidedKeyIds: [],
        systemManagedKeys: 0,
        entitlements: [],
      });
    });
  }

  for (const file of [...(byRole.get('keys') ?? []), ...(byRole.get('empty-list') ?? [])]) {
    readKeyFile(file, states, notes);
  }
  for (const file of byRole.get('policy') ?? []) readPolicy(file, states, notes);

  const identities = [...states.values()].map(toIdentity);
  return { identities, rejects, notes, partial };
}

function nextPageTokenOf(file: DocumentFile): string | null {
  const token = isJsonObject(file.json) ? file.json.nextPageToken : undefined;
  return typeof token === 'string' && token !== '' ? token : null;
}

/**
 * gcloud follows the pages itself (its bare array is the whole list), but a REST page
 * (`{"accounts": [...], "nextPageToken": "…"}`) is one page of several. As with Graph, only the end of
 * the chain can be checked: no closing page, or the same token twice, makes the population partial.
 */
function checkAccountPages(files: readonly DocumentFile[]): { notes: ImportNote[]; partial: boolean } {
  const notes: ImportNote[] = [];
  if (files.every((file) => nextPageTokenOf(file) === null)) return { notes, partial: false };
  let partial = false;
  if (!files.some((file) => nextPageTokenOf(file) === null)) {
    partial = true;
    notes.push({
      file: files[files.length - 1]!.name,
      row: WHOLE_FILE,
      message: `The service account list is incomplete: every page given (${files.map((f) => f.name).join(', ')}) has a nextPageToken, so at least the last page is missing. Fetch the pages until one has no nextPageToken (or use gcloud, which does) and import them together; until then this population is partial.`,
    });
  }
  const byToken = new Map<string, string>();
  for (const file of files) {
    const next = nextPageTokenOf(file);
    if (next === null) continue;
    const earlier = byToken.get(next);
    if (earlier) {
      partial = true;
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} and ${earlier} carry the same nextPageToken: the same page was probably given twice, so the page chain cannot be checked and this population is partial. Import each page once.`,
      });
    } else byToken.set(next, file.name);
  }
  return { notes, partial };
}

/** `…/serviceAccounts/<email>/keys/<id>`: the key's own name says whose it is and its id. */
const KEY_NAME = /\/serviceAccounts\/([^/]+)\/keys\/([^/]+)$/;

function accountForFileName(
  fileName: string,
  states: ReadonlyMap<string, AccountState>,
): AccountState | null {
  const base = (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.json$/i, '').toLowerCase();
  return (
    states.get(base) ??
    [...states.values()].find((s) => s.account.email.toLowerCase().split('@')[0] === base) ??
    null
  );
}

/** Keys only describe accounts: a key that cannot be read or placed is a note, not a missing account. */
function readKeyFile(file: DocumentFile, states: Map<string, AccountState>, notes: ImportNote[]): void {
  const items = itemsOf(file.json, 'keys') ?? [];
  const namedAccount = accountForFileName(file.name, states);
  if (items.length === 0) {
    if (namedAccount) namedAccount.keysListed = true;
    else {
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} is an empty key list, but no service account in the export is named after it; it was ignored.`,
      });
    }
    return;
  }
  items.forEach((item, index) => {
    const row = index + 1;
    const parsed = keySchema.safeParse(item);
    if (!parsed.success) {
      notes.push({
        file: file.name,
        row,
        message: `Key item ${row} cannot be read: ${describeSchemaProblems(parsed.error, item)}; it was ignored, so its account may have more keys than shown.`,
      });
      return;
    }
    const key = parsed.data;
    const match = KEY_NAME.exec(key.name);
    const keyId = match?.[2] ?? key.name;
    const state = match ? states.get(decodeURIComponent(match[1]!).toLowerCase()) : namedAccount;
    if (!state) {
      notes.push({
        file: file.name,
        row,
        message: `Key ${keyId} belongs to ${match?.[1] ?? 'an unnamed account'}, which is not in the service account list; it was ignored.`,
      });
      return;
    }
    state.keysListed = true;
    addKey(state, key, keyId);
  });
}

/**
 * Google-managed (`SYSTEM_MANAGED`) keys sign for Google's own services, rotate every couple of weeks
 * and can never be downloaded: not a review finding, so they are counted, not listed as credentials.
 * User-managed keys are the finding; a `9999-12-31` end is how "never expires" looks and is kept.
 */
function addKey(state: AccountState, key: Key, keyId: string): void {
  if (key.keyType === 'SYSTEM_MANAGED') {
    state.systemManagedKeys++;
    return;
  }
  if (state.userManaged.some((c) => c.externalId === keyId)) return;
  // USER_PROVIDED means the private key was generated outside Google and uploaded: its custody is unknown.
  if (key.keyOrigin === 'USER_PROVIDED') state.userProvidedKeyIds.push(keyId);
  state.userManaged.push({
    externalId: keyId,
    type: 'key',
    status: key.disabled ? 'inactive' : 'active',
    createdAt: isoDateOrNull(key.validAfterTime),
    lastRotatedAt: null,
    expiresAt: isoDateOrNull(key.validBeforeTime),
    // Key usage is not in these files (it lives in Policy Analyzer / activity logs).
    lastUsedAt: null,
  });
}

const SERVICE_ACCOUNT_MEMBER = 'serviceAccount:';
const DELETED_MEMBER = 'deleted:serviceAccount:';

/**
 * Project-level roles. A binding on `deleted:serviceAccount:…` still names an account that no longer
 * exists: reported, because re-creating the e-mail does not revive it but the binding is clutter that
 * hides real grants.
 */
function readPolicy(file: DocumentFile, states: Map<string, AccountState>, notes: ImportNote[]): void {
  const parsed = policySchema.safeParse(file.json);
  if (!parsed.success) {
    notes.push({
      file: file.name,
      row: WHOLE_FILE,
      message: `${file.name} cannot be read as an IAM policy: ${describeSchemaProblems(parsed.error, file.json)}; no role was taken from it.`,
    });
    return;
  }
  parsed.data.bindings.forEach((binding, index) => {
    const name = binding.condition?.title ? `${binding.role} (if ${binding.condition.title})` : binding.role;
    for (const member of binding.members ?? []) {
      if (member.startsWith(DELETED_MEMBER)) {
        notes.push({
          file: file.name,
          row: index + 1,
          message: `${binding.role} is still granted to deleted service account ${member.slice(DELETED_MEMBER.length).split('?')[0]}; remove the binding.`,
        });
        continue;
      }
      if (!member.startsWith(SERVICE_ACCOUNT_MEMBER)) continue;
      const state = states.get(member.slice(SERVICE_ACCOUNT_MEMBER.length).toLowerCase());
      if (!state) continue;
      const resource = state.account.projectId ? `projects/${state.account.projectId}` : null;
      if (!state.entitlements.some((e) => e.name === name && e.resource === resource)) {
        state.entitlements.push({ name, resource, privileged: isPrivilegedGcpRole(binding.role) });
      }
    }
  });
}

function defaultAccountKind(email: string): string | null {
  if (/-compute@developer\.gserviceaccount\.com$/i.test(email)) return 'compute-engine-default';
  if (/@appspot\.gserviceaccount\.com$/i.test(email)) return 'app-engine-default';
  return null;
}

/** `owner: someone@…` or `Owner: platform-eng.` in free text; the word after the colon is the owner. */
function ownersFromDescription(description: string | null | undefined): NormalizedOwner[] {
  const match = description ? /\bowner\s*[:=]\s*([^\s,;()]+)/i.exec(description) : null;
  const ref = match?.[1]?.replace(/[.]+$/, '');
  return ref ? [{ ref, role: 'business' }] : [];
}

function toIdentity(state: AccountState): NormalizedIdentity {
  const { account } = state;
  return {
    externalId: account.uniqueId,
    kind: 'service-account',
    name: account.email,
    environment: environmentFromName(account.projectId),
    status: account.disabled ? 'disabled' : 'active',
    description: account.description ?? null,
    // gcloud's list does not say when an account was created.
    createdAt: null,
    lastUsedAt: null,
    owners: ownersFromDescription(account.description),
    credentials: state.userManaged,
    entitlements: state.entitlements,
    attributes: {
      email: account.email,
      displayName: account.displayName ?? null,
      projectId: account.projectId ?? null,
      oauth2ClientId: account.oauth2ClientId ?? null,
      googleManagedDefault: defaultAccountKind(account.email),
      // Without its key file, "no credentials" only means "not listed".
      keysListed: state.keysListed,
      systemManagedKeys: state.systemManagedKeys,
      userProvidedKeyIds: state.userProvidedKeyIds.join(',') || null,
      usageReported: false,
    },
  };
}
