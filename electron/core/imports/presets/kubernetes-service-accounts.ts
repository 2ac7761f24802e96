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
import {
  environmentFromName,
  isPrivilegedKubernetesGrant,
  type KubernetesPolicyRule,
} from './privilege-rules';

/**
 * Kubernetes service accounts from `kubectl get serviceaccounts -A -o json`, with whatever RBAC the
 * import also holds: `clusterrolebindings`, `rolebindings`, `clusterroles`, `roles`, `namespaces`
 * (kubectl `List` wrappers, API `…List` objects, or single objects; several kinds may share one file).
 *
 * Key: `namespace/name`. RBAC subjects, pods and every tool name an account that way, and it survives
 * the account being re-created by a Helm re-install or a cluster rebuild (which changes the `uid`, kept
 * as an attribute). The cluster itself is the source, so it is not part of the key.
 */
export const DEFAULT_OWNER_ANNOTATION = 'northwind.example/owner';
/** Tried after the configured annotation: the generic spellings teams use. */
const FALLBACK_OWNER_ANNOTATIONS = ['owner'];

export interface KubernetesPresetOptions {
  /** The annotation that names an account's owner; `northwind.example/owner` unless given. */
  ownerAnnotation?: string;
  /** The cluster's name (e.g. `nwl-prod-eks`): kept as an attribute and read for the environment. */
  clusterName?: string;
  /** States the environment outright, overriding what names and labels say. */
  environment?: string;
}

const metadataSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().nullish(),
  uid: z.string().nullish(),
  creationTimestamp: z.string().nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
});

const serviceAccountSchema = z.object({
  metadata: metadataSchema.extend({ namespace: z.string().min(1) }),
  secrets: z.array(z.object({ name: z.string().nullish() })).nullish(),
  automountServiceAccountToken: z.boolean().nullish(),
});
type ServiceAccount = z.infer<typeof serviceAccountSchema>;

const subjectSchema = z.object({ kind: z.string(), name: z.string(), namespace: z.string().nullish() });
const bindingSchema = z.object({
  metadata: metadataSchema,
  roleRef: z.object({ kind: z.string(), name: z.string() }),
  // The bootstrap `system:node` binding has no subjects at all.
  subjects: z.array(subjectSchema).nullish(),
});
type Binding = z.infer<typeof bindingSchema>;

const roleSchema = z.object({
  metadata: metadataSchema,
  rules: z
    .array(
      z.object({
        verbs: z.array(z.string()).nullish(),
        resources: z.array(z.string()).nullish(),
        apiGroups: z.array(z.string()).nullish(),
        nonResourceURLs: z.array(z.string()).nullish(),
      }),
    )
    .nullish(),
});

const namespaceSchema = z.object({
  metadata: metadataSchema,
  status: z.object({ phase: z.string().nullish() }).nullish(),
});

const KNOWN_KINDS = [
  'ServiceAccount',
  'ClusterRoleBinding',
  'RoleBinding',
  'ClusterRole',
  'Role',
  'Namespace',
] as const;
type KnownKind = (typeof KNOWN_KINDS)[number];

interface KubernetesItem {
  kind: KnownKind;
  json: unknown;
  file: string;
  row: number;
}

interface ReadFile {
  items: KubernetesItem[];
  /** Kinds present that this preset does not read (Pods, Secrets, …), with counts. */
  ignored: Map<string, number>;
  /** `metadata.continue` of an API list fetched with `limit`: set when more pages follow; null otherwise. */
  continueToken: string | null;
}

/** Items of a kubectl or API document; null when the file is not Kubernetes JSON at all. */
function readKubernetesFile(file: DocumentFile): ReadFile | null {
  const json = file.json;
  if (!isJsonObject(json) || typeof json.kind !== 'string') return null;
  const items: KubernetesItem[] = [];
  const ignored = new Map<string, number>();
  const add = (kind: unknown, item: unknown, row: number) => {
    if (typeof kind === 'string' && (KNOWN_KINDS as readonly string[]).includes(kind)) {
      items.push({ kind: kind as KnownKind, json: item, file: file.name, row });
    } else {
      const label = typeof kind === 'string' ? kind : 'unknown kind';
      ignored.set(label, (ignored.get(label) ?? 0) + 1);
    }
  };
  if (json.kind.endsWith('List') && Array.isArray(json.items)) {
    // API lists (`ServiceAccountList`) omit `kind` on their items; kubectl's `List` keeps it.
    const listOf = json.kind === 'List' ? null : json.kind.slice(0, -'List'.length);
    json.items.forEach((item, index) => {
      add(isJsonObject(item) && typeof item.kind === 'string' ? item.kind : listOf, item, index + 1);
    });
  } else if (isJsonObject(json.metadata)) {
    add(json.kind, json, 1);
    return { items, ignored, continueToken: null };
  } else return null;
  const listMetadata = json.metadata;
  const token = isJsonObject(listMetadata) ? listMetadata.continue : undefined;
  return { items, ignored, continueToken: typeof token === 'string' && token !== '' ? token : null };
}

function isRecognised(read: ReadFile | null): read is ReadFile {
  return read !== null && (read.items.length > 0 || read.ignored.size === 0);
}

export function describeKubernetesFile(file: DocumentFile): string | null {
  const read = readKubernetesFile(file);
  if (!isRecognised(read)) return null;
  const counts = new Map<string, number>();
  for (const item of read.items) counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
  const parts = [...counts.entries()].map(([kind, count]) => `${count} ${kind}`);
  return `a Kubernetes list (${parts.join(', ') || 'empty'})`;
}

export function createKubernetesServiceAccountsPreset(options: KubernetesPresetOptions = {}): DocumentPreset {
  return {
    id: 'kubernetes-service-accounts',
    label: 'Kubernetes service accounts (kubectl)',
    sourceKind: 'kubernetes',
    shape: 'documents',
    detect(files) {
      const reads = files.map(readKubernetesFile);
      const hasAccounts = reads.some((r) => r?.items.some((i) => i.kind === 'ServiceAccount'));
      if (!hasAccounts) return reads.some(isRecognised) ? 0.3 : 0;
      return reads.every(isRecognised) ? 0.95 : 0.4;
    },
    map(files) {
      return mapKubernetesExport(files, options);
    },
  };
}

export const kubernetesServiceAccountsPreset = createKubernetesServiceAccountsPreset();

const WHOLE_FILE = 0;

/**
 * Rejects are ServiceAccount items that could not become an identity (each one missing from the
 * population). Everything else worth reading is a note: stray files and kinds, unreadable RBAC objects,
 * duplicates, and binding subjects that name no account in the export.
 */
function mapKubernetesExport(
  files: readonly DocumentFile[],
  options: KubernetesPresetOptions,
): PresetMapResult {
  const rejects: ImportReject[] = [];
  const notes: ImportNote[] = [];
  const items: KubernetesItem[] = [];
  const accountPages: Array<{ file: string; continueToken: string | null }> = [];
  for (const file of files) {
    const read = readKubernetesFile(file);
    if (!isRecognised(read)) {
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} is not a Kubernetes export this preset reads (it is ${describeJsonShape(file.json)}); it was not imported.`,
      });
      continue;
    }
    items.push(...read.items);
    if (read.items.some((item) => item.kind === 'ServiceAccount')) {
      accountPages.push({ file: file.name, continueToken: read.continueToken });
    }
    if (read.ignored.size > 0) {
      const kinds = [...read.ignored.entries()].map(([kind, count]) => `${count} ${kind}`).join(', ');
      notes.push({
        file: file.name,
        row: WHOLE_FILE,
        message: `${file.name} also holds objects this preset does not read (${kinds}); they were ignored.`,
      });
    }
  }
  const chain = checkAccountPages(accountPages);
  notes.push(...chain.notes);
  let partial = chain.partial;

  const parse = <T>(schema: z.ZodType<T>, item: KubernetesItem): T | null => {
    const parsed = schema.safeParse(item.json);
    if (parsed.success) return parsed.data;
    const problem = `${item.kind} item ${item.row} cannot be read: ${describeSchemaProblems(parsed.error, item.json)}`;
    if (item.kind === 'ServiceAccount')
      rejects.push({ file: item.file, row: item.row, reason: `${problem}.` });
    else {
      notes.push({
        file: item.file,
        row: item.row,
        message: `${problem}; it was ignored, so what it grants or describes is missing from the review.`,
      });
    }
    return null;
  };

  const accounts = new Map<string, ServiceAccount>();
  const bindings: Array<{ binding: Binding; clusterWide: boolean; item: KubernetesItem }> = [];
  const rulesByRole = new Map<string, readonly KubernetesPolicyRule[]>();
  const namespaceLabels = new Map<string, Record<string, string>>();
  const namespaceFiles = new Map<string, string>();
  for (const item of items) {
    if (item.kind === 'ServiceAccount') {
      const account = parse(serviceAccountSchema, item);
      if (!account) continue;
      const key = `${account.metadata.namespace}/${account.metadata.name}`;
      if (accounts.has(key)) {
        notes.push({
          file: item.file,
          row: item.row,
          message: `ServiceAccount ${key} appears twice; the first copy was kept.`,
        });
      } else accounts.set(key, account);
    } else if (item.kind === 'ClusterRoleBinding' || item.kind === 'RoleBinding') {
      const binding = parse(bindingSchema, item);
      if (binding) bindings.push({ binding, clusterWide: item.kind === 'ClusterRoleBinding', item });
    } else if (item.kind === 'ClusterRole' || item.kind === 'Role') {
      const role = parse(roleSchema, item);
      if (role)
        rulesByRole.set(roleKey(item.kind, role.metadata.namespace, role.metadata.name), role.rules ?? []);
    } else {
      const namespace = parse(namespaceSchema, item);
      if (namespace) {
        namespaceLabels.set(namespace.metadata.name, namespace.metadata.labels ?? {});
        // A namespace being deleted may already have lost its accounts.
        if (namespace.status?.phase !== 'Terminating') namespaceFiles.set(namespace.metadata.name, item.file);
      }
    }
  }
  if (accountPages.length === 0 && files.length > 0) {
    // Every namespace has at least its `default` account: a cluster without any is not what was exported.
    partial = true;
    notes.push({
      file: files[0]!.name,
      row: WHOLE_FILE,
      message:
        'The files hold no ServiceAccounts, so there is nothing to review and this population is partial. Add `kubectl get serviceaccounts -A -o json`.',
    });
  } else if (accounts.size > 0) {
    const missing = namespacesWithoutAccounts(namespaceFiles.keys(), accounts.keys());
    if (missing.length > 0) {
      const one = missing.length === 1;
      partial = true;
      notes.push({
        file: namespaceFiles.get(missing[0]!)!,
        row: WHOLE_FILE,
        message: `${one ? 'Namespace' : 'Namespaces'} ${missing.join(', ')} ${one ? 'is' : 'are'} in the files, but the ServiceAccount export holds no account of ${one ? 'it' : 'them'} although every namespace has at least \`default\`: the export left ${one ? 'it' : 'them'} out, so this population is partial. Export with \`kubectl get serviceaccounts -A -o json\`.`,
      });
    }
  }

  const grants = new Map<string, GrantSet>();
  for (const key of accounts.keys()) grants.set(key, { entitlements: [], bindingNames: [] });
  for (const { binding, clusterWide, item } of bindings) {
    const bindingNamespace = binding.metadata.namespace ?? null;
    const bindingRef = clusterWide
      ? `ClusterRoleBinding/${binding.metadata.name}`
      : `RoleBinding/${bindingNamespace}/${binding.metadata.name}`;
    const bindingLabel = bindingRef.replace('/', ' ');
    const roleRef = binding.roleRef;
    const rules = rulesByRole.get(roleKey(roleRef.kind, bindingNamespace, roleRef.name));
    const entitlement: NormalizedEntitlement = {
      name: roleRef.name,
      resource: clusterWide ? 'cluster' : bindingNamespace,
      privileged: isPrivilegedKubernetesGrant({ roleName: roleRef.name, clusterWide, rules }),
    };
    for (const subject of binding.subjects ?? []) {
      const targets = accountsNamedBy(subject, bindingNamespace, accounts, entitlement.privileged);
      if (targets.dangling) {
        notes.push({
          file: item.file,
          row: item.row,
          message:
            `${bindingLabel} grants ${roleRef.kind} ${roleRef.name}${entitlement.privileged ? ' (privileged)' : ''} to ServiceAccount ${targets.dangling}, ` +
            'which is not in the ServiceAccount export: whoever creates that account gets the role. Remove the subject or the binding if it is not needed.',
        });
      }
      for (const key of targets.accounts) addGrant(grants.get(key)!, entitlement, bindingRef);
    }
  }

  const identities = [...accounts.entries()].map(([key, account]) =>
    toIdentity(key, account, grants.get(key)!, options, namespaceLabels),
  );
  return { identities, rejects, notes, partial };
}

/**
 * An API list fetched with `limit` carries `metadata.continue` while more items follow, and the last
 * page has none (kubectl follows the chain itself, so its output never has one). As with Graph, only the
 * end of the chain can be checked: no closing page, or the same continue token twice, makes it partial.
 */
function checkAccountPages(pages: ReadonlyArray<{ file: string; continueToken: string | null }>): {
  notes: ImportNote[];
  partial: boolean;
} {
  const notes: ImportNote[] = [];
  if (pages.length === 0 || pages.every((p) => p.continueToken === null)) return { notes, partial: false };
  let partial = false;
  if (!pages.some((p) => p.continueToken === null)) {
    partial = true;
    notes.push({
      file: pages[pages.length - 1]!.file,
      row: WHOLE_FILE,
      message: `The ServiceAccount list is incomplete: every page given (${pages.map((p) => p.file).join(', ')}) has a metadata.continue token, so at least the last page is missing. Fetch with the continue token until a page has none (or use kubectl, which does) and import all pages together; until then this population is partial.`,
    });
  }
  const byToken = new Map<string, string>();
  for (const page of pages) {
    if (page.continueToken === null) continue;
    const earlier = byToken.get(page.continueToken);
    if (earlier) {
      partial = true;
      notes.push({
        file: page.file,
        row: WHOLE_FILE,
        message: `${page.file} and ${earlier} carry the same continue token: the same page was probably given twice, so the page chain cannot be checked and this population is partial. Import each page once.`,
      });
    } else byToken.set(page.continueToken, page.file);
  }
  return { notes, partial };
}

/** Namespaces the files list (Namespace objects) in which the export holds no ServiceAccount at all. */
function namespacesWithoutAccounts(namespaces: Iterable<string>, accountKeys: Iterable<string>): string[] {
  const withAccounts = new Set([...accountKeys].map((key) => key.slice(0, key.indexOf('/'))));
  return [...namespaces].filter((ns) => !withAccounts.has(ns)).sort();
}

function roleKey(kind: string, namespace: string | null | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole/${name}` : `Role/${namespace ?? ''}/${name}`;
}

interface GrantSet {
  entitlements: NormalizedEntitlement[];
  bindingNames: string[];
}

function addGrant(set: GrantSet, entitlement: NormalizedEntitlement, bindingName: string): void {
  const same = set.entitlements.find(
    (e) => e.name === entitlement.name && e.resource === entitlement.resource,
  );
  if (same) same.privileged ||= entitlement.privileged;
  else set.entitlements.push({ ...entitlement });
  if (!set.bindingNames.includes(bindingName)) set.bindingNames.push(bindingName);
}

/**
 * The accounts a binding subject names: a ServiceAccount subject directly, a User
 * `system:serviceaccount:<ns>:<name>` likewise, and the `system:serviceaccounts[:<ns>]` groups every
 * account (of a namespace). Group grants are only spread when privileged: a benign default every
 * account shares (service account issuer discovery) is not something to review per account.
 */
function accountsNamedBy(
  subject: z.infer<typeof subjectSchema>,
  bindingNamespace: string | null,
  accounts: ReadonlyMap<string, ServiceAccount>,
  privileged: boolean,
): { accounts: string[]; dangling: string | null } {
  let key: string | null = null;
  if (subject.kind === 'ServiceAccount')
    key = `${subject.namespace ?? bindingNamespace ?? ''}/${subject.name}`;
  const asUser =
    subject.kind === 'User' ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(subject.name) : null;
  if (asUser) key = `${asUser[1]}/${asUser[2]}`;
  if (key !== null)
    return accounts.has(key) ? { accounts: [key], dangling: null } : { accounts: [], dangling: key };
  const allAccounts = subject.kind === 'Group' && subject.name === 'system:serviceaccounts';
  const namespacePrefix = 'system:serviceaccounts:';
  const ofNamespace = subject.kind === 'Group' && subject.name.startsWith(namespacePrefix);
  if (!(allAccounts || ofNamespace) || !privileged) return { accounts: [], dangling: null };
  const namespace = ofNamespace ? subject.name.slice(namespacePrefix.length) : undefined;
  const members = [...accounts.keys()].filter(
    (k) => namespace === undefined || k.startsWith(`${namespace}/`),
  );
  return { accounts: members, dangling: null };
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

function toIdentity(
  key: string,
  account: ServiceAccount,
  grants: GrantSet,
  options: KubernetesPresetOptions,
  namespaceLabels: ReadonlyMap<string, Record<string, string>>,
): NormalizedIdentity {
  const { metadata } = account;
  const annotations = metadata.annotations ?? {};
  const labels = metadata.labels ?? {};
  const createdAt = isoDateOrNull(metadata.creationTimestamp);
  const tokenSecrets = (account.secrets ?? [])
    .map((s) => s.name ?? '')
    .filter((name) => /-token-[a-z0-9]{5}$/.test(name));
  // Legacy token secrets (before Kubernetes 1.24) never expire. The token controller creates one with its
  // account, so the account's creation time is the oldest the token can be.
  const credentials: NormalizedCredential[] = tokenSecrets.map((name) => ({
    externalId: name,
    type: 'token',
    status: 'active',
    createdAt,
    lastRotatedAt: null,
    expiresAt: null,
    lastUsedAt: null,
  }));
  const nsLabels = namespaceLabels.get(metadata.namespace) ?? {};
  return {
    externalId: key,
    kind: 'kubernetes-service-account',
    name: key,
    environment:
      options.environment ??
      environmentFromName(options.clusterName) ??
      nsLabels.environment ??
      nsLabels.env ??
      null,
    status: 'active',
    description: annotations['kubernetes.io/description'] ?? annotations.description ?? null,
    createdAt,
    lastUsedAt: null,
    owners: ownersFrom(annotations, options.ownerAnnotation ?? DEFAULT_OWNER_ANNOTATION),
    credentials,
    entitlements: grants.entitlements,
    attributes: {
      namespace: metadata.namespace,
      uid: metadata.uid ?? null,
      cluster: options.clusterName ?? null,
      usageReported: false,
      systemAccount: SYSTEM_NAMESPACES.has(metadata.namespace),
      defaultAccount: metadata.name === 'default',
      automountServiceAccountToken: account.automountServiceAccountToken ?? null,
      legacyTokenSecret: tokenSecrets.join(',') || null,
      bindings: grants.bindingNames.join(',') || null,
      // Cloud identities the account can assume: what it reaches outside the cluster.
      awsRoleArn: annotations['eks.amazonaws.com/role-arn'] ?? null,
      gcpServiceAccount: annotations['iam.gke.io/gcp-service-account'] ?? null,
      azureClientId: annotations['azure.workload.identity/client-id'] ?? null,
      helmRelease: annotations['meta.helm.sh/release-name'] ?? null,
      managedBy: labels['app.kubernetes.io/managed-by'] ?? null,
    },
  };
}

function ownersFrom(annotations: Record<string, string>, ownerAnnotation: string): NormalizedOwner[] {
  for (const name of [ownerAnnotation, ...FALLBACK_OWNER_ANNOTATIONS]) {
    // Own keys only: a parameter such as "constructor" must not find Object.prototype's.
    const value = Object.hasOwn(annotations, name) ? annotations[name]?.trim() : undefined;
    if (!value) continue;
    const refs = [...new Set(value.split(/[,;\s]+/).filter((ref) => ref !== ''))];
    return refs.map((ref) => ({ ref, role: 'business' }));
  }
  return [];
}
