import type { Migration } from '../migrate';

/**
 * An identity's description and its other attributes (the export's columns that map to no field) move
 * out of `identities` into `identity_details`, one row per identity under the same id. They were two
 * thirds of each identities row, and every sort index of the inventory is built by reading that whole
 * table: after a large import SQLite builds three of them, each decrypting every page. A narrow row
 * makes those scans (and any page of the inventory) read a third of the pages. Only the identity
 * detail, the import's comparison, the risk signals and a campaign's frozen record read the details.
 *
 * The two columns stay in `identities`, emptied (NULL and '{}', three bytes a row), and nothing reads
 * or writes them. `ALTER TABLE ... DROP COLUMN` would remove them, but on this SQLite build a
 * connection that switched its journal from DELETE back to WAL after such a drop (as every import
 * does) could no longer checkpoint: `wal_checkpoint(TRUNCATE)` failed with "database table is locked"
 * until another statement ran, and locking the vault checkpoints.
 */
export const migration009IdentityDetails: Migration = {
  version: 9,
  name: 'identity-details',
  up(db) {
    db.exec(`
      CREATE TABLE identity_details (
        identity_id INTEGER PRIMARY KEY REFERENCES identities(id),
        description TEXT,
        attributes TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      INSERT INTO identity_details (identity_id, description, attributes)
        SELECT id, description, attributes FROM identities ORDER BY id;
      UPDATE identities SET description = NULL, attributes = '{}'
        WHERE description IS NOT NULL OR attributes <> '{}';
    `);
  },
};
