import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { connectorFor } from '../../../electron/core/connectors/connector-registry';
import type { ConnectorRunContext } from '../../../electron/core/connectors/connector-types';
import {
  createKubernetesConnector,
  kubernetesConnector,
} from '../../../electron/core/connectors/kubernetes/kubernetes-connector';
import { documentPresetFor } from '../../../electron/core/imports/presets/document-presets';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';
import {
  forbiddenList,
  kubeconfigFor,
  selfSignedCertificate,
  startKubernetesServer,
  status,
  TOKEN_IN_SECRET_DATA,
  tokenSecret,
  type KubernetesServer,
} from './support/kubernetes-server';

const TOKEN = 'k8s-SEEDED-bearer-token-4f9a1c7e2b8d0a6f3e5c9b1d7a2f4e8c';
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const TUNING = { pageSize: 20, retries: 2, retryBaseMs: 10, maxRetryAfterSeconds: 5 };
const connector = createKubernetesConnector(TUNING);
const SECRET_DATA_BASE64 = Buffer.from(TOKEN_IN_SECRET_DATA).toString('base64');

let server: KubernetesServer;
let kubeconfig: string;
const seenMessages: string[] = [];

beforeAll(async () => {
  server = await startKubernetesServer({ token: TOKEN });
  kubeconfig = kubeconfigFor(server, TOKEN);
});
afterEach(() => {
  server.intercept.length = 0;
  server.requests.length = 0;
  server.reset();
});
afterAll(async () => {
  await server.close();
  for (const message of seenMessages) {
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(TOKEN_IN_SECRET_DATA);
  }
  expect(seenMessages.length).toBeGreaterThan(10);
});

function runContext(signal: AbortSignal = new AbortController().signal): ConnectorRunContext & {
  progress: Array<{ message: string; items: number }>;
} {
  const progress: Array<{ message: string; items: number }> = [];
  return {
    signal,
    progress,
    onProgress(message, items) {
      seenMessages.push(message);
      progress.push({ message, items });
    },
  };
}

const options = (context?: string) => ({
  kubeconfigFile: '/home/auditor/.kube/config',
  ...(context ? { context } : {}),
});
const secrets = (token = TOKEN) => ({
  kubeconfig: token === TOKEN ? kubeconfig : kubeconfigFor(server, token),
});

async function pullError(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  seenMessages.push((error as AppError).message);
  return error as AppError;
}

/** What importing `kubectl get serviceaccounts,clusterrolebindings -o json` of the cluster gives. */
async function fixtureImportIdentities(): Promise<NormalizedIdentity[]> {
  const documents = await Promise.all(
    ['serviceaccounts.json', 'clusterrolebindings.json'].map((file) =>
      readJsonDocument(join(FIXTURES, 'kubernetes', file)),
    ),
  );
  return documentPresetFor('kubernetes-service-accounts', { clusterName: 'nwl-prod-eks' }).map(documents)
    .identities;
}

const byId = (list: NormalizedIdentity[]) =>
  [...list].sort((a, b) => a.externalId.localeCompare(b.externalId));

describe('Kubernetes connector: a full pull', () => {
  it('reads every page and gives the same identities as the import of the kubectl fixtures', async () => {
    const context = runContext();
    const result = await connector.pull(options(), secrets(), context);

    const fromImport = await fixtureImportIdentities();
    expect(fromImport).toHaveLength(73);
    expect(byId(result.identities)).toEqual(byId(fromImport));
    expect(result).toMatchObject({
      sourceKind: 'kubernetes',
      preset: 'kubernetes-service-accounts',
      endpoint: server.url,
      account: 'nwl-prod-eks',
      rejects: [],
      partial: false,
    });
    // The fixture's own notes (dangling binding subjects), and nothing about secrets.
    expect(result.notes.every((n) => !/secret/i.test(n.message))).toBe(true);
    expect(result.notes.map((n) => n.message).join('\n')).toMatch(/kube-system\/tiller/);

    // 73 accounts at 20 a page: four pages, each after the first asked for with the previous continue token.
    const accountPages = server.requests.filter((r) => r.path === '/api/v1/serviceaccounts');
    expect(accountPages.map((r) => r.query.get('limit'))).toEqual(['20', '20', '20', '20']);
    expect(accountPages[0]!.query.get('continue')).toBeNull();
    expect(accountPages.slice(1).every((r) => (r.query.get('continue') ?? '') !== '')).toBe(true);
    expect(server.requests.filter((r) => r.path.endsWith('/clusterrolebindings'))).toHaveLength(3);
    const secretLists = server.requests.filter((r) => r.path === '/api/v1/secrets');
    expect(
      secretLists.every((r) => r.query.get('fieldSelector') === 'type=kubernetes.io/service-account-token'),
    ).toBe(true);

    // Read-only, with the kubeconfig's bearer token.
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    // Responses as sent, named by request; the token secrets' data is never kept.
    expect(result.responses.map((r) => r.name)).toContain('GET /api/v1/serviceaccounts?limit=20 (page 4)');
    const secretResponses = result.responses.filter((r) => r.name.startsWith('GET /api/v1/secrets'));
    expect(secretResponses.length).toBeGreaterThan(0);
    expect(secretResponses[0]!.name).toMatch(/token data removed, SHA-256 as sent [0-9a-f]{64}\)$/);
    const everything = JSON.stringify({
      ...result,
      responses: result.responses.map((r) => ({ name: r.name, body: r.body.toString('utf8') })),
    });
    expect(everything).not.toContain(SECRET_DATA_BASE64);
    expect(everything).not.toContain(TOKEN_IN_SECRET_DATA);
    expect(everything).not.toContain(TOKEN);
    const secretPage = JSON.parse(secretResponses[0]!.body.toString('utf8')) as {
      items: Array<Record<string, unknown>>;
    };
    expect(secretPage.items[0]).not.toHaveProperty('data');
    expect(secretPage.items[0]).toHaveProperty('metadata.annotations');
    expect(secretPage.items.every((item) => item.type === 'kubernetes.io/service-account-token')).toBe(true);

    expect(
      context.progress.some((p) => /Reading service accounts of nwl-prod-eks: 40 so far/.test(p.message)),
    ).toBe(true);
    expect(context.progress.at(-1)).toEqual({
      message: 'Read 73 service accounts from nwl-prod-eks',
      items: 73,
    });
  });

  it('marks a binding to a wildcard role privileged and adds token secrets no account lists', async () => {
    server.objects.clusterroles.push({
      metadata: { name: 'platform-operator' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    server.objects.roles.push({
      metadata: { name: 'label-reader', namespace: 'wms' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    server.objects.rolebindings.push(
      {
        metadata: { name: 'carrier-sync-operator', namespace: 'tms' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'platform-operator' },
        subjects: [{ kind: 'ServiceAccount', name: 'tms-carrier-sync', namespace: 'tms' }],
      },
      {
        metadata: { name: 'label-reader', namespace: 'wms' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'label-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'wms-label-worker', namespace: 'wms' }],
      },
    );
    // A token made by hand after 1.24: no account lists it.
    server.objects.secrets.push(
      tokenSecret('ci', 'ci-deployer-static-token', 'ci-deployer', '2025-03-02T08:00:00Z'),
    );
    // The secret debug-shell still lists is gone from the cluster.
    server.objects.secrets = server.objects.secrets.filter(
      (s) => (s.metadata as { name: string }).name !== 'debug-shell-token-rrc49',
    );

    const result = await connector.pull(options(), secrets(), runContext());
    const find = (id: string) => result.identities.find((i) => i.externalId === id)!;
    expect(find('tms/tms-carrier-sync').entitlements).toContainEqual({
      name: 'platform-operator',
      resource: 'tms',
      privileged: true,
    });
    expect(find('wms/wms-label-worker').entitlements).toContainEqual({
      name: 'label-reader',
      resource: 'wms',
      privileged: false,
    });
    const ciDeployer = find('ci/ci-deployer');
    expect(ciDeployer.credentials).toEqual([
      {
        externalId: 'ci-deployer-static-token',
        type: 'token',
        status: 'active',
        createdAt: '2025-03-02T08:00:00.000Z',
        lastRotatedAt: null,
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
    expect(ciDeployer.attributes.legacyTokenSecret).toBe('ci-deployer-static-token');
    expect(find('default/debug-shell').credentials[0]).toMatchObject({
      externalId: 'debug-shell-token-rrc49',
      status: 'inactive',
    });
    expect(result.notes.map((n) => n.message)).toContain(
      'ServiceAccount default/debug-shell still lists token secret debug-shell-token-rrc49, which the cluster no longer has: that token no longer works; the stale reference can be removed.',
    );
    seenMessages.push(...result.notes.map((n) => n.message));
  });

  it('uses the context asked for, and refuses an unknown one listing the contexts', async () => {
    const staging = await connector.pull(options('nwl-staging'), secrets(), runContext());
    expect(staging.account).toBe('nwl-staging-eks');
    expect(staging.identities[0]!.attributes.cluster).toBe('nwl-staging-eks');

    const error = await pullError(connector.pull(options('nwl-dev'), secrets(), runContext()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      'The kubeconfig has no context "nwl-dev". Choose one of: nwl-prod, nwl-staging.',
    );
  });

  it('notes, without failing, that legacy token secrets need list secrets', async () => {
    server.intercept.push((r) => (r.path === '/api/v1/secrets' ? forbiddenList('secrets') : undefined));
    const result = await connector.pull(options(), secrets(), runContext());
    expect(result.identities).toHaveLength(73);
    expect(byId(result.identities)).toEqual(byId(await fixtureImportIdentities()));
    expect(result.notes).toContainEqual({
      file: 'GET /api/v1/secrets?fieldSelector=type=kubernetes.io/service-account-token',
      row: 0,
      message: expect.stringMatching(
        /^Legacy token secrets not listed: .*needs "list secrets at cluster scope"/,
      ),
    });
    expect(result.responses.some((r) => r.name.startsWith('GET /api/v1/secrets'))).toBe(false);
  });
});

describe('Kubernetes connector: throttling and retries', () => {
  it('waits for Retry-After after a 429, then carries on', async () => {
    let limited = false;
    server.intercept.push((r) => {
      if (limited || r.path !== '/api/v1/serviceaccounts' || !r.query.get('continue')) return undefined;
      limited = true;
      return {
        ...status(429, 'TooManyRequests', 'Too many requests, please try again later.'),
        headers: { 'retry-after': '1' },
      };
    });
    const context = runContext();
    const result = await connector.pull(options(), secrets(), context);
    expect(result.identities).toHaveLength(73);
    const page2 = server.requests.filter(
      (r) => r.path === '/api/v1/serviceaccounts' && r.query.get('continue') !== null,
    );
    expect(page2[0]!.query.get('continue')).toBe(page2[1]!.query.get('continue'));
    expect(page2[1]!.at - page2[0]!.at).toBeGreaterThanOrEqual(950);
    expect(
      context.progress.some((p) => p.message === 'The cluster could not answer (HTTP 429); retrying in 1 s'),
    ).toBe(true);
  });

  it('retries a persistent 503 a bounded number of times, then fails naming what it was reading', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/clusterrolebindings')
        ? status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')
        : undefined,
    );
    const error = await pullError(connector.pull(options(), secrets(), runContext()));
    expect(error.code).toBe('CONNECTOR_FAILED');
    expect(error.message).toMatch(
      /answered 503: the server is currently unable to handle the request when trying to list ClusterRoleBindings, after 3 attempts/,
    );
    expect(server.requests.filter((r) => r.path.endsWith('/clusterrolebindings'))).toHaveLength(
      TUNING.retries + 1,
    );
  });
});

describe('Kubernetes connector: failures say what failed', () => {
  it('401 is CONNECTOR_AUTH', async () => {
    const error = await pullError(connector.pull(options(), secrets('revoked-token-0000'), runContext()));
    expect(error.code).toBe('CONNECTOR_AUTH');
    expect(error.message).toMatch(
      /refused the credentials of kubeconfig user "steward-reader" \(401 Unauthorized/,
    );
    expect(error.message).not.toContain('revoked-token-0000');
  });

  it('403 on service accounts is CONNECTOR_PERMISSION naming "list serviceaccounts at cluster scope"', async () => {
    server.intercept.push((r) =>
      r.path === '/api/v1/serviceaccounts' ? forbiddenList('serviceaccounts') : undefined,
    );
    const error = await pullError(connector.pull(options(), secrets(), runContext()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toContain('needs "list serviceaccounts at cluster scope"');
    expect(error.message).toContain(
      'serviceaccounts is forbidden: User "system:serviceaccount:steward:reader" cannot list resource "serviceaccounts"',
    );
  });

  it('403 on role bindings names the RBAC permission', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/rolebindings') && !r.path.endsWith('/clusterrolebindings')
        ? forbiddenList('rolebindings', 'rbac.authorization.k8s.io')
        : undefined,
    );
    const error = await pullError(connector.pull(options(), secrets(), runContext()));
    expect(error.code).toBe('CONNECTOR_PERMISSION');
    expect(error.message).toContain('needs "list rolebindings at cluster scope (rbac.authorization.k8s.io)"');
  });

  it('an unreachable server is CONNECTOR_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const config = kubeconfigFor({ url: `https://127.0.0.1:${port}`, caPem: server.caPem }, TOKEN);
    const error = await pullError(connector.pull(options(), { kubeconfig: config }, runContext()));
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toMatch(
      /Cannot reach the cluster at https:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\) after 3 attempts/,
    );
  });

  it('a server whose certificate the kubeconfig does not trust is a TLS failure', async () => {
    const stranger = selfSignedCertificate();
    const config = kubeconfigFor({ url: server.url, caPem: stranger.certPem }, TOKEN);
    const error = await pullError(connector.pull(options(), { kubeconfig: config }, runContext()));
    expect(error.code).toBe('CONNECTOR_UNREACHABLE');
    expect(error.message).toMatch(/^The TLS connection to https:\/\/127\.0\.0\.1:\d+ failed/);
  });

  it('a kubeconfig that is not YAML is INVALID_INPUT without quoting it', async () => {
    const broken = `${kubeconfig}\n  users: [\n    token: ${TOKEN}`;
    const error = await pullError(connector.pull(options(), { kubeconfig: broken }, runContext()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).not.toContain(TOKEN);
  });

  it('cancelling stops the pull with CANCELLED and reads nothing more', async () => {
    const controller = new AbortController();
    const context = runContext(controller.signal);
    const report = context.onProgress.bind(context);
    context.onProgress = (message, items) => {
      report(message, items);
      if (message.startsWith('Reading service accounts')) controller.abort();
    };
    const error = await pullError(connector.pull(options(), secrets(), context));
    expect(error.code).toBe('CANCELLED');
    expect(server.requests).toHaveLength(1);
  });
});

describe('Kubernetes connector: test connection', () => {
  it('reports every check, passing with a reader that can list everything', async () => {
    const checks = await connector.test(options(), secrets(), runContext());
    seenMessages.push(...checks.map((c) => c.message));
    expect(checks.map((c) => c.ok)).toEqual([true, true, true, true, true, true]);
    expect(checks[0]!.name).toBe(
      `Sign in to ${server.url} and list service accounts (list serviceaccounts at cluster scope)`,
    );
    expect(new Set(server.requests.map((r) => r.method))).toEqual(new Set(['GET']));
    expect(server.requests.every((r) => r.query.get('limit') === '1')).toBe(true);
  });

  it('a missing permission fails only its own check; missing list secrets is reported but allowed', async () => {
    server.intercept.push((r) =>
      r.path.endsWith('/clusterroles')
        ? forbiddenList('clusterroles', 'rbac.authorization.k8s.io')
        : undefined,
    );
    server.intercept.push((r) => (r.path === '/api/v1/secrets' ? forbiddenList('secrets') : undefined));
    const checks = await connector.test(options(), secrets(), runContext());
    seenMessages.push(...checks.map((c) => c.message));
    expect(checks.map((c) => c.ok)).toEqual([true, true, true, false, true, true]);
    expect(checks[3]!.message).toContain('needs "list clusterroles (rbac.authorization.k8s.io)"');
    expect(checks[5]!.message).toMatch(/^Not allowed \(list secrets at cluster scope\)/);
  });

  it('bad credentials fail every check with the auth message', async () => {
    const checks = await connector.test(options(), secrets('expired-token-1234'), runContext());
    seenMessages.push(...checks.map((c) => c.message));
    expect(checks.every((c) => !c.ok && /401 Unauthorized/.test(c.message))).toBe(true);
  });
});

describe('Kubernetes connector: registration', () => {
  it('is the registered kubernetes connector with the design options', () => {
    expect(connectorFor('kubernetes')).toBe(kubernetesConnector);
    expect(kubernetesConnector.optionsSchema.safeParse({ kubeconfigFile: '/k', context: 'a' }).success).toBe(
      true,
    );
    expect(kubernetesConnector.secretsSchema.safeParse({ kubeconfig: '' }).success).toBe(false);
  });
});
