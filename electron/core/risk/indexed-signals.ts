import type { Db } from '../db/open-database';

/**
 * Marks the index stale. Called inside the transaction of every write that changes what signals
 * read (a snapshot, the roster, the risk policy), so the index is never read as current afterwards.
 */
export function invalidateSignalIndex(db: Db): void {
  db.prepare('DELETE FROM signal_index_state').run();
}
