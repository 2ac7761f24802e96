import { Vault } from '../../electron/core/vault/vault';
import { tempFolder } from './temp-folder';

export const TEST_PASSPHRASE = 'correct horse battery staple';

/** A real encrypted vault in a temp folder, created and unlocked. Lock it at the end of the test. */
export async function unlockedVault(): Promise<Vault> {
  const vault = new Vault(tempFolder());
  await vault.create(TEST_PASSPHRASE);
  return vault;
}
