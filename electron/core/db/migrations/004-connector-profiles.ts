import type { Migration } from '../migrate';

/**
 * Connector profiles and the record of every pull.
 *
 * A profile's secrets (tokens, client secrets, access keys, a kubeconfig) live in `secrets` as JSON,
 * inside this SQLCipher database and nowhere else: the vault's encryption is their protection. The
 * options are the non-secret settings (org, tenant, endpoint), shown as they are.
 *
 * `connector_pulls` keeps every pull, failed and cancelled ones too, by the profile's name rather
 * than a foreign key: removing a profile keeps its history, as it keeps the snapshots its pulls made.
 */
export const migration004ConnectorProfiles: Migration = {
  version: 4,
  name: 'connector-profiles',
  up(db) {
    db.exec(`
      CREATE TABLE connector_profiles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        type TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
        secrets TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(secrets)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE connector_pulls (
        id INTEGER PRIMARY KEY,
        profile_name TEXT NOT NULL COLLATE NOCASE,
        type TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'cancelled')),
        snapshot_id INTEGER REFERENCES snapshots(id),
        -- On failure, what failed (redacted of the profile's secrets); null when the pull succeeded.
        message TEXT,
        -- Identities the pull brought, or read before it stopped.
        items INTEGER NOT NULL DEFAULT 0,
        started_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX connector_pulls_profile ON connector_pulls(profile_name, started_at);
    `);
  },
};
