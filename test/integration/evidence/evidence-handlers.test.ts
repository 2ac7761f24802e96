import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../electron/core/core';
import { generateSigner } from '../../../electron/core/evidence/signer-material';
import { packParts, signedPack, writeCampaignLog } from '../../support/evidence-fixture';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE, unlockedVault } from '../../support/unlocked-vault';

describe('evidence handlers through core.dispatch', () => {
  it('verifies a pack with no vault at all, and answers INVALID_FILE for a path that cannot be read', async () => {
    const vault = await unlockedVault();
    const { fingerprint } = await generateSigner(vault.database, {
      name: 'Dana Whitfield',
      email: 'dana@northwind.example',
    });
    const pdf = await signedPack(vault.database, packParts(writeCampaignLog(vault.database)));
    vault.lock();
    const file = join(tempFolder(), 'pack.pdf');
    writeFileSync(file, pdf);

    const core = createCore({ vaultFolder: tempFolder() });
    const result = await core.dispatch('evidence.verify', { path: file, trust: [fingerprint] });
    expect(result).toMatchObject({ ok: true, value: { ok: true, signer: { trusted: true } } });
    const defaulted = await core.dispatch('evidence.verify', { path: file });
    expect(defaulted).toMatchObject({ ok: true, value: { ok: true, signer: { trusted: null } } });
    expect(await core.dispatch('evidence.verify', { path: join(tempFolder(), 'none.pdf') })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FILE', message: /does not exist/ },
    });
    core.close();
  });

  it('creates, shows and imports signers in an unlocked vault only, never echoing the PKCS#12 password', async () => {
    const folder = tempFolder();
    const core = createCore({ vaultFolder: folder });
    await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE });
    expect(await core.dispatch('signer.get', {})).toEqual({ ok: true, value: null });
    const created = await core.dispatch('signer.create', {
      name: 'Dana Whitfield',
      email: 'dana@northwind.example',
    });
    expect(created).toMatchObject({ ok: true, value: { origin: 'generated' } });
    expect(await core.dispatch('signer.get', {})).toEqual(created);

    const notP12 = join(tempFolder(), 'garbage.p12');
    writeFileSync(notP12, randomBytes(300));
    const secret = 'Never-Echo-This-Password';
    const refused = await core.dispatch('signer.import', { path: notP12, password: secret });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_FILE' } });
    expect(JSON.stringify(refused)).not.toContain(secret);

    await core.dispatch('vault.lock', {});
    expect(await core.dispatch('signer.get', {})).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    core.close();
  });
});
