import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import {
  createKubernetesServiceAccountsPreset,
  kubernetesServiceAccountsPreset as preset,
} from '../../../electron/core/imports/presets/kubernetes-service-accounts';
import type { DocumentFile } from '../../../electron/core/imports/preset-types';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';

const folder = join(import.meta.dirname, '../../fixtures/kubernetes');

interface RawObject {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  secrets?: Array<{ name: string }>;
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
}
interface RawList {
  kind: string;
  items: RawObject[];
}

let accountsFile: DocumentFile;
let bindingsFile: DocumentFile;
let identities: NormalizedIdentity[];
const byKey = (key: string) => {
  const found = identities.find((i) => i.externalId === key);
  expect(found, key).toBeDefined();
  return found!;
};
const rawAccounts = () => (accountsFile.json as RawList).items;
const rawBindings = () => (bindingsFile.json as RawList).items;

beforeAll(async () => {
  accountsFile = await readJsonDocument(join(folder, 'serviceaccounts.json'));
  bindingsFile = await readJsonDocument(join(folder, 'clusterrolebindings.json'));
  identities = createKubernetesServiceAccountsPreset({ clusterName: 'nwl-prod-eks' }).map([
    accountsFile,
    bindingsFile,
  ]).identities;
});

function list(items: unknown[]): DocumentFile['json'] {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}

describe('kubernetes-service-accounts detection', () => {
  it('is confident with the service accounts, with or without bindings', () => {
    expect(preset.detect([accountsFile, bindingsFile])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([accountsFile])).toBeGreaterThanOrEqual(0.9);
  });

  it('is not confident with bindings alone or with a foreign file', async () => {
    const github = await readJsonDocument(
      join(import.meta.dirname, '../../fixtures/github/org_installations.json'),
    );
    expect(preset.detect([bindingsFile])).toBeLessThan(0.5);
    expect(preset.detect([github])).toBe(0);
    expect(preset.detect([accountsFile, github])).toBeLessThan(0.5);
  });
});

describe('kubernetes-service-accounts on the nwl-prod-eks export', () => {
  it('imports all 73 service accounts of 13 namespaces, keyed namespace/name', () => {
    expect(rawAccounts()).toHaveLength(73);
    expect(identities).toHaveLength(73);
    expect(new Set(identities.map((i) => i.attributes.namespace)).size).toBe(13);
    expect(identities.every((i) => i.kind === 'kubernetes-service-account')).toBe(true);
    const expectedKeys = rawAccounts().map((a) => `${a.metadata.namespace}/${a.metadata.name}`);
    expect(identities.map((i) => i.externalId)).toEqual(expectedKeys);
  });

  it('gives cluster-admin to exactly the accounts its bindings name', () => {
    const clusterAdmins = identities
      .filter((i) => i.entitlements.some((e) => e.name === 'cluster-admin'))
      .map((i) => i.externalId)
      .sort();
    expect(clusterAdmins).toEqual(['ci/ci-deployer', 'default/debug-shell', 'wms/wms-batch-legacy']);
    for (const key of clusterAdmins) {
      expect(byKey(key).entitlements).toContainEqual({
        name: 'cluster-admin',
        resource: 'cluster',
        privileged: true,
      });
    }
    expect(byKey('default/debug-shell').attributes.bindings).toBe(
      'ClusterRoleBinding/wms-batch-legacy-admin',
    );
  });

  it('treats ClusterRole admin bound cluster-wide (airflow-namespace-admin) as privileged, though not cluster-admin', () => {
    // A ClusterRoleBinding grants `admin` in every namespace: secrets, pods and role bindings everywhere.
    expect(byKey('data-pipeline/airflow-worker').entitlements).toEqual([
      { name: 'admin', resource: 'cluster', privileged: true },
    ]);
  });

  it('flags no other account as privileged', () => {
    const privileged = identities
      .filter((i) => i.entitlements.some((e) => e.privileged))
      .map((i) => i.externalId);
    expect(privileged.sort()).toEqual([
      'ci/ci-deployer',
      'data-pipeline/airflow-worker',
      'default/debug-shell',
      'wms/wms-batch-legacy',
    ]);
    expect(byKey('ci/gitlab-runner').entitlements).toEqual([
      { name: 'view', resource: 'cluster', privileged: false },
    ]);
  });

  it('notes the binding subjects that name no existing account, without creating or rejecting them', () => {
    const { rejects, notes, partial } = preset.map([accountsFile, bindingsFile]);
    // A dangling subject is not a member of the population: nothing was rejected and nothing is missing.
    expect(rejects).toEqual([]);
    expect(partial).toBe(false);
    expect(notes).toHaveLength(3);
    const bindingNames = rawBindings().map((b) => b.metadata.name);
    for (const [account, binding, privileged] of [
      ['kube-system/tiller', 'tiller-cluster-rule', true],
      ['kube-system/argocd-manager', 'argocd-manager-role-binding', true],
      ['kube-system/kube-dns', 'system:kube-dns', false],
    ] as const) {
      const note = notes!.find((n) => n.message.includes(`ServiceAccount ${account},`));
      expect(note, account).toBeDefined();
      expect(note!.file).toBe('clusterrolebindings.json');
      expect(note!.row).toBe(bindingNames.indexOf(binding) + 1);
      expect(note!.message).toContain(`ClusterRoleBinding ${binding} grants`);
      expect(note!.message.includes('(privileged)')).toBe(privileged);
      expect(identities.some((i) => i.externalId === account)).toBe(false);
    }
  });

  it('has nothing to say about the service accounts alone', () => {
    const result = preset.map([accountsFile]);
    expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
  });

  it('reads the system:node binding that has no subjects key', () => {
    const node = rawBindings().find((b) => b.metadata.name === 'system:node')!;
    expect('subjects' in node).toBe(false);
    expect(identities.some((i) => i.entitlements.some((e) => e.name === 'system:node'))).toBe(false);
  });

  it('takes owners from the owner annotation and leaves unannotated accounts without one', () => {
    const annotated = rawAccounts().filter((a) => a.metadata.annotations?.['northwind.example/owner']);
    expect(identities.filter((i) => i.owners.length > 0)).toHaveLength(annotated.length);
    expect(byKey('ci/ci-deployer').owners).toEqual([
      { ref: 'keiko.castillo@northwindlogistics.example', role: 'business' },
    ]);
    expect(byKey('default/debug-shell').owners).toEqual([]);
    expect(byKey('kube-system/coredns').owners).toEqual([]);
  });

  it('reads another owner annotation when told, and falls back to a plain owner annotation', () => {
    const items: RawObject[] = [];
    const base = structuredClone(rawAccounts().find((a) => a.metadata.name === 'wms-api')!);
    const custom = structuredClone(base);
    custom.metadata.name = 'custom';
    custom.metadata.annotations = { 'team.example/owner': 'ops-team@northwindlogistics.example' };
    const generic = structuredClone(base);
    generic.metadata.name = 'generic';
    generic.metadata.annotations = { owner: 'sam@northwindlogistics.example' };
    items.push(custom, generic);
    const result = createKubernetesServiceAccountsPreset({ ownerAnnotation: 'team.example/owner' }).map([
      { name: 'sa.json', json: list(items) },
    ]);
    expect(result.identities.map((i) => [i.externalId, i.owners.map((o) => o.ref)])).toEqual([
      ['wms/custom', ['ops-team@northwindlogistics.example']],
      ['wms/generic', ['sam@northwindlogistics.example']],
    ]);
  });

  it('looks only at the annotations an account has, whatever the annotation name given', () => {
    // No account has a "constructor" (or plain "owner") annotation; Object.prototype's must not count.
    const result = createKubernetesServiceAccountsPreset({ ownerAnnotation: 'constructor' }).map([
      accountsFile,
    ]);
    expect(result.identities).toHaveLength(73);
    expect(result.identities.every((i) => i.owners.length === 0)).toBe(true);
  });

  it('turns legacy token secrets into never-expiring token credentials', () => {
    const withTokens = rawAccounts().filter((a) => (a.secrets ?? []).some((s) => s.name.includes('-token-')));
    expect(identities.filter((i) => i.credentials.length > 0)).toHaveLength(withTokens.length);
    const debug = byKey('default/debug-shell');
    expect(debug.credentials).toEqual([
      {
        externalId: 'debug-shell-token-rrc49',
        type: 'token',
        status: 'active',
        createdAt: debug.createdAt,
        lastRotatedAt: null,
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
    expect(debug.attributes.legacyTokenSecret).toBe('debug-shell-token-rrc49');
    expect(byKey('ci/ci-deployer').credentials).toEqual([]);
  });

  it('keeps the IRSA role, the uid and the cluster as attributes', () => {
    expect(byKey('tms/tms-carrier-sync').attributes).toMatchObject({
      awsRoleArn: 'arn:aws:iam::731846209152:role/nwl-prod-eks-tms-carrier-sync',
      uid: '8b2aae9b-d785-4c9a-b624-010f0c1352b4',
      cluster: 'nwl-prod-eks',
      helmRelease: 'tms-carrier-sync',
    });
    expect(byKey('kube-system/coredns').attributes).toMatchObject({ systemAccount: true, awsRoleArn: null });
  });

  it('takes the environment from the cluster name, a parameter or namespace labels', () => {
    expect(identities.every((i) => i.environment === 'production')).toBe(true);
    expect(preset.map([accountsFile]).identities.every((i) => i.environment === null)).toBe(true);
    const staged = createKubernetesServiceAccountsPreset({
      clusterName: 'nwl-prod-eks',
      environment: 'staging',
    });
    expect(staged.map([accountsFile]).identities[0]!.environment).toBe('staging');
    const namespaces = list([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'wms', labels: { environment: 'qa' } } },
    ]);
    const labelled = preset.map([accountsFile, { name: 'ns.json', json: namespaces }]).identities;
    expect(labelled.find((i) => i.externalId === 'wms/wms-api')!.environment).toBe('qa');
    expect(labelled.find((i) => i.externalId === 'tms/tms-rate-engine')!.environment).toBeNull();
  });
});

describe('kubernetes-service-accounts with role bindings and roles', () => {
  const rbac = list([
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'everything', namespace: 'wms' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'secret-reader', namespace: 'wms' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'wms-api-everything', namespace: 'wms' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'everything' },
      subjects: [{ kind: 'ServiceAccount', name: 'wms-api' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'label-worker-secrets', namespace: 'wms' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' },
      subjects: [{ kind: 'User', name: 'system:serviceaccount:wms:wms-label-worker' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ci-everyone-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ci', apiGroup: 'rbac.authorization.k8s.io' }],
    },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'wms' } },
  ]);

  it('scopes role bindings to their namespace and judges roles by their rules', () => {
    const result = preset.map([accountsFile, { name: 'rbac.json', json: rbac }]);
    const find = (key: string) => result.identities.find((i) => i.externalId === key)!;
    expect(find('wms/wms-api').entitlements).toEqual([
      { name: 'everything', resource: 'wms', privileged: true },
    ]);
    expect(find('wms/wms-label-worker').entitlements).toEqual([
      { name: 'secret-reader', resource: 'wms', privileged: false },
    ]);
    expect(find('wms/wms-api').attributes.bindings).toBe('RoleBinding/wms/wms-api-everything');
  });

  it('spreads a privileged grant to the system:serviceaccounts group of a namespace', () => {
    const result = preset.map([accountsFile, { name: 'rbac.json', json: rbac }]);
    const ciAccounts = rawAccounts().filter((a) => a.metadata.namespace === 'ci');
    const holders = result.identities.filter((i) => i.entitlements.some((e) => e.name === 'cluster-admin'));
    expect(holders.map((i) => i.externalId).sort()).toEqual(
      ciAccounts.map((a) => `ci/${a.metadata.name}`).sort(),
    );
  });

  it('notes which objects it ignored and which files it could not read, rejecting nothing', async () => {
    const okta = await readJsonDocument(join(import.meta.dirname, '../../fixtures/okta/api_tokens.json'));
    const { rejects, notes, partial } = preset.map([accountsFile, { name: 'rbac.json', json: rbac }, okta]);
    expect(rejects).toEqual([]);
    expect(partial).toBe(false);
    expect(notes).toEqual([
      {
        file: 'rbac.json',
        row: 0,
        message: expect.stringContaining('does not read (1 Pod); they were ignored'),
      },
      {
        file: 'api_tokens.json',
        row: 0,
        message: expect.stringContaining('is not a Kubernetes export'),
      },
    ]);
  });

  it('rejects an unreadable ServiceAccount, but only notes an unreadable binding', () => {
    const accounts = structuredClone(rawAccounts()) as Array<Partial<RawObject>>;
    delete accounts[5]!.metadata;
    const bindings = structuredClone(rawBindings()) as Array<Partial<RawObject>>;
    delete bindings[0]!.roleRef;
    const result = preset.map([
      { name: 'sa.json', json: list(accounts) },
      { name: 'crb.json', json: list(bindings) },
    ]);
    expect(result.identities).toHaveLength(72);
    expect(result.rejects).toEqual([
      { file: 'sa.json', row: 6, reason: "ServiceAccount item 6 cannot be read: 'metadata' is missing." },
    ]);
    expect(result.notes).toContainEqual({
      file: 'crb.json',
      row: 1,
      message: expect.stringMatching(
        /^ClusterRoleBinding item 1 cannot be read: 'roleRef' is missing; it was ignored/,
      ),
    });
    expect(result.partial).toBe(false);
  });

  it('reads an API ServiceAccountList whose items carry no kind', () => {
    const items = structuredClone(rawAccounts()).map(({ kind: _kind, ...rest }) => rest);
    const result = preset.map([{ name: 'api.json', json: { kind: 'ServiceAccountList', items } }]);
    expect(result.identities).toHaveLength(73);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.partial).toBe(false);
  });
});

describe('kubernetes-service-accounts partial exports', () => {
  /** The fixture's accounts as API pages of `limit=40`: the first carries a continue token, the last none. */
  const apiPages = () => {
    const items = structuredClone(rawAccounts()).map(({ kind: _kind, ...rest }) => rest);
    return [
      {
        name: 'sa-page1.json',
        json: {
          kind: 'ServiceAccountList',
          metadata: {
            resourceVersion: '81234',
            continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6ODEyMzR9',
            remainingItemCount: 33,
          },
          items: items.slice(0, 40),
        },
      },
      {
        name: 'sa-page2.json',
        json: { kind: 'ServiceAccountList', metadata: { resourceVersion: '81234' }, items: items.slice(40) },
      },
    ];
  };

  it('takes the population as whole when the API pages end with one without a continue token', () => {
    const result = preset.map(apiPages());
    expect(result.identities).toHaveLength(73);
    expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
  });

  it('takes the population as partial when the last API page is dropped', () => {
    const [first] = apiPages();
    const result = preset.map([first!, bindingsFile]);
    expect(result.identities).toHaveLength(40);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toContainEqual({
      file: 'sa-page1.json',
      row: 0,
      message: expect.stringMatching(
        /ServiceAccount list is incomplete.*continue token.*population is partial/,
      ),
    });
  });

  it('takes the population as partial when the same API page is given twice', () => {
    const [first, last] = apiPages();
    const copy = { name: 'sa-page1 (1).json', json: first!.json };
    const result = preset.map([first!, copy, last!]);
    expect(result.identities).toHaveLength(73);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toContainEqual({
      file: copy.name,
      row: 0,
      message: expect.stringMatching(/same continue token.*population is partial/),
    });
    expect(result.notes!.filter((n) => /appears twice/.test(n.message))).toHaveLength(40);
  });

  it('takes the population as partial when the files hold bindings but no ServiceAccounts', () => {
    const result = preset.map([bindingsFile]);
    expect(result.identities).toEqual([]);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes![0]).toEqual({
      file: 'clusterrolebindings.json',
      row: 0,
      message: expect.stringMatching(/hold no ServiceAccounts.*population is partial/),
    });
    // Every ServiceAccount subject then names an account missing from the export: noted, never rejected.
    expect(
      result.notes!.slice(1).every((n) => /which is not in the ServiceAccount export/.test(n.message)),
    ).toBe(true);
  });

  it('takes the population as partial when a listed namespace has no account in the export', () => {
    const namespaces = list(
      ['wms', 'payments', 'old-app'].map((name) => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
        status: { phase: name === 'old-app' ? 'Terminating' : 'Active' },
      })),
    );
    const result = preset.map([accountsFile, { name: 'namespaces.json', json: namespaces }]);
    expect(result.identities).toHaveLength(73);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    // A namespace being deleted may have lost its accounts already: only payments is a gap.
    expect(result.notes).toEqual([
      {
        file: 'namespaces.json',
        row: 0,
        message: expect.stringMatching(/^Namespace payments is in the files.*population is partial/),
      },
    ]);
  });
});
