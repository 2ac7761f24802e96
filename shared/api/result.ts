import type { AppErrorShape } from './errors';

/** What every call through the contract returns, on every transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: AppErrorShape): Result<never> {
  return { ok: false, error };
}
