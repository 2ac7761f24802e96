import type { Migration } from '../migrate';

/**
 * The data model of DESIGN.md: sources and their snapshots (the population evidence), identities
 * keyed by (source, external id) with their credentials and entitlements, and the people of the HR
 * roster. Secret values are never stored: credentials hold metadata only.
 */
export const migration001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE vault_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        format TEXT NOT NULL,
        parameters TEXT NOT NULL DEFAULT '{}',
        rows_read INTEGER NOT NULL DEFAULT 0,
        rows_imported INTEGER NOT NULL DEFAULT 0,
        rows_rejected INTEGER NOT NULL DEFAULT 0,
        imported_by TEXT NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE snapshot_files (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        name TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (snapshot_id, name)
      ) STRICT;

      CREATE TABLE snapshot_rejects (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        file TEXT NOT NULL,
        row INTEGER NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;

      CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        -- Ids are compared without letter case: IAM, AD, Entra, GCP and Kubernetes all treat them so,
        -- and an export that lists "sa1577" and "SA1577" lists one account twice.
        external_id TEXT NOT NULL COLLATE NOCASE,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        environment TEXT,
        status TEXT NOT NULL DEFAULT 'active',
        description TEXT,
        created_at TEXT,
        last_used_at TEXT,
        first_seen_snapshot_id INTEGER REFERENCES snapshots(id),
        last_seen_snapshot_id INTEGER REFERENCES snapshots(id),
        attributes TEXT NOT NULL DEFAULT '{}',
        UNIQUE (source_id, external_id)
      ) STRICT;
      CREATE INDEX identities_kind_env_used ON identities(kind, environment, last_used_at);

      CREATE TABLE identity_owners (
        identity_id INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
        owner_ref TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('business', 'technical')),
        PRIMARY KEY (identity_id, owner_ref, role)
      ) STRICT;

      CREATE TABLE credentials (
        id INTEGER PRIMARY KEY,
        identity_id INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
        external_id TEXT,
        type TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        created_at TEXT,
        last_rotated_at TEXT,
        expires_at TEXT,
        last_used_at TEXT
      ) STRICT;
      CREATE INDEX credentials_identity ON credentials(identity_id);

      CREATE TABLE entitlements (
        id INTEGER PRIMARY KEY,
        identity_id INTEGER NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        resource TEXT,
        privileged INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX entitlements_identity ON entitlements(identity_id);

      CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        name TEXT,
        department TEXT,
        manager_email TEXT COLLATE NOCASE,
        status TEXT NOT NULL,
        termination_date TEXT
      ) STRICT;
    `);
  },
};
