import type { Db } from './open-database';

/**
 * A bulk write (an import, a campaign launch) runs with a rollback journal and a big page cache, then
 * the database goes back to WAL for interactive use (PERFORMANCE.md: WAL costs 1.5-1.8x during a bulk
 * load on an encrypted database, and a small cache makes every index insert decrypt pages again). The
 * caller's one transaction keeps the all-or-nothing promise in either journal mode. The vault keeps one
 * connection open at a time, which is what lets the journal mode change here.
 *
 * Foreign keys are not checked during the load: the caller makes every reference itself from rows it
 * has just read or written, and checking them cost one B-tree search per reference. The tests check
 * the result with `PRAGMA foreign_key_check`.
 *
 * Returns the function that puts the connection back as it was.
 */
export function enterBulkLoad(db: Db): () => void {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('cache_size = -131072'); // 128 MiB
  db.pragma('journal_mode = DELETE');
  db.pragma('foreign_keys = OFF');
  return () => {
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    db.pragma('journal_mode = WAL');
  };
}
