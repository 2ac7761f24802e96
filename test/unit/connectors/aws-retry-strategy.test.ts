import { describe, expect, it } from 'vitest';
import { AwsRetryStrategy } from '../../../electron/core/connectors/aws/aws-retry-strategy';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const settings = { maxAttempts: 3, baseDelayMs: 100, throttlingBaseDelayMs: 1_000, maxDelayMs: 30_000 };

/** A strategy whose jitter is `jitter` and whose clock stands still, so delays are exact. */
const strategy = (jitter = 1) =>
  new AwsRetryStrategy(
    settings,
    () => jitter,
    () => NOW,
  );

describe('AWS retry strategy', () => {
  it("waits out a Retry-After in full, beyond the SDK's five-second allowance, up to the cap", async () => {
    const retry = strategy(0);
    const first = await retry.acquireInitialRetryToken();
    const asked = (seconds: number) => ({
      errorType: 'THROTTLING' as const,
      retryAfterHint: new Date(NOW + seconds * 1000),
    });
    expect((await retry.refreshRetryTokenForRetry(first, asked(12))).getRetryDelay()).toBe(12_000);
    expect((await retry.refreshRetryTokenForRetry(first, asked(120))).getRetryDelay()).toBe(30_000);
  });

  it('backs off exponentially from a longer base for throttling than for transient errors', async () => {
    const retry = strategy(1);
    const first = await retry.acquireInitialRetryToken();
    const transient = await retry.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' });
    expect(transient.getRetryDelay()).toBe(100);
    expect(
      (await retry.refreshRetryTokenForRetry(transient, { errorType: 'TRANSIENT' })).getRetryDelay(),
    ).toBe(200);
    expect((await retry.refreshRetryTokenForRetry(first, { errorType: 'THROTTLING' })).getRetryDelay()).toBe(
      1_000,
    );
  });

  it('stops after maxAttempts, and never retries client or non-transient server errors', async () => {
    const retry = strategy();
    const first = await retry.acquireInitialRetryToken();
    const second = await retry.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' });
    const third = await retry.refreshRetryTokenForRetry(second, { errorType: 'THROTTLING' });
    expect(third.getRetryCount()).toBe(2);
    await expect(retry.refreshRetryTokenForRetry(third, { errorType: 'TRANSIENT' })).rejects.toThrow();
    await expect(retry.refreshRetryTokenForRetry(first, { errorType: 'CLIENT_ERROR' })).rejects.toThrow();
    await expect(retry.refreshRetryTokenForRetry(first, { errorType: 'SERVER_ERROR' })).rejects.toThrow();
  });
});
