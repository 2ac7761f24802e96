import type https from 'node:https';
import { AppError } from '../../../../shared/api/errors';
import { abortableDelay, cancelledError, httpsGet, NetworkFailure, unreachableError } from './https-get';

/**
 * Read-only Microsoft Graph over node:https, with a bearer token from @azure/identity.
 *
 * Why not @microsoft/microsoft-graph-client: in Node it sends through the global fetch, which cannot be
 * given a CA bundle without undici's dispatcher (not a dependency here), so a TLS-inspecting proxy's CA
 * or a test server's could only be trusted by weakening verification for the whole process; its
 * RetryHandler sleeps up to 180 s per Retry-After in a timer no AbortSignal can cut short, and does not
 * retry 500/502. Graph's paging is one `@odata.nextLink` to follow, so a small GET with our own bounded
 * Retry-After handling is less code than bending the SDK, and every request is visibly a GET.
 */
export interface GraphClientSettings {
  /** e.g. https://graph.microsoft.com (no trailing slash). Tokens are only ever sent to this origin. */
  graphUrl: string;
  getAccessToken(signal: AbortSignal): Promise<string>;
  agent: https.Agent;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Backoff when the answer has no Retry-After: base, 2×base, 4×base... */
  retryBaseDelayMs: number;
  /** A Retry-After longer than this fails the pull instead of stalling it. */
  maxRetryAfterSeconds: number;
  requestTimeoutMs: number;
}

export interface GraphAnswer {
  body: Buffer;
  json: unknown;
}

/** Graph answered, but not with success (after retries where retrying made sense). */
export class GraphHttpError extends Error {
  readonly status: number;
  /** Graph's own error code, e.g. `Authorization_RequestDenied`, when the body says it. */
  readonly graphCode: string | null;
  readonly graphMessage: string | null;
  readonly what: string;
  readonly attempts: number;
  constructor(what: string, status: number, body: Buffer, attempts: number) {
    const { code, message } = graphErrorOf(body);
    super(`${what}: HTTP ${status}${code ? ` ${code}` : ''}`);
    this.name = 'GraphHttpError';
    this.what = what;
    this.status = status;
    this.graphCode = code;
    this.graphMessage = message;
    this.attempts = attempts;
  }

  /** How Graph put it, for the end of a message: ` (403 Authorization_RequestDenied: Insufficient privileges...)`. */
  get detail(): string {
    const message = this.graphMessage ? `: ${this.graphMessage.slice(0, 200)}` : '';
    return ` (${this.status}${this.graphCode ? ` ${this.graphCode}` : ''}${message})`;
  }
}

const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 30_000;

export class GraphClient {
  private readonly origin: string;

  constructor(private readonly settings: GraphClientSettings) {
    this.origin = new URL(settings.graphUrl).origin;
  }

  /** `path` like `/v1.0/servicePrincipals?$top=100`, relative to the Graph URL. */
  urlFor(path: string): URL {
    return new URL(`${this.settings.graphUrl}${path}`);
  }

  /**
   * A `@odata.nextLink` as a URL to follow, refused when it leaves the Graph origin: the bearer token
   * goes with every request, and a page is no reason to hand it to another host.
   */
  nextLinkUrl(link: string, what: string): URL {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new AppError(
        'CONNECTOR_FAILED',
        `${what} gave a next-page link that is not a URL; the pull stopped.`,
      );
    }
    if (url.origin !== this.origin) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `${what} gave a next-page link on another host (${url.origin}, not ${this.origin}); the access token is never sent elsewhere, so the pull stopped. Check the Graph URL of this connection.`,
      );
    }
    return url;
  }

  /**
   * GET with bounded retries: 429 and 5xx are retried after the Retry-After Graph asks for (or a
   * doubling backoff when it asks nothing), dropped connections likewise; anything else is final.
   */
  async get(url: URL, what: string, signal: AbortSignal): Promise<GraphAnswer> {
    const { maxAttempts } = this.settings;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw cancelledError();
      const token = await this.settings.getAccessToken(signal);
      let status: number;
      let body: Buffer;
      let retryAfter: string | null;
      try {
        ({ status, body, retryAfter } = await httpsGet(
          url,
          { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          { agent: this.settings.agent, timeoutMs: this.settings.requestTimeoutMs, signal },
        ));
      } catch (error) {
        if (signal.aborted) throw cancelledError();
        if (!(error instanceof NetworkFailure)) throw error;
        if (error.isTransient && attempt < maxAttempts) {
          await abortableDelay(this.backoffMs(attempt), signal);
          continue;
        }
        throw unreachableError(url.host, error, what);
      }
      if (status >= 200 && status < 300) {
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          throw new AppError(
            'CONNECTOR_FAILED',
            `${what}: Microsoft Graph answered with something that is not JSON; the pull stopped and nothing was saved.`,
          );
        }
        return { body, json };
      }
      if (!RETRIED_STATUSES.has(status) || attempt >= maxAttempts) {
        throw new GraphHttpError(what, status, body, attempt);
      }
      await abortableDelay(this.retryDelayMs(retryAfter, attempt, what), signal);
    }
  }

  private backoffMs(attempt: number): number {
    return Math.min(this.settings.retryBaseDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  }

  /** Retry-After is seconds or an HTTP date; past the cap the pull fails now rather than hang. */
  private retryDelayMs(retryAfter: string | null, attempt: number, what: string): number {
    if (retryAfter === null || retryAfter.trim() === '') return this.backoffMs(attempt);
    const seconds = /^\d+$/.test(retryAfter.trim())
      ? Number(retryAfter.trim())
      : (Date.parse(retryAfter) - Date.now()) / 1000;
    if (!Number.isFinite(seconds)) return this.backoffMs(attempt);
    if (seconds > this.settings.maxRetryAfterSeconds) {
      throw new AppError(
        'CONNECTOR_FAILED',
        `${what}: Microsoft Graph is throttling this app and asked to wait ${Math.ceil(seconds)} s, longer than a pull waits (${this.settings.maxRetryAfterSeconds} s). Nothing was saved; pull again later.`,
      );
    }
    return Math.max(0, Math.ceil(seconds * 1000));
  }
}

function graphErrorOf(body: Buffer): { code: string | null; message: string | null } {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json === 'object' && json !== null && 'error' in json) {
      const error = (json as { error: unknown }).error;
      if (typeof error === 'object' && error !== null) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        return {
          code: typeof code === 'string' ? code : null,
          message: typeof message === 'string' ? message : null,
        };
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone says what happened.
  }
  return { code: null, message: null };
}
