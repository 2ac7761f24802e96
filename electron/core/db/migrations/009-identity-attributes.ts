import type { Migration } from '../migrate';

/**
 * An identity's attributes (the export's columns that map to no field, and facts a preset keeps) move
 * out of `identities` into `identity_attributes`, one row per identity under the same id. They were
 * 40% of each identities row, and every sort index of the inventory is built by reading that whole
 * table: after a large import SQLite builds three of them, each decrypting every page. Only the
 * identity detail, the import's comparison, the risk signals and a campaign's frozen record read the
 * attributes, each by id. (The description stays: every list page shows it in its records, and a
 * second table there costs a page read per row.)
 *
 * The old column stays in `identities`, emptied ('{}', three bytes a row), and nothing reads or
 * writes it. `ALTER TABLE ... DROP COLUMN` would remove it, but on this SQLite build a connection that
 * switched its journal from DELETE back to WAL after such a drop (as every import does) could no
 * longer checkpoint: `wal_checkpoint(TRUNCATE)` failed with "database table is locked" until another
 * statement ran, and locking the vault checkpoints.
 */
export const migration009IdentityAttributes: Migration = {
  version: 9,
  name: 'identity-attributes',
  up(db) {
    db.exec(`
      CREATE TABLE identity_attributes (
        identity_id INTEGER PRIMARY KEY REFERENCES identities(id),
        attributes TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      INSERT INTO identity_attributes (identity_id, attributes)
        SELECT id, attributes FROM identities ORDER BY id;
      UPDATE identities SET attributes = '{}' WHERE attributes <> '{}';
    `);
  },
};
