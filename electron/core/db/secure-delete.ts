import type { Db } from './open-database';

/**
 * Runs `write` with secure_delete FAST instead of ON (open-database.ts), then restores ON. For deleting
 * derived data only (the signal index), whose content restates what the vault still holds: freed
 * pages stay encrypted under the vault's key, and zeroing them costs a write of every page, a third
 * of rebuilding the index and most of dropping it.
 */
export function withoutZeroingFreedPages<T>(db: Db, write: () => T): T {
  db.pragma('secure_delete = FAST');
  try {
    return write();
  } finally {
    db.pragma('secure_delete = ON');
  }
}
