import type { Migration } from '../migrate';

/**
 * What issue 3's imports need beyond the initial model: per-aspect hashes so a re-import can tell
 * what changed without reading every child row, a change log between snapshots, "not seen since"
 * instead of deletion, saved column mappings, and roster aliases (UPN, DN) for owner resolution.
 */
export const migration002SnapshotHistory: Migration = {
  version: 2,
  name: 'snapshot-history',
  up(db) {
    db.exec(`
      ALTER TABLE identities ADD COLUMN core_hash TEXT;
      ALTER TABLE identities ADD COLUMN owners_hash TEXT;
      ALTER TABLE identities ADD COLUMN credentials_hash TEXT;
      ALTER TABLE identities ADD COLUMN entitlements_hash TEXT;
      ALTER TABLE identities ADD COLUMN not_seen_since_snapshot_id INTEGER REFERENCES snapshots(id);
      -- The row that brought the identity in its last snapshot, to name it when a later row repeats the id.
      ALTER TABLE identities ADD COLUMN last_seen_row INTEGER;
      CREATE INDEX identities_source_seen ON identities(source_id, last_seen_snapshot_id);

      ALTER TABLE snapshots ADD COLUMN preset TEXT;
      ALTER TABLE snapshots ADD COLUMN content_sha256 TEXT;
      -- A partial snapshot (a page missing, a list shorter than its total) never marks anything not seen.
      ALTER TABLE snapshots ADD COLUMN is_full INTEGER NOT NULL DEFAULT 1;

      -- Facts about the files an auditor should read that are not rejected rows (a binding naming an
      -- account that does not exist, a sign-in record for a deleted app, a population that is partial).
      CREATE TABLE snapshot_notes (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        file TEXT NOT NULL,
        row INTEGER NOT NULL,
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX snapshots_source_content ON snapshots(source_id, content_sha256);

      CREATE TABLE identity_changes (
        id INTEGER PRIMARY KEY,
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        change TEXT NOT NULL CHECK (change IN ('added', 'changed', 'not-seen', 'seen-again')),
        aspects TEXT NOT NULL DEFAULT '[]',
        details TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX identity_changes_identity ON identity_changes(identity_id, snapshot_id);
      CREATE INDEX identity_changes_snapshot ON identity_changes(snapshot_id);

      CREATE TABLE column_mappings (
        header_signature TEXT PRIMARY KEY,
        mapping TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE people_aliases (
        alias TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE
      ) STRICT;

      -- The roster person an owner reference resolved to (null: not in the roster), kept current by
      -- every import and roster import so owner status can be filtered in SQL at any as-of date.
      ALTER TABLE identity_owners ADD COLUMN person_id INTEGER REFERENCES people(id) ON DELETE SET NULL;
      CREATE INDEX identity_owners_ref ON identity_owners(owner_ref);
      CREATE INDEX identity_owners_person ON identity_owners(person_id);

      -- Indexes for the inventory's sorts and filters: no screen may scan a million encrypted rows.
      CREATE INDEX identities_name ON identities(name);
      CREATE INDEX identities_last_used ON identities(last_used_at);
      CREATE INDEX identities_source_name ON identities(source_id, name);
      CREATE INDEX identities_kind_name ON identities(kind, name);
      CREATE INDEX identities_environment_name ON identities(environment, name);

      ALTER TABLE people ADD COLUMN employee_id TEXT;
      ALTER TABLE people ADD COLUMN imported_at TEXT;
    `);
  },
};
