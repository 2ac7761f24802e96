import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultVaultFolder,
  readVaultFolder,
  rememberVaultFolder,
  VAULT_FOLDER_MEMORY_FILE,
} from '../../../electron/shell/vault-folder-memory';
import { tempFolder } from '../../support/temp-folder';

describe('remembered vault folder', () => {
  it('defaults to a vault folder inside userData', () => {
    const userData = tempFolder();
    expect(readVaultFolder(userData)).toBe(join(userData, 'vault'));
    expect(defaultVaultFolder(userData)).toBe(join(userData, 'vault'));
  });

  it('remembers the last folder across starts, leaving no temp files behind', () => {
    const userData = tempFolder();
    rememberVaultFolder(userData, '/home/ana/Vaults/q3');
    rememberVaultFolder(userData, '/home/ana/Vaults/q4');
    expect(readVaultFolder(userData)).toBe('/home/ana/Vaults/q4');
    expect(readdirSync(userData)).toEqual([VAULT_FOLDER_MEMORY_FILE]);
    expect(JSON.parse(readFileSync(join(userData, VAULT_FOLDER_MEMORY_FILE), 'utf8'))).toEqual({
      vaultFolder: '/home/ana/Vaults/q4',
    });
  });

  it('creates userData when it does not exist yet', () => {
    const userData = join(tempFolder(), 'Steward');
    rememberVaultFolder(userData, '/srv/vault');
    expect(readVaultFolder(userData)).toBe('/srv/vault');
  });

  it.each([
    ['broken JSON', '{"vaultFolder": '],
    ['a relative path', '{"vaultFolder": "vault"}'],
    ['a wrong type', '{"vaultFolder": 42}'],
    ['null', 'null'],
  ])('falls back to the default on %s', (_label, content) => {
    const userData = tempFolder();
    writeFileSync(join(userData, VAULT_FOLDER_MEMORY_FILE), content);
    expect(readVaultFolder(userData)).toBe(join(userData, 'vault'));
  });
});
