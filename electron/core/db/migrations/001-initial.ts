import type { Migration } from '../migrate';

/**
 * The data model of DESIGN.md: sources and their snapshots (the population evidence), identities
 * keyed by (source, external id) with their owners, credentials and entitlements, the people of the
 * HR roster, and the history of identities across snapshots. Secret values are never stored:
 * credentials hold metadata only.
 *
 * Shaped for imports of a million rows into an encrypted file, where every B-tree an insert touches
 * costs page decryptions: children are WITHOUT ROWID tables keyed by their identity, owner references
 * are stored once and linked to roster people once (not per identity), and identities carry only the
 * indexes the inventory's filters and sorts need.
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
        preset TEXT,
        parameters TEXT NOT NULL DEFAULT '{}',
        rows_read INTEGER NOT NULL DEFAULT 0,
        rows_imported INTEGER NOT NULL DEFAULT 0,
        rows_rejected INTEGER NOT NULL DEFAULT 0,
        -- SHA-256 over the files' hashes: the same export imported again is recognised by it.
        content_sha256 TEXT,
        -- A partial snapshot (a page missing, a list shorter than its total) never marks anything not seen.
        is_full INTEGER NOT NULL DEFAULT 1,
        imported_by TEXT NOT NULL,
        imported_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX snapshots_source_content ON snapshots(source_id, content_sha256);

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
      CREATE INDEX snapshot_rejects_snapshot ON snapshot_rejects(snapshot_id);

      -- Facts about the files an auditor should read that are not rejected rows (a binding naming an
      -- account that does not exist, a sign-in record for a deleted app, a population that is partial).
      CREATE TABLE snapshot_notes (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        file TEXT NOT NULL,
        row INTEGER NOT NULL,
        message TEXT NOT NULL
      ) STRICT;
      CREATE INDEX snapshot_notes_snapshot ON snapshot_notes(snapshot_id);

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
        attributes TEXT NOT NULL DEFAULT '{}',
        first_seen_snapshot_id INTEGER REFERENCES snapshots(id),
        last_seen_snapshot_id INTEGER REFERENCES snapshots(id),
        -- The row that brought the identity in its last snapshot, to name it when a later row repeats the id.
        last_seen_row INTEGER,
        not_seen_since_snapshot_id INTEGER REFERENCES snapshots(id),
        -- Per-aspect hashes: a re-import tells what changed without reading the child rows. 53-bit
        -- integers: they only tell whether an aspect changed, and bind and store cheaper than text.
        -- (The identity's own columns are compared as they are: they come with the row.)
        owners_hash INTEGER,
        credentials_hash INTEGER,
        entitlements_hash INTEGER,
        UNIQUE (source_id, external_id)
      ) STRICT;
      -- The inventory's filters and sorts; no screen may scan a million encrypted rows.
      CREATE INDEX identities_kind_env_used ON identities(kind, environment, last_used_at);
      CREATE INDEX identities_name ON identities(name);
      CREATE INDEX identities_last_used ON identities(last_used_at);

      -- The inventory's search: whole words and word prefixes of names, ids and key ids (backup,
      -- svc-edi, the start of an access key id), through FTS5 with the unicode61 tokenizer. A trigram
      -- index would also find fragments inside words, but takes 50 s and 558 MB per million identities
      -- to build (PERFORMANCE.md), which no import could afford. Contentless: the text lives in
      -- identities and credentials, and the snapshot writer keeps the index in step (new identities,
      -- changed names and keys), deleting an entry with the values it was indexed with. No column
      -- sizes: they serve only bm25 ranking, which the inventory does not use, and cost a B-tree row
      -- per identity.
      CREATE VIRTUAL TABLE identities_fts USING fts5(
        name, external_id, key_ids, content = '',
        tokenize = 'unicode61 remove_diacritics 2', columnsize = 0
      );

      -- Owner references as the sources write them (e-mail, UPN, DN, a name), each stored once and
      -- linked to the roster person it names, so a roster import relinks thousands of references
      -- rather than millions of identity rows.
      CREATE TABLE owner_refs (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
        person_id INTEGER REFERENCES people(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX owner_refs_person ON owner_refs(person_id);

      CREATE TABLE identity_owners (
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        role TEXT NOT NULL CHECK (role IN ('business', 'technical')),
        owner_ref_id INTEGER NOT NULL REFERENCES owner_refs(id),
        PRIMARY KEY (identity_id, role, owner_ref_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE credentials (
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        position INTEGER NOT NULL,
        external_id TEXT,
        type TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        created_at TEXT,
        last_rotated_at TEXT,
        expires_at TEXT,
        last_used_at TEXT,
        PRIMARY KEY (identity_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE entitlements (
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        resource TEXT,
        privileged INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (identity_id, position)
      ) STRICT, WITHOUT ROWID;

      -- What changed between snapshots. An identity's arrival is its first_seen_snapshot_id, not a row.
      CREATE TABLE identity_changes (
        id INTEGER PRIMARY KEY,
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        change TEXT NOT NULL CHECK (change IN ('changed', 'not-seen', 'seen-again')),
        aspects TEXT NOT NULL DEFAULT '[]',
        details TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX identity_changes_identity ON identity_changes(identity_id, snapshot_id);
      CREATE INDEX identity_changes_snapshot ON identity_changes(snapshot_id);

      CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL COLLATE NOCASE UNIQUE,
        name TEXT,
        employee_id TEXT,
        department TEXT,
        manager_email TEXT COLLATE NOCASE,
        status TEXT NOT NULL,
        termination_date TEXT,
        imported_at TEXT
      ) STRICT;

      -- Other handles the directory knows a person by (UPN, DN), for owner resolution.
      CREATE TABLE people_aliases (
        alias TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE
      ) STRICT;

      -- Column mappings the user confirmed, by header signature, reused for the next export of that layout.
      CREATE TABLE column_mappings (
        header_signature TEXT PRIMARY KEY,
        mapping TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
