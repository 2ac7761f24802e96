import type { Migration } from '../migrate';
import { withoutZeroingFreedPages } from '../secure-delete';

/**
 * The signal index keeps what a filter and the counts need, and no longer a sentence per signal.
 *
 * Migration 006 stored every signal's reason and severity. At a million identities that was 4.1
 * million sentences, 630 MB of the vault (plus 110 MB for the index by code), more than the identities
 * themselves, and rebuilding it (once a day, and after every import) took about a minute, most of it
 * writing and then securely deleting those sentences. A reason depends only on the identity, the date
 * and the policy, so the records of a page are evaluated when they are read, the same code the index
 * was built with; the index answers "which identities carry this signal". One signal is the
 * exception: `shared-across-environments` needs the whole population, so its reason stays stored. The
 * severity is the policy's for the code, read with the policy.
 *
 * The index is derived data: the old table is dropped and the index state cleared, so the next read
 * rebuilds it in the new form. The drop does not overwrite the freed pages with zeros (secure_delete
 * FAST, for this statement only): they stay encrypted under the vault's key, and every sentence in
 * them restates what the vault still holds in its identities, so zeroing 740 MB (17 s of a million-
 * identity vault's first unlock, against 3 s) would protect nothing.
 */
export const migration010SlimSignalIndex: Migration = {
  version: 10,
  name: 'slim-signal-index',
  up(db) {
    withoutZeroingFreedPages(db, () =>
      db.exec('DROP INDEX identity_signals_by_code; DROP TABLE identity_signals;'),
    );
    db.exec(`
      -- Keyed by code first: a signal filter and the counts read one code's run of ids, and the
      -- build appends to one run per code.
      CREATE TABLE identity_signals (
        code TEXT NOT NULL,
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        -- Only for signals judged over the population (shared-across-environments); NULL otherwise.
        reason TEXT,
        PRIMARY KEY (code, identity_id)
      ) STRICT, WITHOUT ROWID;
      DELETE FROM signal_index_state;
    `);
  },
};
