import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { DEFAULT_RISK_POLICY } from '../../../shared/domain/risk';
import {
  RISK_POLICY_KEY,
  readRiskPolicy,
  writeRiskPolicy,
} from '../../../electron/core/risk/risk-policy-store';
import type { Vault } from '../../../electron/core/vault/vault';
import { TEST_PASSPHRASE, unlockedVault } from '../../support/unlocked-vault';

let vault: Vault | null = null;
afterEach(() => {
  vault?.lock();
  vault = null;
});

const custom = {
  staleDays: 60,
  maxCredentialAgeDays: 180,
  farFutureExpiryYears: 3,
  privilegedNamePatterns: ['*Admin*', 'db_owner'],
  highRiskSignals: ['owner-terminated', 'shared-across-environments'],
};

function storeRaw(value: string): void {
  vault!.database
    .prepare(
      'INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(RISK_POLICY_KEY, value);
}

describe('the risk policy in the vault', () => {
  it('is the default policy until one is saved', async () => {
    vault = await unlockedVault();
    expect(readRiskPolicy(vault.database)).toEqual({
      policy: DEFAULT_RISK_POLICY,
      isDefault: true,
      problem: null,
    });
  });

  it('is saved as JSON under vault_meta risk-policy and read back, across a lock and unlock', async () => {
    vault = await unlockedVault();
    expect(writeRiskPolicy(vault.database, custom)).toEqual(custom);
    const stored = vault.database
      .prepare('SELECT value FROM vault_meta WHERE key = ?')
      .pluck()
      .get(RISK_POLICY_KEY);
    expect(JSON.parse(stored as string)).toEqual(custom);
    vault.lock();
    await vault.unlock(TEST_PASSPHRASE);
    expect(readRiskPolicy(vault.database)).toEqual({ policy: custom, isDefault: false, problem: null });
  });

  it('is not readable from the files on disk without the key', async () => {
    vault = await unlockedVault();
    writeRiskPolicy(vault.database, { ...custom, privilegedNamePatterns: ['nwl-secret-role-pattern'] });
    const folder = vault.folder;
    vault.lock();
    for (const name of readdirSync(folder))
      expect(readFileSync(join(folder, name)).includes('nwl-secret-role-pattern'), name).toBe(false);
    await vault.unlock(TEST_PASSPHRASE);
  });

  it('fills fields left out with their defaults, and replaces the previous policy', async () => {
    vault = await unlockedVault();
    writeRiskPolicy(vault.database, custom);
    expect(writeRiskPolicy(vault.database, { staleDays: 30 })).toEqual({
      ...DEFAULT_RISK_POLICY,
      staleDays: 30,
    });
    expect(readRiskPolicy(vault.database).policy).toEqual({ ...DEFAULT_RISK_POLICY, staleDays: 30 });
  });

  it('refuses an invalid policy with every problem named, and keeps the saved one', async () => {
    vault = await unlockedVault();
    writeRiskPolicy(vault.database, custom);
    let error: unknown;
    try {
      writeRiskPolicy(vault.database, { ...custom, staleDays: 0, privilegedNamePatterns: ['*'] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_INPUT');
    expect((error as AppError).message).toBe(
      'The risk policy was not saved: Stale after (days) must be a whole number of days from 1 to 3650. ' +
        'Also privileged: entitlement names: each entry needs at least one letter or digit; a pattern of only * or ? would mark every entitlement privileged.',
    );
    expect(readRiskPolicy(vault.database).policy).toEqual(custom);
  });

  it('falls back to the defaults, and says why, when the saved policy no longer validates', async () => {
    vault = await unlockedVault();
    storeRaw(JSON.stringify({ ...custom, staleDays: 99999 }));
    expect(readRiskPolicy(vault.database)).toEqual({
      policy: DEFAULT_RISK_POLICY,
      isDefault: true,
      problem:
        'The saved risk policy is not valid, so the default policy applies: Stale after (days) must be a whole number of days from 1 to 3650. ' +
        'Correct it in Settings and save it again.',
    });
  });

  it('falls back to the defaults, and says why, when the saved policy is not JSON', async () => {
    vault = await unlockedVault();
    storeRaw('{"staleDays": 60,');
    const state = readRiskPolicy(vault.database);
    expect(state).toMatchObject({ policy: DEFAULT_RISK_POLICY, isDefault: true });
    expect(state.problem).toBe(
      'The saved risk policy cannot be read (it is not valid JSON), so the default policy applies. Save the policy again in Settings.',
    );
    // Saving a valid policy repairs it.
    writeRiskPolicy(vault.database, custom);
    expect(readRiskPolicy(vault.database)).toEqual({ policy: custom, isDefault: false, problem: null });
  });
});
