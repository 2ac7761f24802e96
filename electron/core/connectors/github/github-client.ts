import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { AppError } from '../../../../shared/api/errors';
import type { PulledResponse } from '../connector-types';

/** How hard the client tries before it gives up; tests make these small. */
export interface GitHubRetryTuning {
  /** Retries of a 5xx answer or a network failure (plugin-retry). */
  retries: number;
  /** plugin-retry waits (retry number)² × this many milliseconds. */
  retryBaseMs: number;
  /** Retries after a primary or secondary rate limit (plugin-throttling), each after GitHub's Retry-After. */
  rateLimitRetries: number;
  /** A rate limit that asks for a longer wait than this fails the pull instead of stalling it. */
  maxRateLimitWaitSeconds: number;
}

export const DEFAULT_GITHUB_TUNING: GitHubRetryTuning = {
  retries: 3,
  retryBaseMs: 1000,
  rateLimitRetries: 3,
  maxRateLimitWaitSeconds: 300,
};

export const GITHUB_API_URL = 'https://api.github.com';

const ThrottledOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof ThrottledOctokit>;

export interface GitHubSession {
  octokit: GitHubClient;
  /** Every successful response body in the order it arrived, named after its request. */
  responses: PulledResponse[];
  /** Rate-limit waits so far, for messages. */
  rateLimitWaits: number;
}

export interface GitHubSessionOptions {
  baseUrl: string;
  token: string;
  signal: AbortSignal;
  tuning: GitHubRetryTuning;
  onWait?: (seconds: number, why: string) => void;
}

const SILENT_LOG = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * One Octokit for one test or pull. Its fetch keeps each response's raw bytes (the snapshot hashes
 * what GitHub sent, not a re-serialisation), sends only GET, never leaves the base URL's origin (a
 * `Link: rel="next"` elsewhere would carry the token away), and stops when the pull is cancelled.
 */
export function openGitHubSession(options: GitHubSessionOptions): GitHubSession {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const session: GitHubSession = { octokit: undefined as never, responses: [], rateLimitWaits: 0 };

  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET') {
      throw new AppError('INTERNAL', `The GitHub connector only reads; it refused to send ${method}.`);
    }
    if (url.origin !== base.origin) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `GitHub pointed the next page at ${url.origin}, which is not ${base.origin}; the pull stopped so the token is not sent there.`,
      );
    }
    const response = await fetch(url, { ...init, method, signal: options.signal });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.ok) {
      const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
      session.responses.push({ name: `GET ${path}${url.search}`, body: bytes });
    }
    const copy = new Response(bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // Octokit's paginator reads the page's URL (for lists that count `total_commits`); keep it.
    Object.defineProperty(copy, 'url', { value: response.url });
    return copy;
  };

  const onLimit =
    (kind: string) =>
    (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number): boolean => {
      if (options.signal.aborted) return false;
      if (retryCount >= options.tuning.rateLimitRetries) return false;
      if (retryAfter > options.tuning.maxRateLimitWaitSeconds) return false;
      session.rateLimitWaits++;
      options.onWait?.(retryAfter, kind);
      return true;
    };

  session.octokit = new ThrottledOctokit({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'steward-connector',
    log: SILENT_LOG,
    request: { fetch: guardedFetch },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
    },
    retry: {
      retries: options.tuning.retries,
      retryAfterBaseValue: options.tuning.retryBaseMs,
      // Rate limits (403/429) are plugin-throttling's, which honours Retry-After; retrying them here
      // too would multiply the bound and ignore GitHub's wait.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  });
  return session;
}

/** What a request was for, so a failure can say what could not be read and what permission it needs. */
export interface GitHubStep {
  /** "list the organisation's GitHub App installations (GET /orgs/acme/installations)" */
  action: string;
  /** The scope or fine-grained permission the request needs. */
  permission: string;
  /** What a 404 means for this request; absent when 404 means the permission is missing. */
  notFound?: string;
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  cause?: unknown;
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    error instanceof Error &&
    error.name === 'HttpError' &&
    typeof (error as Partial<RequestErrorLike>).status === 'number'
  );
}

/** GitHub's own message without the documentation link octokit appends. */
function githubMessage(error: RequestErrorLike): string {
  const data = error.response?.data;
  if (data && typeof data === 'object' && 'message' in data && typeof data.message === 'string') {
    return data.message;
  }
  return error.message.replace(/ - https?:\/\/\S+$/, '');
}

export function isRateLimited(error: RequestErrorLike): boolean {
  if (error.status === 429) return true;
  if (error.status !== 403) return false;
  return (
    error.response?.headers?.['x-ratelimit-remaining'] === '0' ||
    /\bsecondary rate\b/i.test(githubMessage(error))
  );
}

function networkCause(error: RequestErrorLike): string {
  let cause: unknown = error.cause;
  // undici wraps the socket error: "fetch failed" ← "connect ECONNREFUSED 127.0.0.1:9".
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : error.message;
}

/**
 * Turns whatever a request threw into the AppError the user reads: bad token, missing permission
 * (named), unreachable host, rate limit, or GitHub failing. The token never reaches the message.
 */
export function gitHubFailure(
  error: unknown,
  step: GitHubStep,
  context: { baseUrl: string; token: string; signal: AbortSignal; tuning: GitHubRetryTuning },
): AppError {
  const scrub = (text: string): string =>
    context.token.length >= 4 ? text.split(context.token).join('[secret]') : text;
  if (context.signal.aborted)
    return new AppError('CANCELLED', 'The GitHub pull was cancelled; nothing was kept.');
  if (error instanceof AppError) return new AppError(error.code, scrub(error.message));
  if (!isRequestError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return new AppError('CONNECTOR_FAILED', scrub(`Could not ${step.action}: ${text}.`));
  }
  // The guarded fetch refused something (a write, another origin): octokit wrapped its AppError.
  if (error.cause instanceof AppError) return new AppError(error.cause.code, scrub(error.cause.message));
  const said = scrub(githubMessage(error));
  if (error.status === 500 && error.response === undefined) {
    const cause = scrub(networkCause(error));
    const tls = /certificate|tls|ssl|self[- ]signed/i.test(cause);
    return new AppError(
      'CONNECTOR_UNREACHABLE',
      tls
        ? `The TLS connection to ${context.baseUrl} failed (${cause}): check the GitHub Enterprise Server certificate or the base URL.`
        : `Cannot reach GitHub at ${context.baseUrl} (${cause}) after ${context.tuning.retries + 1} attempts: check the base URL and the network.`,
    );
  }
  if (error.status === 401) {
    return new AppError(
      'CONNECTOR_AUTH',
      `GitHub at ${context.baseUrl} refused the token (401 ${said}): it is wrong, expired or revoked. Create a new token and update the connection.`,
    );
  }
  if (isRateLimited(error)) {
    const reset = Number(error.response?.headers?.['x-ratelimit-reset']);
    const when =
      Number.isFinite(reset) && reset > 0
        ? ` The limit resets at ${new Date(reset * 1000).toISOString()}.`
        : '';
    return new AppError(
      'CONNECTOR_FAILED',
      `GitHub's rate limit stopped the pull while trying to ${step.action} (${error.status} ${said}); it was retried ${context.tuning.rateLimitRetries} times or asked for a wait longer than ${context.tuning.maxRateLimitWaitSeconds} s.${when} Nothing was kept: pull again later.`,
    );
  }
  if (error.status === 404 && step.notFound) {
    return new AppError('CONNECTOR_PERMISSION', `${step.notFound} (GitHub answered 404 to: ${step.action}).`);
  }
  if (error.status === 403 || error.status === 404) {
    const headers = error.response?.headers ?? {};
    const accepted = headers['x-accepted-oauth-scopes'];
    const has = headers['x-oauth-scopes'];
    const scopes =
      accepted !== undefined && accepted !== ''
        ? ` GitHub accepts the scopes ${accepted}; the token has ${has ? has : 'none'}.`
        : '';
    return new AppError(
      'CONNECTOR_PERMISSION',
      `The token cannot ${step.action}: it needs ${step.permission} (GitHub answered ${error.status} ${said}).${scopes}`,
    );
  }
  if (error.status >= 500) {
    return new AppError(
      'CONNECTOR_FAILED',
      `GitHub answered ${error.status} (${said}) to: ${step.action}, after ${context.tuning.retries + 1} attempts. Nothing was kept: pull again later or check the server.`,
    );
  }
  return new AppError('CONNECTOR_FAILED', `GitHub answered ${error.status} (${said}) to: ${step.action}.`);
}
