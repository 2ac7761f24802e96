import https from 'node:https';
import tls from 'node:tls';
import { AppError } from '../../../../shared/api/errors';

/** What came back from one GET: the status, the headers Steward reads, and the body as sent. */
export interface HttpsAnswer {
  status: number;
  retryAfter: string | null;
  body: Buffer;
}

/** A page of Graph is a few megabytes at most; anything far beyond that is not Graph talking. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

/**
 * The trust store for every request of one run: Node's bundled CAs, plus the PEM certificates the
 * connection adds (a TLS-inspecting proxy's CA, or a test server's). Verification is never turned off.
 */
export function trustedCertificates(extraCaCertificates: string | undefined): string[] | undefined {
  if (!extraCaCertificates || extraCaCertificates.trim() === '') return undefined;
  return [...tls.rootCertificates, extraCaCertificates];
}

/** One keep-alive agent per run, destroyed when the run ends so no socket outlives it. */
export function createAgent(ca: string[] | undefined): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: 8, ...(ca ? { ca } : {}) });
}

/**
 * One HTTPS GET, no retries (the caller decides what is worth retrying). Network failures are turned
 * into `NetworkFailure` so callers can tell a TLS error from a refused connection or a timeout.
 */
export function httpsGet(
  url: URL,
  headers: Record<string, string>,
  settings: { agent: https.Agent; timeoutMs: number; signal: AbortSignal },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method: 'GET', headers, agent: settings.agent, signal: settings.signal, timeout: settings.timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            request.destroy(new NetworkFailure('EBODYTOOLARGE', 'the answer is larger than 128 MB'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            body: Buffer.concat(chunks),
          });
        });
        response.on('error', (error) => reject(asNetworkFailure(error)));
      },
    );
    request.on('timeout', () => {
      request.destroy(new NetworkFailure('ETIMEDOUT', `no answer within ${settings.timeoutMs / 1000} s`));
    });
    request.on('error', (error) => reject(asNetworkFailure(error)));
    request.end();
  });
}

/** A request that got no HTTP answer. `code` is Node's error code (ECONNREFUSED, CERT_HAS_EXPIRED...). */
export class NetworkFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'NetworkFailure';
    this.code = code;
  }

  get isAbort(): boolean {
    return this.code === 'ABORT_ERR';
  }

  /** Certificate and handshake failures: the host answered, but not as someone Steward trusts. */
  get isTls(): boolean {
    return /CERT|SELF_SIGNED|UNABLE_TO_|TLS|SSL|EPROTO|HOSTNAME/i.test(this.code);
  }

  /** Worth another try: the connection dropped or stalled, as busy front ends sometimes do. */
  get isTransient(): boolean {
    return ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN'].includes(this.code);
  }
}

function asNetworkFailure(error: unknown): NetworkFailure {
  if (error instanceof NetworkFailure) return error;
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string'
      ? error.code
      : error instanceof Error && error.name === 'AbortError'
        ? 'ABORT_ERR'
        : 'EUNKNOWN';
  return new NetworkFailure(code, error instanceof Error ? error.message : String(error));
}

/**
 * The CONNECTOR_UNREACHABLE error for a request that got no answer, saying which host and why in
 * words (and Node's code for whoever debugs it). Node's messages name hosts and certificates, never
 * credentials, but only the code is used so nothing unexpected can slip through.
 */
export function unreachableError(host: string, failure: NetworkFailure, what: string): AppError {
  if (failure.isTls) {
    return new AppError(
      'CONNECTOR_UNREACHABLE',
      `TLS error talking to ${host} (${failure.code}): its certificate is not trusted or the secure connection failed, so ${what} was not sent. Check the URL; if your network inspects TLS, add your organisation's CA certificate to the connection.`,
    );
  }
  const reason: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
    ETIMEDOUT: 'it did not answer in time',
    ECONNRESET: 'the connection was dropped',
    EHOSTUNREACH: 'there is no route to it',
    ENETUNREACH: 'the network is unreachable',
  };
  return new AppError(
    'CONNECTOR_UNREACHABLE',
    `Cannot reach ${host}: ${reason[failure.code] ?? 'the request failed'} (${failure.code}) during ${what}. Check the URL, the network and any proxy or firewall, then try again.`,
  );
}

/** Waits, unless the run is cancelled first. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelledError(): AppError {
  return new AppError('CANCELLED', 'The pull was cancelled; nothing was saved.');
}
