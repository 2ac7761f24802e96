import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import type { DialogPort } from '../../electron/core/ports';
import { tempFolder } from '../support/temp-folder';

const noDialogs: DialogPort = {
  chooseVaultFolder: async () => null,
  chooseImportFiles: async () => null,
  chooseSavePath: async () => null,
};

describe('core.dispatch', () => {
  it('answers an unknown method with UNKNOWN_METHOD instead of throwing', async () => {
    const core = createCore({ vaultFolder: tempFolder() });
    expect(await core.dispatch('vault.destroyEverything', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    core.close();
  });

  it('rejects input that does not match the contract before any handler runs', async () => {
    const folder = tempFolder();
    const core = createCore({ vaultFolder: folder });
    const result = await core.dispatch('vault.create', { passphrase: 'long enough passphrase', extra: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await core.dispatch('vault.status', {})).toMatchObject({ value: { state: 'absent' } });
    core.close();
  });

  it('changes the passphrase of a locked vault, since that only re-wraps the key', async () => {
    const core = createCore({ vaultFolder: tempFolder() });
    await core.dispatch('vault.create', { passphrase: 'long enough passphrase' });
    await core.dispatch('vault.lock', {});
    const again = await core.dispatch('vault.changePassphrase', {
      currentPassphrase: 'long enough passphrase',
      newPassphrase: 'an even longer passphrase',
    });
    expect(again).toMatchObject({ ok: true, value: { state: 'locked' } });
    core.close();
  });

  it('reports NOT_AVAILABLE for a desktop power no port provides', async () => {
    const core = createCore({ vaultFolder: tempFolder() });
    expect(await core.dispatch('vault.chooseFolder', { purpose: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_AVAILABLE', message: /--data DIR/ },
    });
    core.close();
  });

  it('switches to the folder the dialog port returns, locking the current vault first', async () => {
    const first = tempFolder();
    const second = tempFolder();
    const core = createCore({
      vaultFolder: first,
      ports: { dialogs: { ...noDialogs, chooseVaultFolder: async () => second } },
    });
    await core.dispatch('vault.create', { passphrase: 'long enough passphrase' });
    const chosen = await core.dispatch('vault.chooseFolder', { purpose: 'create' });
    expect(chosen).toMatchObject({
      ok: true,
      value: { cancelled: false, status: { state: 'absent', folder: second } },
    });
    // The first vault was locked on the way: another core can open it.
    const other = createCore({ vaultFolder: first });
    expect(await other.dispatch('vault.unlock', { passphrase: 'long enough passphrase' })).toMatchObject({
      ok: true,
    });
    other.close();
    core.close();
  });

  it('leaves everything as it was when the dialog is cancelled', async () => {
    const folder = tempFolder();
    const core = createCore({
      vaultFolder: folder,
      ports: { dialogs: noDialogs },
    });
    expect(await core.dispatch('vault.chooseFolder', { purpose: 'open' })).toMatchObject({
      ok: true,
      value: { cancelled: true, status: { folder } },
    });
    core.close();
  });
});
