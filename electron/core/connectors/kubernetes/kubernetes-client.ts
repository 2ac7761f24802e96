import { createHash } from 'node:crypto';
import {
  ApiException,
  KubeConfig,
  ResponseContext,
  type Cluster,
  type ConfigurationOptions,
  Observable,
  type ObservableMiddleware,
  type RequestContext,
  type User,
} from '@kubernetes/client-node';
import { AppError } from '../../../../shared/api/errors';

/** How hard a pull tries before it gives up; tests make these small. */
export interface KubernetesRetryTuning {
  /** Retries of a 429, a 5xx or a dropped connection (client-node does not retry by itself). */
  retries: number;
  /** Without Retry-After, the n-th retry waits this many milliseconds × 2^(n-1). */
  retryBaseMs: number;
  /** A Retry-After longer than this fails the pull instead of stalling it. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_KUBERNETES_TUNING: KubernetesRetryTuning = {
  retries: 3,
  retryBaseMs: 1000,
  maxRetryAfterSeconds: 120,
};

export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  contextName: string;
  cluster: Cluster;
  /** Strings from the kubeconfig that must never reach a message (tokens, passwords, key data). */
  secrets: string[];
}

/**
 * Reads the kubeconfig kept in the vault and picks the context. A YAML error is reported by line only:
 * js-yaml's own message quotes the offending line, which may hold a token.
 */
export function loadKubeConfig(yaml: string, context: string | undefined): LoadedKubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(yaml);
  } catch (error) {
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new AppError(
      'INVALID_INPUT',
      `The kubeconfig cannot be read${typeof line === 'number' ? ` (a YAML error on line ${line + 1})` : ''}: export it again with kubectl config view --raw --minify and add the connection again.`,
    );
  }
  const contexts = kubeConfig.getContexts().map((c) => c.name);
  const listed = contexts.length > 0 ? contexts.join(', ') : 'none';
  if (context !== undefined) {
    if (!contexts.includes(context)) {
      throw new AppError(
        'INVALID_INPUT',
        `The kubeconfig has no context "${context}". Choose one of: ${listed}.`,
      );
    }
    kubeConfig.setCurrentContext(context);
  }
  const contextName = kubeConfig.getCurrentContext();
  if (!contextName || !kubeConfig.getContextObject(contextName)) {
    throw new AppError(
      'INVALID_INPUT',
      `The kubeconfig names no current context: give one with --context (contexts: ${listed}).`,
    );
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new AppError(
      'INVALID_INPUT',
      `The context "${contextName}" names a cluster the kubeconfig does not define: fix the kubeconfig or choose another context (${listed}).`,
    );
  }
  const secrets = kubeConfig
    .getUsers()
    .flatMap((user: User) => [user.token, user.password, user.keyData, user.certData])
    .filter((value): value is string => typeof value === 'string' && value.length >= 4);
  return { kubeConfig, contextName, cluster, secrets };
}

/**
 * The cluster's name for people and for the preset's `clusterName`: EKS kubeconfigs name the cluster
 * by its ARN, whose last part is the name the console and the fixtures use.
 */
export function clusterDisplayName(cluster: Cluster): string {
  const eks = /^arn:aws[a-z-]*:eks:[^:]*:\d+:cluster\/(.+)$/.exec(cluster.name);
  return (eks?.[1] ?? cluster.name).slice(0, 200);
}

/** One successful response as the API server sent it (or, for secrets, with the token data removed). */
export interface CapturedResponse {
  /** Parsed JSON the connector reads: the exact document, or the metadata-only copy for secrets. */
  json: unknown;
  /** Bytes to keep as evidence: exactly what was sent, or the metadata-only copy for secrets. */
  body: Buffer;
  /** SHA-256 of the bytes the server sent, before anything was removed. */
  sentSha256: string;
  redacted: boolean;
}

export interface Capture {
  options: ConfigurationOptions;
  /** Filled when the last request answered 2xx. */
  response: CapturedResponse | null;
}

/**
 * Client-node middleware for one request: sends only GET, stops when the pull is cancelled, and keeps
 * the body as sent (the SDK turns JSON into classes with Date objects; the presets read the JSON).
 * With `redactSecretData`, every item's `data` and `stringData` are removed before the SDK or anything
 * else parses them, and the sent bytes are overwritten once hashed: a token never outlives the response.
 */
export function captureRequest(signal: AbortSignal, redactSecretData: boolean): Capture {
  const capture: Capture = { options: {}, response: null };
  const middleware: ObservableMiddleware = {
    pre(context: RequestContext) {
      if (context.getHttpMethod() !== 'GET') {
        throw new AppError(
          'INTERNAL',
          `The Kubernetes connector only reads; it refused to send ${context.getHttpMethod()}.`,
        );
      }
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext) {
      return new Observable(keepBody(context));
    },
  };
  const keepBody = async (context: ResponseContext): Promise<ResponseContext> => {
    const sent = await context.body.binary();
    const ok = context.httpStatusCode >= 200 && context.httpStatusCode < 300;
    let bytes: Buffer = sent;
    if (ok) {
      const sentSha256 = createHash('sha256').update(sent).digest('hex');
      let json: unknown = null;
      try {
        json = JSON.parse(sent.toString('utf8')) as unknown;
      } catch {
        json = null;
      }
      if (redactSecretData) {
        json = withoutSecretData(json);
        bytes = Buffer.from(JSON.stringify(json), 'utf8');
        sent.fill(0);
      }
      capture.response = { json, body: bytes, sentSha256, redacted: redactSecretData };
    }
    return new ResponseContext(context.httpStatusCode, context.headers, {
      text: async () => bytes.toString('utf8'),
      binary: async () => bytes,
    });
  };
  capture.options = { middleware: [middleware], middlewareMergeStrategy: 'append' };
  return capture;
}

function withoutSecretData(json: unknown): unknown {
  if (!json || typeof json !== 'object') return null;
  const list = json as { items?: unknown };
  const items = Array.isArray(list.items) ? list.items : [];
  return {
    ...(json as Record<string, unknown>),
    items: items.map((item) => {
      if (!item || typeof item !== 'object') return item;
      const { data: _data, stringData: _stringData, ...metadataOnly } = item as Record<string, unknown>;
      return metadataOnly;
    }),
  };
}

/** What a request was for, so a failure can say what could not be read and what permission it needs. */
export interface KubernetesStep {
  /** "list ServiceAccounts in every namespace" */
  action: string;
  /** The RBAC permission, as `kubectl auth can-i` would put it: "list serviceaccounts at cluster scope". */
  permission: string;
}

interface NetworkError extends Error {
  code?: string;
  type?: string;
}

const TLS_CODES =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH|ALTNAME/i;

function isNetworkError(error: unknown): error is NetworkError {
  return (
    error instanceof Error &&
    (error.name === 'FetchError' || typeof (error as NetworkError).code === 'string')
  );
}

export function isTlsError(error: unknown): boolean {
  return (
    isNetworkError(error) && (TLS_CODES.test(error.code ?? '') || /certificate|tls|ssl/i.test(error.message))
  );
}

/** 429 and 5xx may pass; a dropped connection may come back. A TLS failure will not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiException) return error.code === 429 || (error.code >= 500 && error.code <= 504);
  return isNetworkError(error) && !isTlsError(error) && error.name !== 'AbortError';
}

/** Seconds the server asked to wait (Retry-After, in seconds or as an HTTP date), when it said. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiException)) return null;
  const headers = (error.headers ?? {}) as Record<string, string | undefined>;
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The message of a Kubernetes `Status` body, when the error carries one. */
function statusMessage(error: ApiException<unknown>): string | null {
  let body: unknown = error.body;
  if (typeof body === 'string') {
    const text = body.trim();
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return text === '' ? null : text.slice(0, 300);
    }
  }
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  return null;
}

/**
 * Turns whatever a request threw into the AppError the user reads: rejected credentials, a missing
 * RBAC permission (named), an unreachable or untrusted server, or the API server failing. No secret
 * from the kubeconfig reaches the message.
 */
export function kubernetesFailure(
  error: unknown,
  step: KubernetesStep,
  context: {
    server: string;
    user: string;
    secrets: readonly string[];
    signal: AbortSignal;
    attempts: number;
  },
): AppError {
  const scrub = (text: string): string =>
    context.secrets.reduce((out, secret) => out.split(secret).join('[secret]'), text);
  if (context.signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new AppError('CANCELLED', 'The Kubernetes pull was cancelled; nothing was kept.');
  }
  if (error instanceof AppError) return new AppError(error.code, scrub(error.message));
  if (error instanceof ApiException) {
    const said = statusMessage(error);
    const saidText = said ? `: ${scrub(said)}` : '';
    if (error.code === 401) {
      return new AppError(
        'CONNECTOR_AUTH',
        `The cluster at ${context.server} refused the credentials of kubeconfig user "${context.user}" (401 Unauthorized${saidText}): the token or client certificate is wrong, expired or revoked. Get a fresh kubeconfig and update the connection.`,
      );
    }
    if (error.code === 403) {
      return new AppError(
        'CONNECTOR_PERMISSION',
        `Kubeconfig user "${context.user}" cannot ${step.action}: it needs "${step.permission}" (403 Forbidden${saidText}). Bind it to a ClusterRole that allows that, then pull again.`,
      );
    }
    if (error.code === 410) {
      return new AppError(
        'CONNECTOR_FAILED',
        `The cluster expired the list while it was being read page by page (410 Gone${saidText}) while trying to ${step.action}. Nothing was kept: pull again.`,
      );
    }
    const tries = context.attempts > 1 ? `, after ${context.attempts} attempts` : '';
    return new AppError(
      'CONNECTOR_FAILED',
      `The cluster at ${context.server} answered ${error.code}${saidText} when trying to ${step.action}${tries}. Nothing was kept: pull again later or check the API server.`,
    );
  }
  if (isNetworkError(error)) {
    const cause = scrub(error.message);
    if (isTlsError(error)) {
      return new AppError(
        'CONNECTOR_UNREACHABLE',
        `The TLS connection to ${context.server} failed (${cause}): the server's certificate does not match the kubeconfig's certificate-authority. Check the kubeconfig or the server address.`,
      );
    }
    return new AppError(
      'CONNECTOR_UNREACHABLE',
      `Cannot reach the cluster at ${context.server} (${cause}) after ${context.attempts} attempts: check the server address in the kubeconfig, the VPN and the network.`,
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  return new AppError('CONNECTOR_FAILED', scrub(`Could not ${step.action}: ${text}.`));
}

/** Waits, but wakes up (and throws CANCELLED) when the pull is cancelled. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new AppError('CANCELLED', 'The Kubernetes pull was cancelled; nothing was kept.'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('CANCELLED', 'The Kubernetes pull was cancelled; nothing was kept.'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
