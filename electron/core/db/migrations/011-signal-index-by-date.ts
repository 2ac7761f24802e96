import type { Migration } from '../migrate';
import { withoutZeroingFreedPages } from '../secure-delete';

/**
 * The signal index keeps up to three as-of dates instead of one.
 *
 * With one date, every read for another date rebuilt it, and reads alternate between dates as a
 * matter of course: the inventory's counts are for today while its list may be as of another day, and
 * a campaign's scope preview is as of the campaign's date. At a million identities each rebuild takes
 * half a minute, so going back and forth between the inventory and a campaign draft cost a minute
 * each time. Each date's rows sit under a small slot number (not the date: 10 bytes more in each of
 * about four million keys per date at a million identities); signal_index_state says which date each
 * slot holds. signal-index.ts decides which dates stay. For the same reason a row names its signal by
 * number (indexed-signals.ts), not by code: three dates of rows then take about what one took.
 *
 * Derived data, as in migration 010: both tables are dropped without zeroing their pages and made
 * again empty, so the next read rebuilds the index.
 */
export const migration011SignalIndexByDate: Migration = {
  version: 11,
  name: 'signal-index-by-date',
  up(db) {
    withoutZeroingFreedPages(db, () =>
      db.exec('DROP TABLE identity_signals; DROP TABLE signal_index_state;'),
    );
    db.exec(`
      CREATE TABLE signal_index_state (
        slot INTEGER PRIMARY KEY,
        as_of TEXT NOT NULL UNIQUE,
        computed_at TEXT NOT NULL,
        identities INTEGER NOT NULL,
        -- Counts builds, so the dates built last are known even when two builds share a millisecond.
        build_number INTEGER NOT NULL
      ) STRICT;
      -- Keyed by slot, then signal: a signal filter and the counts read one signal's run of ids of one
      -- date, and a build appends to one run per signal of its own slot.
      CREATE TABLE identity_signals (
        slot INTEGER NOT NULL,
        signal INTEGER NOT NULL,
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        -- Only for signals judged over the population (shared-across-environments); NULL otherwise.
        reason TEXT,
        PRIMARY KEY (slot, signal, identity_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
