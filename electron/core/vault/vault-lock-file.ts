import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/api/errors';

const LOCK_FILE = 'steward.lock';
/** Lock files this process holds, so a second core in the same process is refused too. */
const heldByThisProcess = new Set<string>();

/**
 * SQLite allows two processes to open the same file; two Stewards writing one vault would interleave
 * imports and decisions. The lock file names its holder so a stale one (its process gone) is taken over
 * instead of locking the user out forever.
 */
export class VaultLockFile {
  private held = false;

  constructor(private readonly folder: string) {}

  acquire(): void {
    const path = join(this.folder, LOCK_FILE);
    const me = { pid: process.pid, host: hostname() };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        writeFileSync(path, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
        heldByThisProcess.add(path);
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(path);
        if (holder && isAlive(holder, path)) {
          throw new AppError(
            'VAULT_IN_USE',
            `This vault is open in another Steward (process ${holder.pid} on ${holder.host}). ` +
              'Lock or close it there, then try again.',
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new AppError(
      'VAULT_IN_USE',
      'This vault is being opened by another Steward. Try again in a moment.',
    );
  }

  release(): void {
    if (!this.held) return;
    const path = join(this.folder, LOCK_FILE);
    rmSync(path, { force: true });
    heldByThisProcess.delete(path);
    this.held = false;
  }
}

function readHolder(path: string): { pid: number; host: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return { pid: parsed.pid, host: parsed.host };
  } catch {
    // An unreadable lock file was cut short by a crash: treat it as stale.
  }
  return null;
}

function isAlive(holder: { pid: number; host: string }, path: string): boolean {
  // A lock taken on another host (a shared folder) cannot be checked from here: respect it.
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldByThisProcess.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
