import type { Migration } from '../migrate';

/**
 * The risk signals of every identity at one as-of date, so the inventory can filter a million
 * identities by signal through an index and show each page's badges without evaluating the whole
 * population per page (`shared-across-environments` needs all of it).
 *
 * The table is derived data: `signal_index_state` says at which as-of date it was computed, and every
 * write that changes what signals read (a snapshot, the roster, the risk policy) deletes that row in
 * its own transaction, so a stale index is never read as current.
 */
export const migration006IdentitySignals: Migration = {
  version: 6,
  name: 'identity-signals',
  up(db) {
    db.exec(`
      CREATE TABLE identity_signals (
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (identity_id, code)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX identity_signals_by_code ON identity_signals (code, identity_id);

      CREATE TABLE signal_index_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        as_of TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        identities INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
