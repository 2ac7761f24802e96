import type { Db } from '../db/open-database';

/**
 * The signal index's rows of one as-of date: `identity_signals` rows whose slot holds the date bound
 * to the one parameter. Reads use it as `FROM identity_signals WHERE ${SLOT_OF_DATE} AND …`.
 */
export const SLOT_OF_DATE = 'slot = (SELECT slot FROM signal_index_state WHERE as_of = ?)';

/**
 * Marks the index stale for every date it holds. Called inside the transaction of every write that
 * changes what signals read (a snapshot, the roster, the risk policy), so the index is never read as
 * current afterwards; the next build deletes the rows no date claims any more.
 */
export function invalidateSignalIndex(db: Db): void {
  db.prepare('DELETE FROM signal_index_state').run();
}
