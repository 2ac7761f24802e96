import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/**
 * The SDK's retry rules, except that a `Retry-After` (or `x-amz-retry-after`) is waited out in full,
 * up to `maxDelayMs`: the SDK's standard strategy waits at most 5 s beyond its own backoff, so it
 * would come back early to a server that asked for 30 s and spend an attempt on a certain refusal.
 * The backoff bases are settings, so tests run in milliseconds. The wait itself is the SDK retry
 * middleware's, which a cancel (the request's abort signal) interrupts.
 *
 * Retried, as the SDK decides them: throttling (429, `Throttling` and the like) and transient errors
 * (500, 502, 503, 504, timeouts, dropped connections). Everything else fails at once. The number of
 * attempts is bounded by `maxAttempts`, first one included.
 */
export interface AwsRetrySettings {
  maxAttempts: number;
  /** Backoff base for transient errors; each retry doubles it, with full jitter. */
  baseDelayMs: number;
  /** Backoff base for throttling, which wants a longer pause than a dropped connection. */
  throttlingBaseDelayMs: number;
  /** No wait is longer, whatever the server asks. */
  maxDelayMs: number;
}

class AwsRetryToken implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
  ) {}

  getRetryCount(): number {
    return this.count;
  }

  getRetryDelay(): number {
    return this.delay;
  }
}

export class AwsRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';

  constructor(
    private readonly settings: AwsRetrySettings,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return new AwsRetryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount();
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    if (!retryable || retries + 1 >= this.settings.maxAttempts) {
      // The middleware rethrows the request's own error when this fails.
      throw new Error('No retry token available');
    }
    return new AwsRetryToken(retries + 1, this.delayFor(retries, errorInfo));
  }

  recordSuccess(): void {}

  /** Jittered exponential backoff, or the server's Retry-After when longer; never above the cap. */
  delayFor(retries: number, errorInfo: RetryErrorInfo): number {
    const { baseDelayMs, throttlingBaseDelayMs, maxDelayMs } = this.settings;
    const base = errorInfo.errorType === 'THROTTLING' ? throttlingBaseDelayMs : baseDelayMs;
    const backoff = this.random() * Math.min(base * 2 ** retries, maxDelayMs);
    const asked = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - this.now() : 0;
    return Math.round(Math.min(Math.max(backoff, asked), maxDelayMs));
  }
}
