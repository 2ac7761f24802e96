import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RISK_POLICY } from '../../../shared/domain/risk';
import { createCore, type Core } from '../../../electron/core/core';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

let core: Core;
afterEach(() => core.close());

describe('policy.get and policy.update', () => {
  it('starts with the stated defaults, saves a change, and keeps it across lock and unlock', async () => {
    core = createCore({ vaultFolder: tempFolder() });
    await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE });
    expect(await core.dispatch('policy.get', {})).toMatchObject({
      ok: true,
      value: { isDefault: true, problem: null, policy: DEFAULT_RISK_POLICY, defaults: DEFAULT_RISK_POLICY },
    });
    const updated = await core.dispatch('policy.update', {
      policy: { ...DEFAULT_RISK_POLICY, staleDays: 45 },
    });
    expect(updated).toMatchObject({ ok: true, value: { isDefault: false, policy: { staleDays: 45 } } });
    await core.dispatch('vault.lock', {});
    await core.dispatch('vault.unlock', { passphrase: TEST_PASSPHRASE });
    expect(await core.dispatch('policy.get', {})).toMatchObject({ value: { policy: { staleDays: 45 } } });
  });

  it('refuses a policy a user could not mean, in the form\u2019s words, and keeps the saved one', async () => {
    core = createCore({ vaultFolder: tempFolder() });
    await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE });
    const refused = await core.dispatch('policy.update', {
      policy: { ...DEFAULT_RISK_POLICY, staleDays: -3 },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /days/ } });
    expect(await core.dispatch('policy.get', {})).toMatchObject({ value: { isDefault: true } });
  });
});
