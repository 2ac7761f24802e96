import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempFolder } from '../../../support/temp-folder';

/**
 * A loopback Kubernetes API server over TLS (client-node refuses plain HTTP unless TLS checks are
 * switched off, and a real kubeconfig pins the cluster's CA). It serves the fixture exports as the API
 * does: `…List` objects whose items carry no `kind`, `limit` / `continue` pagination with an opaque
 * continue token, `Status` objects for errors, bearer-token authentication. Tests add `intercept` rules
 * to make it throttle, fail or refuse, and change the served objects to add roles and secrets.
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');

/** The token inside every served token secret's `data`: it must never leave the connector. */
export const TOKEN_IN_SECRET_DATA =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6Im53bC1wcm9kIn0.LEGACY-SA-TOKEN-IN-SECRET-DATA';

export const READER_USER = 'system:serviceaccount:steward:reader';

export interface KubernetesRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** Milliseconds since the server started. */
  at: number;
}

export interface KubernetesReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Obj = Record<string, unknown>;

export interface KubernetesObjects {
  serviceaccounts: Obj[];
  clusterrolebindings: Obj[];
  rolebindings: Obj[];
  clusterroles: Obj[];
  roles: Obj[];
  secrets: Obj[];
}

export interface KubernetesServer {
  url: string;
  /** PEM of the CA the server's certificate chains to (it is self-signed: the CA is the certificate). */
  caPem: string;
  requests: KubernetesRequest[];
  intercept: Array<(request: KubernetesRequest) => KubernetesReply | undefined>;
  objects: KubernetesObjects;
  /** Puts the fixture objects back. */
  reset(): void;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI. */
export function selfSignedCertificate(): { keyPem: string; certPem: string } {
  const folder = tempFolder();
  const key = join(folder, 'key.pem');
  const cert = join(folder, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}

export function status(code: number, reason: string, message: string): KubernetesReply {
  return {
    status: code,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
  };
}

/** The API server's answer when RBAC denies a cluster-wide list. */
export function forbiddenList(resource: string, group = ''): KubernetesReply {
  return status(
    403,
    'Forbidden',
    `${resource} is forbidden: User "${READER_USER}" cannot list resource "${resource}" in API group "${group}" at the cluster scope`,
  );
}

function withoutKind(item: unknown): Obj {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = item as Obj;
  return rest;
}

function fixtureObjects(): KubernetesObjects {
  const read = (file: string) =>
    (JSON.parse(readFileSync(join(FIXTURES, 'kubernetes', file), 'utf8')) as { items: unknown[] }).items.map(
      withoutKind,
    );
  const serviceaccounts = read('serviceaccounts.json');
  // The token controller made each legacy token secret with its account.
  const secrets: Obj[] = serviceaccounts.flatMap((account) => {
    const metadata = account.metadata as Obj;
    const names = ((account.secrets as Array<{ name: string }> | undefined) ?? []).map((s) => s.name);
    return names
      .filter((name) => /-token-[a-z0-9]{5}$/.test(name))
      .map((name) =>
        tokenSecret(
          String(metadata.namespace),
          name,
          String(metadata.name),
          String(metadata.creationTimestamp),
        ),
      );
  });
  // Not a token: the field selector must keep it out.
  secrets.push({
    metadata: { name: 'wms-db-credentials', namespace: 'wms', creationTimestamp: '2024-02-01T10:00:00Z' },
    type: 'Opaque',
    data: { password: Buffer.from('not-a-token').toString('base64') },
  });
  return {
    serviceaccounts,
    clusterrolebindings: read('clusterrolebindings.json'),
    rolebindings: [],
    clusterroles: [
      {
        metadata: {
          name: 'cluster-admin',
          labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
          creationTimestamp: '2022-03-14T09:12:40Z',
        },
        rules: [
          { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
          { nonResourceURLs: ['*'], verbs: ['*'] },
        ],
      },
    ],
    roles: [],
    secrets,
  };
}

export function tokenSecret(namespace: string, name: string, account: string, createdAt: string): Obj {
  return {
    metadata: {
      name,
      namespace,
      uid: `5e0c7a3e-${name.length.toString(16).padStart(4, '0')}-4a1b-9c2d-${namespace.length.toString(16).padStart(12, '0')}`,
      resourceVersion: '41873',
      creationTimestamp: createdAt,
      annotations: {
        'kubernetes.io/service-account.name': account,
        'kubernetes.io/service-account.uid': 'a3f1c2d4-0000-4000-8000-000000000000',
      },
    },
    type: 'kubernetes.io/service-account-token',
    data: {
      'ca.crt': Buffer.from('-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n').toString(
        'base64',
      ),
      namespace: Buffer.from(namespace).toString('base64'),
      token: Buffer.from(TOKEN_IN_SECRET_DATA).toString('base64'),
    },
  };
}

const RBAC = '/apis/rbac.authorization.k8s.io/v1/';
const ROUTES: Record<string, { key: keyof KubernetesObjects; kind: string; apiVersion: string }> = {
  '/api/v1/serviceaccounts': { key: 'serviceaccounts', kind: 'ServiceAccountList', apiVersion: 'v1' },
  '/api/v1/secrets': { key: 'secrets', kind: 'SecretList', apiVersion: 'v1' },
  [`${RBAC}clusterrolebindings`]: {
    key: 'clusterrolebindings',
    kind: 'ClusterRoleBindingList',
    apiVersion: 'rbac.authorization.k8s.io/v1',
  },
  [`${RBAC}rolebindings`]: {
    key: 'rolebindings',
    kind: 'RoleBindingList',
    apiVersion: 'rbac.authorization.k8s.io/v1',
  },
  [`${RBAC}clusterroles`]: {
    key: 'clusterroles',
    kind: 'ClusterRoleList',
    apiVersion: 'rbac.authorization.k8s.io/v1',
  },
  [`${RBAC}roles`]: { key: 'roles', kind: 'RoleList', apiVersion: 'rbac.authorization.k8s.io/v1' },
};

export async function startKubernetesServer(options: { token: string }): Promise<KubernetesServer> {
  const { keyPem, certPem } = selfSignedCertificate();
  const started = Date.now();
  const resourceVersion = '9184467';

  const list = (request: KubernetesRequest, route: (typeof ROUTES)[string]): KubernetesReply => {
    let items = state.objects[route.key];
    const selector = request.query.get('fieldSelector');
    if (selector !== null) {
      const match = /^type=(.+)$/.exec(selector);
      if (!match) return status(400, 'BadRequest', `field label not supported: ${selector}`);
      items = items.filter((item) => item.type === match[1]);
    }
    const limit = Number(request.query.get('limit') ?? '0');
    let offset = 0;
    const token = request.query.get('continue');
    if (token) {
      try {
        const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
          rv: string;
          start: number;
        };
        if (decoded.rv !== resourceVersion) throw new Error('stale');
        offset = decoded.start;
      } catch {
        return status(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result.',
        );
      }
    }
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const metadata: Obj = { resourceVersion };
    if (end < items.length) {
      metadata.continue = Buffer.from(JSON.stringify({ rv: resourceVersion, start: end })).toString('base64');
      metadata.remainingItemCount = items.length - end;
    }
    return {
      status: 200,
      body: { kind: route.kind, apiVersion: route.apiVersion, metadata, items: items.slice(offset, end) },
    };
  };

  const answer = (request: KubernetesRequest): KubernetesReply => {
    if (request.authorization !== `Bearer ${options.token}`)
      return status(401, 'Unauthorized', 'Unauthorized');
    if (request.method !== 'GET')
      return status(405, 'MethodNotAllowed', 'the server does not allow this method');
    const route = ROUTES[request.path];
    if (!route) return status(404, 'NotFound', 'the server could not find the requested resource');
    return list(request, route);
  };

  const server: Server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const request: KubernetesRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      at: Date.now() - started,
    };
    state.requests.push(request);
    req.resume();
    req.on('end', () => {
      let reply: KubernetesReply | undefined;
      for (const rule of state.intercept) {
        reply = rule(request);
        if (reply) break;
      }
      reply ??= answer(request);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const state: KubernetesServer = {
    url: `https://127.0.0.1:${port}`,
    caPem: certPem,
    requests: [],
    intercept: [],
    objects: fixtureObjects(),
    reset() {
      state.objects = fixtureObjects();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return state;
}

/**
 * A kubeconfig as `kubectl config view --raw` writes it for two EKS clusters (named by ARN, as the
 * AWS CLI does) behind the same loopback server, with a bearer-token user.
 */
export function kubeconfigFor(server: { url: string; caPem: string }, token: string): string {
  const ca = Buffer.from(server.caPem).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${ca}
    server: ${server.url}
  name: arn:aws:eks:eu-west-1:111122223333:cluster/nwl-prod-eks
- cluster:
    certificate-authority-data: ${ca}
    server: ${server.url}
  name: arn:aws:eks:eu-west-1:111122223333:cluster/nwl-staging-eks
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:111122223333:cluster/nwl-prod-eks
    user: steward-reader
  name: nwl-prod
- context:
    cluster: arn:aws:eks:eu-west-1:111122223333:cluster/nwl-staging-eks
    user: steward-reader
  name: nwl-staging
current-context: nwl-prod
preferences: {}
users:
- name: steward-reader
  user:
    token: ${token}
`;
}
