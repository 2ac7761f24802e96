import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { latestSchemaVersion } from '../../electron/core/db/migrate';
import { Vault } from '../../electron/core/vault/vault';
import { tempFolder } from '../support/temp-folder';

const PASSPHRASE = 'correct horse battery staple';
const CANARY = 'svc-canary-payroll-7f3a9c';

/** Every file in the folder with its SHA-256, to prove that an operation changed nothing on disk. */
function fingerprint(folder: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isFile()) result[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return result;
}

function filesContaining(folder: string, needle: string): string[] {
  const bytes = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  return readdirSync(folder).filter((name) => {
    const content = readFileSync(join(folder, name));
    return bytes.some((b) => content.includes(b));
  });
}

function insertIdentity(vault: Vault, name: string): void {
  const db = vault.database;
  const source = db
    .prepare(`INSERT INTO sources (name, kind, created_at) VALUES (?, 'aws', ?) RETURNING id`)
    .get('aws-prod', new Date().toISOString()) as { id: number };
  db.prepare(`INSERT INTO identities (source_id, external_id, kind, name) VALUES (?, ?, 'iam-user', ?)`).run(
    source.id,
    'AIDA000000000001',
    name,
  );
}

describe('vault', () => {
  it('creates an encrypted vault that is unlocked and reports its folder', async () => {
    const folder = join(tempFolder(), 'vault');
    const core = createCore({ vaultFolder: folder });
    expect(
      (await core.dispatch('vault.status', {})).ok && (await core.dispatch('vault.status', {})),
    ).toMatchObject({
      value: { state: 'absent', folder },
    });
    const created = await core.dispatch('vault.create', { passphrase: PASSPHRASE });
    expect(created).toMatchObject({
      ok: true,
      value: { state: 'unlocked', schemaVersion: latestSchemaVersion(), kdf: 'scrypt' },
    });
    expect(existsSync(join(folder, 'vault.json'))).toBe(true);
    expect(existsSync(join(folder, 'steward.db'))).toBe(true);
    // A SQLCipher file does not start with the plain SQLite magic.
    expect(readFileSync(join(folder, 'steward.db')).subarray(0, 15).toString('latin1')).not.toBe(
      'SQLite format 3',
    );
    core.close();
  });

  it('refuses a wrong passphrase with a clear error and changes nothing on disk', async () => {
    const folder = tempFolder();
    const core = createCore({ vaultFolder: folder });
    await core.dispatch('vault.create', { passphrase: PASSPHRASE });
    await core.dispatch('vault.lock', {});
    const before = fingerprint(folder);

    const result = await core.dispatch('vault.unlock', { passphrase: 'correct horse battery stapler' });

    expect(result).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: expect.stringMatching(/does not unlock this vault/) },
    });
    expect(fingerprint(folder)).toEqual(before);
    expect(await core.dispatch('vault.status', {})).toMatchObject({ value: { state: 'locked' } });
    core.close();
  });

  it('keeps a known identity name out of every file in the vault folder, WAL included', async () => {
    const folder = tempFolder();
    const vault = new Vault(folder);
    await vault.create(PASSPHRASE);
    insertIdentity(vault, CANARY);
    // While unlocked the write sits in the WAL; it must be encrypted there too.
    const walFiles = readdirSync(folder).filter((name) => name.endsWith('-wal'));
    expect(walFiles.length).toBe(1);
    expect(statSync(join(folder, walFiles[0]!)).size).toBeGreaterThan(0);
    expect(filesContaining(folder, CANARY)).toEqual([]);

    vault.lock();
    expect(filesContaining(folder, CANARY)).toEqual([]);

    // The name is really stored: unlocking reads it back.
    await vault.unlock(PASSPHRASE);
    expect(vault.database.prepare('SELECT name FROM identities').pluck().get()).toBe(CANARY);
    vault.lock();
  });

  it('changes the passphrase, keeps the data, and the old passphrase stops working', async () => {
    const folder = tempFolder();
    const vault = new Vault(folder);
    await vault.create(PASSPHRASE);
    insertIdentity(vault, CANARY);
    vault.lock();
    const databaseBefore = fingerprint(folder)['steward.db'];

    await vault.changePassphrase(PASSPHRASE, 'a different and longer passphrase');

    // Re-wrapping the key does not touch the database.
    expect(fingerprint(folder)['steward.db']).toBe(databaseBefore);
    await expect(vault.unlock(PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await vault.unlock('a different and longer passphrase');
    expect(vault.database.prepare('SELECT name FROM identities').pluck().get()).toBe(CANARY);
    vault.lock();
  });

  it('refuses a passphrase change when the current passphrase is wrong, leaving the header as it was', async () => {
    const folder = tempFolder();
    const core = createCore({ vaultFolder: folder });
    await core.dispatch('vault.create', { passphrase: PASSPHRASE });
    const before = readFileSync(join(folder, 'vault.json'), 'utf8');
    const result = await core.dispatch('vault.changePassphrase', {
      currentPassphrase: 'not the passphrase',
      newPassphrase: 'another long passphrase',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(readFileSync(join(folder, 'vault.json'), 'utf8')).toBe(before);
    core.close();
  });

  it('refuses to create a vault where one exists, and leaves the existing one intact', async () => {
    const folder = tempFolder();
    const first = createCore({ vaultFolder: folder });
    await first.dispatch('vault.create', { passphrase: PASSPHRASE });
    first.close();
    const before = fingerprint(folder);

    const second = createCore({ vaultFolder: folder });
    const result = await second.dispatch('vault.create', { passphrase: 'someone else entirely' });

    expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_EXISTS' } });
    expect(fingerprint(folder)).toEqual(before);
    expect(await second.dispatch('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    second.close();
  });

  it('rejects a short new passphrase at the edge', async () => {
    const folder = tempFolder();
    const core = createCore({ vaultFolder: folder });
    const result = await core.dispatch('vault.create', { passphrase: 'short' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /at least 12 characters/ },
    });
    expect(readdirSync(folder)).toEqual([]);
    core.close();
  });

  it('refuses a database written by a newer Steward without changing it', async () => {
    const folder = tempFolder();
    const vault = new Vault(folder);
    await vault.create(PASSPHRASE);
    vault.database.pragma('user_version = 99');
    vault.lock();
    const before = fingerprint(folder);

    await expect(vault.unlock(PASSPHRASE)).rejects.toMatchObject({
      code: 'VAULT_TOO_NEW',
      message: /newer Steward/,
    });
    expect(fingerprint(folder)).toEqual(before);
    expect(vault.isUnlocked).toBe(false);
  });

  it('refuses a header whose key-derivation settings were lowered (a downgrade)', async () => {
    const folder = tempFolder();
    const vault = new Vault(folder);
    await vault.create(PASSPHRASE);
    vault.lock();
    const header = JSON.parse(readFileSync(join(folder, 'vault.json'), 'utf8'));
    header.kdfParams.N = 1024;
    writeFileSync(join(folder, 'vault.json'), JSON.stringify(header));
    await expect(vault.unlock(PASSPHRASE)).rejects.toMatchObject({ code: 'KDF_TOO_WEAK' });
  });

  it('explains a corrupted header instead of failing obscurely', async () => {
    const folder = tempFolder();
    const vault = new Vault(folder);
    await vault.create(PASSPHRASE);
    vault.lock();
    writeFileSync(join(folder, 'vault.json'), '{"format":1,"app":"steward",');
    await expect(vault.unlock(PASSPHRASE)).rejects.toMatchObject({
      code: 'VAULT_CORRUPT',
      message: /backup/,
    });
  });

  it('refuses to open a vault that another Steward holds open', async () => {
    const folder = tempFolder();
    const first = createCore({ vaultFolder: folder });
    await first.dispatch('vault.create', { passphrase: PASSPHRASE });
    const second = createCore({ vaultFolder: folder });
    expect(await second.dispatch('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_IN_USE' },
    });
    first.close();
    expect(await second.dispatch('vault.unlock', { passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    second.close();
  });

  it('takes over a lock file left by a process that is gone', async () => {
    const folder = tempFolder();
    const vault = new Vault(folder);
    await vault.create(PASSPHRASE);
    vault.lock();
    // PIDs above the kernel's pid_max are never alive.
    writeFileSync(
      join(folder, 'steward.lock'),
      JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname() }),
    );
    await expect(vault.unlock(PASSPHRASE)).resolves.toMatchObject({ state: 'unlocked' });
    vault.lock();
  });

  it('emits vault.changed on create, lock and unlock', async () => {
    const core = createCore({ vaultFolder: tempFolder() });
    const states: string[] = [];
    core.onEvent((event) => {
      if (event.name === 'vault.changed') states.push((event.payload as { state: string }).state);
    });
    await core.dispatch('vault.create', { passphrase: PASSPHRASE });
    await core.dispatch('vault.lock', {});
    await core.dispatch('vault.unlock', { passphrase: PASSPHRASE });
    expect(states).toEqual(['unlocked', 'locked', 'unlocked']);
    core.close();
  });
});
