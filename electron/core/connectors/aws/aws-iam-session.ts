import {
  IAMClient,
  type IAMClientConfig,
  type IAMClientResolvedConfig,
  type IAMPaginationConfiguration,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import { fromIni } from '@aws-sdk/credential-providers';
import type { Command, Paginator } from '@smithy/types';
import { AppError } from '../../../../shared/api/errors';
import type { PulledResponse } from '../connector-types';
import { AwsRetryStrategy } from './aws-retry-strategy';

/**
 * One IAM client for one test or pull, and the only place AWS errors become AppErrors. Every call goes
 * through `call` or `pages`, which pass the abort signal, keep the raw body of each successful answer
 * (population evidence) and translate failures: bad or expired keys -> CONNECTOR_AUTH, AccessDenied ->
 * CONNECTOR_PERMISSION naming the `iam:` action, network and TLS -> CONNECTOR_UNREACHABLE, the rest
 * (5xx and throttling after the SDK's bounded retries, answers that are not IAM's) -> CONNECTOR_FAILED.
 *
 * Retries: the SDK's retry middleware with our strategy (aws-retry-strategy.ts): throttling (429 or
 * code `Throttling`), 500/502/503/504 and network errors are retried up to `maxAttempts` with jittered
 * exponential backoff, a `Retry-After` is waited out in full up to `maxRetryDelayMs`, and a cancel
 * interrupts the wait (the SDK races it with the abort signal).
 */

export interface AwsOptions {
  /** The region to sign for; IAM is global, so `us-east-1` unless the partition differs (GovCloud, China). */
  region?: string;
  /** Another IAM endpoint (a VPC endpoint, a FIPS endpoint, a test server). */
  endpoint?: string;
  /** A named profile of the shared config/credentials files, instead of an access key pair. */
  profile?: string;
}

export type AwsSecrets =
  { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | Record<string, never>;

/** Knobs with production defaults; tests shorten them. Not user options: they are not stored. */
export interface AwsTuning {
  /** Attempts per request, first one included (the SDK's `maxAttempts`). */
  maxAttempts: number;
  /** Items per List* page (`MaxItems`, IAM allows 1..1000). */
  pageSize: number;
  /** Requests in flight while reading users and roles one by one. */
  concurrency: number;
  /** Wait between polls of the credential report while AWS generates it. */
  reportPollMs: number;
  /** Give up on the credential report after this many polls. */
  reportMaxPolls: number;
  /** Backoff bases for transient errors and for throttling; each retry doubles them, with jitter. */
  retryBaseDelayMs: number;
  throttlingBaseDelayMs: number;
  /** The longest wait before a retry, whatever a Retry-After asks. */
  maxRetryDelayMs: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_AWS_TUNING: AwsTuning = {
  maxAttempts: 5,
  pageSize: 100,
  concurrency: 4,
  reportPollMs: 2_000,
  reportMaxPolls: 90,
  retryBaseDelayMs: 100,
  throttlingBaseDelayMs: 1_000,
  maxRetryDelayMs: 30_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
};

export const DEFAULT_IAM_REGION = 'us-east-1';

/** The SDK's paginators (`paginateListUsers`, ...): the extra argument is `client.send`'s options. */
export type IamPaginate<Input, Output> = (
  config: IAMPaginationConfiguration,
  input: Input,
  ...rest: Array<{ abortSignal: AbortSignal }>
) => Paginator<Output>;

/** One IAM command (`new ListUsersCommand(...)`), typed by what it answers. */
type IamCommand<Input extends ServiceInputTypes, Output extends ServiceOutputTypes> = Command<
  ServiceInputTypes,
  Input,
  ServiceOutputTypes,
  Output,
  IAMClientResolvedConfig
>;

/** Enough of a command to add a middleware to it. */
interface WithMiddleware {
  middlewareStack: { add(middleware: never, options: Record<string, unknown>): void };
}

export class IamSession {
  readonly client: IAMClient;
  readonly region: string;
  private readonly secretValues: string[];

  constructor(
    readonly options: AwsOptions,
    secrets: AwsSecrets,
    readonly tuning: AwsTuning,
    readonly signal: AbortSignal,
  ) {
    this.region = options.region?.trim() || DEFAULT_IAM_REGION;
    const keys = 'accessKeyId' in secrets && secrets.accessKeyId ? secrets : null;
    this.secretValues = keys
      ? [keys.secretAccessKey, keys.sessionToken ?? ''].filter((v) => v.length >= 4)
      : [];
    let credentials: IAMClientConfig['credentials'];
    if (keys) {
      credentials = {
        accessKeyId: keys.accessKeyId,
        secretAccessKey: keys.secretAccessKey,
        ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
      };
    } else if (options.profile) {
      credentials = fromIni({ profile: options.profile });
    } else {
      throw new AppError(
        'CONNECTOR_AUTH',
        'This AWS connection has neither an access key pair nor a profile: add the access key id and secret access key, or name a profile of the AWS config files.',
      );
    }
    this.client = new IAMClient({
      region: this.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      credentials,
      // Explicit, so AWS_MAX_ATTEMPTS / AWS_RETRY_MODE or a config file cannot make retries unbounded.
      maxAttempts: tuning.maxAttempts,
      retryStrategy: new AwsRetryStrategy({
        maxAttempts: tuning.maxAttempts,
        baseDelayMs: tuning.retryBaseDelayMs,
        throttlingBaseDelayMs: tuning.throttlingBaseDelayMs,
        maxDelayMs: tuning.maxRetryDelayMs,
      }),
      requestHandler: {
        connectionTimeout: tuning.connectTimeoutMs,
        requestTimeout: tuning.requestTimeoutMs,
      },
    });
  }

  /** Where the requests go: the endpoint option, or IAM's endpoint for the region's partition. */
  async endpoint(): Promise<string> {
    if (this.options.endpoint) return this.options.endpoint;
    try {
      const resolved = this.client.config.endpointProvider(
        { Region: this.region, UseFIPS: false } as never,
        {},
      );
      return resolved.url.toString().replace(/\/$/, '');
    } catch {
      return 'https://iam.amazonaws.com';
    }
  }

  /**
   * Sends one read, keeping its raw answer as `name` in `responses` (when given). An error whose code
   * is in `expected` is an answer the caller handles: it comes back as an ExpectedIamError.
   */
  async call<Input extends ServiceInputTypes, Output extends ServiceOutputTypes>(
    action: string,
    command: IamCommand<Input, Output>,
    responses: PulledResponse[] | null,
    name: string = action,
    expected?: ReadonlySet<string>,
  ): Promise<Output> {
    this.throwIfCancelled();
    if (responses) keepRawBody(command, (body) => responses.push({ name, body }));
    try {
      return await this.client.send(command, { abortSignal: this.signal });
    } catch (error) {
      const code = errorCode(error);
      if (expected && code && expected.has(code) && !this.signal.aborted) throw new ExpectedIamError(code);
      throw this.translate(error, action);
    }
  }

  /** Every page of a List* action through the SDK's paginator, to the end (IsTruncated/Marker). */
  async *pages<Input extends object, Output>(
    action: string,
    paginate: IamPaginate<Input, Output>,
    input: Input,
    responses: PulledResponse[],
    name: string = action,
  ): AsyncGenerator<Output> {
    let pageNumber = 0;
    const paginator = paginate(
      {
        client: this.client,
        pageSize: this.tuning.pageSize,
        // A server that repeats its Marker would otherwise be paged forever.
        stopOnSameToken: true,
        withCommand: (command) => {
          pageNumber += 1;
          const label = `${name} (page ${pageNumber})`;
          keepRawBody(command, (body) => responses.push({ name: label, body }));
          return command;
        },
      },
      { ...input },
      { abortSignal: this.signal },
    );
    const iterator = paginator[Symbol.asyncIterator]();
    for (;;) {
      this.throwIfCancelled();
      let next: IteratorResult<Output>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw this.translate(error, action);
      }
      if (next.done) return;
      yield next.value;
    }
  }

  /** Waits `ms`, or stops at once with CANCELLED. */
  async sleep(ms: number): Promise<void> {
    this.throwIfCancelled();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelled());
      };
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  throwIfCancelled(): void {
    if (this.signal.aborted) throw cancelled();
  }

  close(): void {
    this.client.destroy();
  }

  /** What went wrong, for people, as an AppError; never with a secret in it. */
  translate(error: unknown, action: string): AppError {
    const appError = this.translateUnredacted(error, action);
    let message = appError.message;
    for (const secret of this.secretValues) message = message.split(secret).join('****');
    return new AppError(appError.code, message);
  }

  private translateUnredacted(error: unknown, action: string): AppError {
    if (error instanceof AppError) return error;
    if (this.signal.aborted) return cancelled();
    const e = (error ?? {}) as {
      name?: string;
      message?: string;
      code?: string;
      Code?: string;
      $metadata?: { httpStatusCode?: number; attempts?: number };
      cause?: { code?: string };
    };
    const code = e.Code ?? e.name ?? '';
    const status = e.$metadata?.httpStatusCode;
    const attempts = e.$metadata?.attempts;
    const awsSays = e.message ? ` AWS said: "${oneLine(e.message)}"` : '';
    const where = this.options.endpoint ? ` at ${this.options.endpoint}` : '';
    const who = this.options.profile ? `profile "${this.options.profile}"` : 'the access key';

    if (code === 'AbortError') return cancelled();
    if (
      code === 'CredentialsProviderError' ||
      /could not (load|resolve) credentials/i.test(e.message ?? '')
    ) {
      return new AppError(
        'CONNECTOR_AUTH',
        `No AWS credentials could be loaded for ${who}.${awsSays} Check that the profile exists in ~/.aws/credentials or ~/.aws/config and can be used without a prompt.`,
      );
    }
    if (AUTH_CODES.has(code)) {
      return new AppError(
        'CONNECTOR_AUTH',
        `AWS refused the credentials of ${who} (${code}).${awsSays} ${AUTH_ADVICE[code] ?? 'Check the access key id and secret access key, and that the key is active.'}`,
      );
    }
    if (PERMISSION_CODES.has(code) || (status === 403 && !THROTTLING_CODES.has(code))) {
      const named = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(e.message ?? '')?.[1];
      const permission = named ?? `iam:${action}`;
      return new AppError(
        'CONNECTOR_PERMISSION',
        `The credentials of ${who} may not call ${permission} (${code || `HTTP ${status}`}).${awsSays} Grant ${permission} to them (the AWS-managed policy IAMReadOnlyAccess holds every read Steward makes) and try again.`,
      );
    }
    if (THROTTLING_CODES.has(code) || status === 429) {
      return new AppError(
        'CONNECTOR_FAILED',
        `AWS kept throttling iam:${action}${attempts ? ` after ${attempts} attempts` : ''} (${code || 'HTTP 429'}). Nothing was saved; try again later, when the account is quieter.`,
      );
    }
    const network = networkCode(e);
    if (network) {
      const tls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(network);
      return new AppError(
        'CONNECTOR_UNREACHABLE',
        tls
          ? `The TLS certificate of the IAM endpoint${where} was not accepted (${network}). Check the endpoint address, or the proxy that intercepts TLS on this network.`
          : `The IAM endpoint${where} could not be reached (${network}) while calling iam:${action}. Check the endpoint, the network and any proxy, then try again.`,
      );
    }
    if (status !== undefined && status >= 500) {
      return new AppError(
        'CONNECTOR_FAILED',
        `IAM answered HTTP ${status}${code ? ` (${code})` : ''} to iam:${action}${attempts ? ` after ${attempts} attempts` : ''}. Nothing was saved; try again later.${awsSays}`,
      );
    }
    return new AppError(
      'CONNECTOR_FAILED',
      `iam:${action} failed${status ? ` with HTTP ${status}` : ''}${code ? ` (${code})` : ''}.${awsSays} Nothing was saved.`,
    );
  }
}

const AUTH_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'AuthFailure',
]);

const AUTH_ADVICE: Record<string, string> = {
  InvalidClientTokenId:
    'The access key id is not known to AWS: it may have been deleted, or belong to another partition (GovCloud, China).',
  SignatureDoesNotMatch:
    "The secret access key does not belong to this access key id (or this computer's clock is far off).",
  ExpiredToken: 'The session token has expired: get new temporary credentials.',
  ExpiredTokenException: 'The session token has expired: get new temporary credentials.',
  RequestExpired: "This computer's clock is far off: correct it and try again.",
};

const PERMISSION_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
]);

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
]);

function networkCode(e: { name?: string; code?: string; cause?: { code?: string } }): string | null {
  for (const candidate of [e.code, e.cause?.code, e.name]) {
    if (!candidate) continue;
    if (NETWORK_CODES.has(candidate)) return candidate;
    if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT)/.test(candidate))
      return candidate;
  }
  return null;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** An IAM error the caller asked to handle itself (e.g. the credential report is not ready). */
export class ExpectedIamError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'ExpectedIamError';
  }
}

function errorCode(error: unknown): string | null {
  const e = error as { Code?: unknown; name?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (typeof e.Code === 'string') return e.Code;
  return typeof e.name === 'string' ? e.name : null;
}

export function cancelled(): AppError {
  return new AppError('CANCELLED', 'The AWS pull was cancelled. Nothing was saved.');
}

/**
 * Keeps the raw body of a successful answer before the SDK parses it: the bytes are what the snapshot
 * hashes. Runs inside the SDK's deserializer (low priority in the deserialize step), once per attempt;
 * only a 2xx answer is kept, so a retried error leaves nothing behind.
 */
function keepRawBody(command: WithMiddleware, keep: (body: Buffer) => void): void {
  command.middlewareStack.add(
    ((next: (args: unknown) => Promise<{ response: { statusCode?: number; body?: unknown } }>) =>
      async (args: unknown) => {
        const result = await next(args);
        const response = result.response;
        if (response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300) {
          const body = await readAll(response.body);
          // The SDK re-types the array it parses (Uint8ArrayBlobAdapter): it gets a copy, we keep ours.
          response.body = new Uint8Array(body);
          keep(body);
        }
        return result;
      }) as never,
    { step: 'deserialize', priority: 'low', name: 'stewardKeepRawBody', override: true },
  );
}

async function readAll(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
