import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { tempFolder } from '../../support/temp-folder';
import { StewardSession, type LaunchOptions } from './steward-page';

/** A passphrase zxcvbn rates "Very strong": four unrelated words. */
export const STRONG_PASSPHRASE = 'tundra walnut ledger prism';
export const OTHER_STRONG_PASSPHRASE = 'amber-violin-quarry-meadow';

/**
 * Returns a launcher whose sessions are closed after each test, before the temp folders go: the core
 * must let go of the database before its folder is removed.
 */
export function stewardLauncher(): (options?: Partial<LaunchOptions>) => Promise<StewardSession> {
  const sessions: StewardSession[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });
  return async (options = {}) => {
    const session = await StewardSession.launch({
      vaultFolder: options.vaultFolder ?? join(tempFolder('steward-e2e-'), 'northwind-q3-review'),
      ...(options.dialogs === undefined ? {} : { dialogs: options.dialogs }),
    });
    sessions.push(session);
    return session;
  };
}

/** Waits, up to a generous bound, until `read()` satisfies the assertion; the UI updates asynchronously. */
export function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000 });
}

/** The app's own pages must never log an error nor trip their own Content-Security-Policy. */
export async function expectCleanPage(session: StewardSession): Promise<void> {
  expect(await session.cspViolations()).toEqual([]);
  expect(session.pageErrors).toEqual([]);
}
