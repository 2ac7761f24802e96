import { CoreV1Api, RbacAuthorizationV1Api, type ConfigurationOptions } from '@kubernetes/client-node';
import { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';
import type { DocumentFile, ImportNote } from '../../imports/preset-types';
import { documentPresetFor } from '../../imports/presets/document-presets';
import type {
  ConnectionCheck,
  Connector,
  ConnectorPullResult,
  ConnectorRunContext,
  PulledResponse,
} from '../connector-types';
import {
  captureRequest,
  clusterDisplayName,
  DEFAULT_KUBERNETES_TUNING,
  isRetryable,
  kubernetesFailure,
  loadKubeConfig,
  retryAfterSeconds,
  sleep,
  type CapturedResponse,
  type KubernetesRetryTuning,
  type KubernetesStep,
  type LoadedKubeConfig,
} from './kubernetes-client';
import { applyTokenSecrets, tokenSecretsOf } from './legacy-token-secrets';

/**
 * Kubernetes pull (issue #6): service accounts, cluster role and role bindings with their roles, and
 * legacy long-lived token secrets (metadata only), read with @kubernetes/client-node from the
 * kubeconfig kept in the vault. Every list is read to the end with `limit` and `continue`; the pages go
 * as they came through the `kubernetes-service-accounts` preset, so a pull and an import of
 * `kubectl get … -o json` give the same identities.
 */
export const kubernetesOptionsSchema = z.object({
  context: z.string().trim().min(1).max(253).optional(),
  /** The path the kubeconfig was read from when the connection was added, for display only. */
  kubeconfigFile: z.string().min(1).max(4096),
});
export type KubernetesOptions = z.infer<typeof kubernetesOptionsSchema>;

export const kubernetesSecretsSchema = z.object({ kubeconfig: z.string().min(1) });
export type KubernetesSecrets = z.infer<typeof kubernetesSecretsSchema>;

export interface KubernetesConnectorTuning extends KubernetesRetryTuning {
  /** Items per page (`limit`). */
  pageSize: number;
}

const DEFAULT_TUNING: KubernetesConnectorTuning = { ...DEFAULT_KUBERNETES_TUNING, pageSize: 500 };

const SDK = '@kubernetes/client-node 1.4.0';

const TOKEN_SECRET_SELECTOR = 'type=kubernetes.io/service-account-token';

interface ListStep extends KubernetesStep {
  /** The request path, for response names. */
  path: string;
  /** What a page holds, for progress. */
  noun: string;
}

const LISTS = {
  serviceAccounts: {
    action: 'list ServiceAccounts in every namespace',
    permission: 'list serviceaccounts at cluster scope',
    path: '/api/v1/serviceaccounts',
    noun: 'service accounts',
  },
  clusterRoleBindings: {
    action: 'list ClusterRoleBindings',
    permission: 'list clusterrolebindings (rbac.authorization.k8s.io)',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    noun: 'cluster role bindings',
  },
  roleBindings: {
    action: 'list RoleBindings in every namespace',
    permission: 'list rolebindings at cluster scope (rbac.authorization.k8s.io)',
    path: '/apis/rbac.authorization.k8s.io/v1/rolebindings',
    noun: 'role bindings',
  },
  clusterRoles: {
    action: 'list ClusterRoles',
    permission: 'list clusterroles (rbac.authorization.k8s.io)',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    noun: 'cluster roles',
  },
  roles: {
    action: 'list Roles in every namespace',
    permission: 'list roles at cluster scope (rbac.authorization.k8s.io)',
    path: '/apis/rbac.authorization.k8s.io/v1/roles',
    noun: 'roles',
  },
  secrets: {
    action: 'list service account token secrets in every namespace',
    permission: 'list secrets at cluster scope',
    path: `/api/v1/secrets?fieldSelector=${TOKEN_SECRET_SELECTOR}`,
    noun: 'token secrets',
  },
} satisfies Record<string, ListStep>;

type ListName = keyof typeof LISTS;

interface PageRequest {
  limit: number;
  _continue?: string;
}

interface Run {
  config: LoadedKubeConfig;
  core: CoreV1Api;
  rbac: RbacAuthorizationV1Api;
  server: string;
  user: string;
  context: ConnectorRunContext;
  tuning: KubernetesConnectorTuning;
  responses: PulledResponse[];
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'The Kubernetes pull was cancelled; nothing was kept.');
}

/** One request, retried on 429 / 5xx / a dropped connection, honouring Retry-After, a bounded number of times. */
async function withRetries<T>(run: Run, step: KubernetesStep, work: () => Promise<T>): Promise<T> {
  const { signal } = run.context;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(signal);
    try {
      return await work();
    } catch (error) {
      const failure = () =>
        kubernetesFailure(error, step, {
          server: run.server,
          user: run.user,
          secrets: run.config.secrets,
          signal,
          attempts: attempt,
        });
      if (signal.aborted || !isRetryable(error) || attempt > run.tuning.retries) throw failure();
      const asked = retryAfterSeconds(error);
      if (asked !== null && asked > run.tuning.maxRetryAfterSeconds) throw failure();
      const waitMs = asked !== null ? asked * 1000 : run.tuning.retryBaseMs * 2 ** (attempt - 1);
      run.context.onProgress(
        `The cluster could not answer (${describeRetry(error)}); retrying in ${Math.ceil(waitMs / 1000)} s`,
        0,
      );
      await sleep(waitMs, signal);
    }
  }
}

function describeRetry(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? `HTTP ${code}` : typeof code === 'string' ? code : 'connection failed';
}

function call(
  run: Run,
  name: ListName,
  request: PageRequest,
  options: ConfigurationOptions,
): Promise<unknown> {
  switch (name) {
    case 'serviceAccounts':
      return run.core.listServiceAccountForAllNamespaces(request, options);
    case 'clusterRoleBindings':
      return run.rbac.listClusterRoleBinding(request, options);
    case 'roleBindings':
      return run.rbac.listRoleBindingForAllNamespaces(request, options);
    case 'clusterRoles':
      return run.rbac.listClusterRole(request, options);
    case 'roles':
      return run.rbac.listRoleForAllNamespaces(request, options);
    case 'secrets':
      return run.core.listSecretForAllNamespaces(
        { ...request, fieldSelector: TOKEN_SECRET_SELECTOR },
        options,
      );
  }
}

interface ReadPage {
  name: string;
  response: CapturedResponse;
}

/** Every page of one list, following `metadata.continue` until a page has none. */
async function readList(run: Run, name: ListName, onPage: (items: number) => void): Promise<ReadPage[]> {
  const step = LISTS[name];
  const redact = name === 'secrets';
  const pages: ReadPage[] = [];
  const seenTokens = new Set<string>();
  let token: string | undefined;
  let items = 0;
  for (let page = 1; ; page++) {
    const request: PageRequest =
      token === undefined ? { limit: run.tuning.pageSize } : { limit: run.tuning.pageSize, _continue: token };
    const response = await withRetries(run, step, async () => {
      const capture = captureRequest(run.context.signal, redact);
      await call(run, name, request, capture.options);
      if (!capture.response || capture.response.json === null) {
        throw new AppError(
          'CONNECTOR_FAILED',
          `The cluster's answer to ${step.path} is not JSON; nothing was kept.`,
        );
      }
      return capture.response;
    });
    throwIfCancelled(run.context.signal);
    const separator = step.path.includes('?') ? '&' : '?';
    const requestName = `GET ${step.path}${separator}limit=${run.tuning.pageSize} (page ${page}${
      response.redacted ? `; token data removed, SHA-256 as sent ${response.sentSha256}` : ''
    })`;
    run.responses.push({ name: requestName, body: response.body });
    pages.push({ name: requestName, response });
    const json = response.json as { items?: unknown; metadata?: { continue?: unknown } };
    items += Array.isArray(json.items) ? json.items.length : 0;
    onPage(items);
    const next = json.metadata?.continue;
    if (typeof next !== 'string' || next === '') return pages;
    if (seenTokens.has(next)) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `The cluster sent the same continue token twice while trying to ${step.action}; the list cannot be read to its end. Nothing was kept: pull again.`,
      );
    }
    seenTokens.add(next);
    token = next;
  }
}

function isPermissionFailure(error: unknown): boolean {
  return error instanceof AppError && error.code === 'CONNECTOR_PERMISSION';
}

export function createKubernetesConnector(
  tuning: Partial<KubernetesConnectorTuning> = {},
): Connector<KubernetesOptions, KubernetesSecrets> {
  const settings: KubernetesConnectorTuning = { ...DEFAULT_TUNING, ...tuning };

  function open(options: KubernetesOptions, secrets: KubernetesSecrets, context: ConnectorRunContext): Run {
    const config = loadKubeConfig(secrets.kubeconfig, options.context);
    const user = config.kubeConfig.getCurrentUser()?.name ?? '(none)';
    return {
      config,
      core: config.kubeConfig.makeApiClient(CoreV1Api),
      rbac: config.kubeConfig.makeApiClient(RbacAuthorizationV1Api),
      server: config.cluster.server,
      user,
      context,
      tuning: settings,
      responses: [],
    };
  }

  return {
    type: 'kubernetes',
    label: 'Kubernetes cluster',
    sdk: SDK,
    optionsSchema: kubernetesOptionsSchema,
    secretsSchema: kubernetesSecretsSchema,

    async test(options, secrets, context) {
      const run = open(options, secrets, context);
      const checks: ConnectionCheck[] = [];
      const names: Record<ListName, string> = {
        serviceAccounts: `Sign in to ${run.server} and list service accounts (list serviceaccounts at cluster scope)`,
        clusterRoleBindings: 'List cluster role bindings',
        roleBindings: 'List role bindings in every namespace',
        clusterRoles: 'List cluster roles',
        roles: 'List roles in every namespace',
        secrets: 'List legacy token secrets (optional: list secrets)',
      };
      for (const name of Object.keys(LISTS) as ListName[]) {
        const step = LISTS[name];
        try {
          await withRetries(run, step, async () => {
            const capture = captureRequest(context.signal, name === 'secrets');
            await call(run, name, { limit: 1 }, capture.options);
          });
          checks.push({
            name: names[name],
            ok: true,
            message: `Kubeconfig user "${run.user}" can ${step.action}.`,
          });
        } catch (error) {
          if (error instanceof AppError && error.code === 'CANCELLED') throw error;
          if (name === 'secrets' && isPermissionFailure(error)) {
            checks.push({
              name: names[name],
              ok: true,
              message: `Not allowed (${step.permission}): pulls will take legacy token secrets only from each service account's secrets field.`,
            });
            continue;
          }
          const message = error instanceof AppError ? error.message : 'The check failed unexpectedly.';
          checks.push({ name: names[name], ok: false, message });
        }
      }
      return checks;
    },

    async pull(options, secrets, context) {
      const run = open(options, secrets, context);
      const clusterName = clusterDisplayName(run.config.cluster);
      const documents: DocumentFile[] = [];
      let accounts = 0;
      const progress = (noun: string) => (count: number) =>
        context.onProgress(`Reading ${noun} of ${clusterName}: ${count} so far`, accounts);

      for (const name of [
        'serviceAccounts',
        'clusterRoleBindings',
        'roleBindings',
        'clusterRoles',
        'roles',
      ] as const) {
        const pages = await readList(run, name, (count) => {
          if (name === 'serviceAccounts') accounts = count;
          progress(LISTS[name].noun)(count);
        });
        for (const page of pages) documents.push({ name: page.name, json: page.response.json });
      }

      const mapped = documentPresetFor('kubernetes-service-accounts', { clusterName }).map(documents);
      const notes: ImportNote[] = [...(mapped.notes ?? [])];

      // Reading token secrets needs `list secrets`, which also reads every token in the cluster: many
      // teams will not grant that to a review tool. Without it the pull still has every account and its
      // grants, and each account's own list of token secrets (as the kubectl export has), so it goes on.
      const secretsFile = `GET ${LISTS.secrets.path}`;
      try {
        const pages = await readList(run, 'secrets', progress(LISTS.secrets.noun));
        const tokenSecrets = pages.flatMap((page) => tokenSecretsOf(page.response.json));
        notes.push(...applyTokenSecrets(mapped.identities, tokenSecrets, secretsFile));
      } catch (error) {
        if (!isPermissionFailure(error)) throw error;
        notes.push({
          file: secretsFile,
          row: 0,
          message: `Legacy token secrets not listed: the kubeconfig user "${run.user}" needs "list secrets at cluster scope". Token secrets come only from each service account's own secrets field, so tokens created by hand are missing.`,
        });
      }

      context.onProgress(
        `Read ${mapped.identities.length} service accounts from ${clusterName}`,
        mapped.identities.length,
      );
      const result: ConnectorPullResult = {
        sourceKind: 'kubernetes',
        preset: 'kubernetes-service-accounts',
        endpoint: run.server,
        account: clusterName,
        responses: run.responses,
        identities: mapped.identities,
        rejects: mapped.rejects,
        notes,
        partial: mapped.partial === true,
      };
      return result;
    },
  };
}

export const kubernetesConnector = createKubernetesConnector();
