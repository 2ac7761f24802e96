import { mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from '../core/system/atomic-write';

/** The small file in userData that remembers which vault folder was used last. */
export const VAULT_FOLDER_MEMORY_FILE = 'last-vault-folder.json';

/** Where the vault lives when the user never chose one: inside the app's own userData folder. */
export function defaultVaultFolder(userDataFolder: string): string {
  return join(userDataFolder, 'vault');
}

/**
 * The vault folder to open at start: the remembered one, or the default. A missing, unreadable or
 * hand-edited file falls back to the default rather than blocking the start; the remembered folder
 * itself is not checked here, because the core reports a missing vault clearly.
 */
export function readVaultFolder(userDataFolder: string): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(userDataFolder, VAULT_FOLDER_MEMORY_FILE), 'utf8'));
    const folder = (parsed as { vaultFolder?: unknown } | null)?.vaultFolder;
    if (typeof folder === 'string' && isAbsolute(folder)) return folder;
  } catch {
    // Fall through to the default.
  }
  return defaultVaultFolder(userDataFolder);
}

/** Remembers `vaultFolder` for the next start, atomically so a crash never leaves half a file. */
export function rememberVaultFolder(userDataFolder: string, vaultFolder: string): void {
  mkdirSync(userDataFolder, { recursive: true });
  writeFileAtomic(
    join(userDataFolder, VAULT_FOLDER_MEMORY_FILE),
    `${JSON.stringify({ vaultFolder }, null, 2)}\n`,
  );
}
