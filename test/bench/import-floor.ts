// The floor under the CSV import's ratio: the rows Steward writes for the benchmark's inventory, written
// by SQLite alone. The reference's own plain table (the sqlite3 CLI's `.import`) is attached to a fresh
// vault database (same cipher, schema, pragmas and bulk-load settings as an import) and copied with
// `INSERT … SELECT`: no CSV parsing, no mapping, no JavaScript per row. No importer writing the same
// rows into the same encrypted schema can be faster than this, so this row tells how much of the
// import's ratio is Steward's code and how much is the work the data model asks for.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { enterBulkLoad } from '../../electron/core/db/bulk-load';
import { migrate } from '../../electron/core/db/migrate';
import { openEncryptedDatabase } from '../../electron/core/db/open-database';
import { INDEX_BUILD_CACHE } from '../../electron/core/imports/snapshot-writer';

/** Columns of the reference table (`c1`…`c15`) in BENCH_HEADER's order. */
const IDENTITY_ROWS = `
  INSERT INTO identities (id, source_id, external_id, kind, name, environment, status, description,
      created_at, last_used_at, first_seen_snapshot_id, last_seen_snapshot_id, last_seen_row, attributes,
      owners_hash, credentials_hash, entitlements_hash)
    SELECT rowid, 1, c1,
      CASE c3 WHEN 'API Key' THEN 'api-key' WHEN 'IAM User' THEN 'iam-user' WHEN 'SSH Key' THEN 'ssh-key'
        WHEN 'App Registration' THEN 'app-registration' WHEN 'Kubernetes SA' THEN 'kubernetes-service-account'
        WHEN 'Bot' THEN 'bot' ELSE 'service-account' END,
      c2, c5, 'unknown', c11, c15 || 'T00:00:00.000Z', c8 || 'T00:00:00.000Z', 1, 1, rowid + 1, '{}',
      rowid * 7919, rowid * 104729, 0
    FROM reference.inventory`;

/** What the column mapper keeps of the unmapped columns, as one JSON object per identity. */
const ATTRIBUTE_ROWS = `
  INSERT INTO identity_attributes (identity_id, attributes)
    SELECT rowid, json_object('sourceType', c3, 'privileged', json(iif(c10 = 'Y', 'true', 'false')),
      'usageReported', json('true'), 'System', c4, 'Department', c13, 'Cost Center', c14)
    FROM reference.inventory`;

const SEARCH_ROWS = `
  INSERT INTO identities_fts (rowid, name, external_id, key_ids)
    SELECT rowid, c2, c1, '' FROM reference.inventory`;

const OWNER_ROWS = `
  INSERT OR IGNORE INTO owner_refs (ref) SELECT c6 FROM reference.inventory;
  INSERT OR IGNORE INTO owner_refs (ref) SELECT c7 FROM reference.inventory;
  INSERT INTO identity_owners (identity_id, role, owner_ref_id)
    SELECT i.rowid, 'business', r.id FROM reference.inventory i JOIN owner_refs r ON r.ref = i.c6;
  INSERT INTO identity_owners (identity_id, role, owner_ref_id)
    SELECT i.rowid, 'technical', r.id FROM reference.inventory i JOIN owner_refs r ON r.ref = i.c7`;

const CREDENTIAL_AND_ENTITLEMENT_ROWS = `
  INSERT INTO credentials (identity_id, position, type, status, last_rotated_at)
    SELECT rowid, 0, 'password', 'active', c9 || 'T00:00:00.000Z' FROM reference.inventory;
  INSERT INTO entitlements (identity_id, position, name, privileged)
    SELECT rowid, 0, 'Privileged access (declared)', 1 FROM reference.inventory WHERE c10 = 'Y'`;

/**
 * Milliseconds SQLite takes to write the rows of `referenceDb`'s `inventory` table into a new vault
 * database in `work`, with the sort indexes built after the rows as a first import builds them.
 */
export function timeSqliteAloneWritingTheVaultRows(work: string, referenceDb: string): number {
  const path = join(work, 'floor.db');
  const removeFiles = () => {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  removeFiles();
  const db = openEncryptedDatabase(path, randomBytes(32), { create: true });
  try {
    migrate(db);
    const restore = enterBulkLoad(db);
    // An empty key attaches the reference as the plain file it is.
    db.prepare(`ATTACH ? AS reference KEY ''`).run(referenceDb);
    const started = process.hrtime.bigint();
    db.exec('BEGIN IMMEDIATE');
    db.exec(
      `INSERT INTO sources (name, kind, created_at) VALUES ('cmdb', 'csv', '2026-11-25T00:00:00.000Z')`,
    );
    db.exec(`INSERT INTO snapshots (source_id, format, preset, parameters, imported_by, imported_at,
               content_sha256, is_full)
             VALUES (1, 'csv', 'cmdb-generic', '{}', 'bench', '2026-11-25T00:00:00.000Z', '0', 1)`);
    const sortIndexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'identities' AND sql IS NOT NULL`,
      )
      .all() as Array<{ name: string; sql: string }>;
    for (const index of sortIndexes) db.exec(`DROP INDEX ${index.name}`);
    db.exec(IDENTITY_ROWS);
    db.exec(ATTRIBUTE_ROWS);
    db.exec(SEARCH_ROWS);
    db.exec(OWNER_ROWS);
    db.exec(CREDENTIAL_AND_ENTITLEMENT_ROWS);
    db.pragma(`cache_size = ${INDEX_BUILD_CACHE}`);
    for (const index of sortIndexes) db.exec(index.sql);
    db.exec('COMMIT');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assertEveryRowWritten(db);
    db.exec('DETACH reference');
    restore();
    return ms;
  } finally {
    db.close();
    removeFiles();
  }
}

/** A floor that skipped rows would flatter the import: every table must hold what the import writes. */
function assertEveryRowWritten(db: ReturnType<typeof openEncryptedDatabase>): void {
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const rows = count('SELECT count(*) FROM reference.inventory');
  const expected: Array<[string, number, number]> = [
    ['identities', count('SELECT count(*) FROM identities'), rows],
    ['identity_attributes', count('SELECT count(*) FROM identity_attributes'), rows],
    ['identity_owners', count('SELECT count(*) FROM identity_owners'), 2 * rows],
    ['credentials', count('SELECT count(*) FROM credentials'), rows],
    [
      'entitlements',
      count('SELECT count(*) FROM entitlements'),
      count(`SELECT count(*) FROM reference.inventory WHERE c10 = 'Y'`),
    ],
  ];
  for (const [table, actual, wanted] of expected) {
    if (actual !== wanted) throw new Error(`the floor wrote ${actual} rows into ${table}, not ${wanted}`);
  }
}
