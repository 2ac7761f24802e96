import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  latestSchemaVersion,
  migrate,
  schemaVersionOf,
  type Migration,
} from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { tempFolder } from '../../support/temp-folder';

function freshDatabase() {
  return openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
}

function tableNames(db: ReturnType<typeof freshDatabase>): string[] {
  return db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    migrations.forEach((migration, index) => expect(migration.version).toBe(index + 1));
  });

  it('001 creates the data model of DESIGN.md', () => {
    const db = freshDatabase();
    migrate(db, migrations.slice(0, 1));
    expect(schemaVersionOf(db)).toBe(1);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining([
        'credentials',
        'entitlements',
        'identities',
        'identity_changes',
        'identity_owners',
        'owner_refs',
        'people',
        'snapshot_files',
        'snapshot_rejects',
        'snapshots',
        'sources',
        'vault_meta',
        'column_mappings',
        'people_aliases',
        'snapshot_notes',
      ]),
    );
    // (source, external id) is the identity key across snapshots.
    db.prepare(`INSERT INTO sources (name, kind, created_at) VALUES ('aws', 'aws', 'now')`).run();
    const insert = db.prepare(
      `INSERT INTO identities (source_id, external_id, kind, name) VALUES (1, 'x', 'iam-user', 'n')`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('002 adds campaigns, review items, sign-offs and an append-only decision log to a version 1 vault', () => {
    const db = freshDatabase();
    migrate(db, migrations.slice(0, 1));
    migrate(db, migrations.slice(0, 2));
    expect(schemaVersionOf(db)).toBe(2);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['campaigns', 'review_items', 'signoffs', 'decision_log']),
    );
    db.prepare(
      `INSERT INTO decision_log (seq, ts, actor, action, payload, prev_hash, hash) VALUES (1, 't', 'a', 'x', '{}', 'p', 'h')`,
    ).run();
    expect(() => db.prepare(`UPDATE decision_log SET actor = 'b'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM decision_log').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO campaigns (name, as_of, owner, state, created_at) VALUES ('q', 'd', 'o', 'done', 'n')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('bring a fresh database to the latest version and are idempotent', () => {
    const db = freshDatabase();
    expect(migrate(db)).toBe(latestSchemaVersion());
    const tables = tableNames(db);
    expect(migrate(db)).toBe(latestSchemaVersion());
    expect(tableNames(db)).toEqual(tables);
    db.close();
  });

  it('refuse a database from a newer version without writing to it', () => {
    const db = freshDatabase();
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer Steward/);
    expect(schemaVersionOf(db)).toBe(999);
    expect(tableNames(db)).toEqual([]);
    db.close();
  });

  it('apply each migration whole or not at all', () => {
    const db = freshDatabase();
    const broken: Migration[] = [
      migrations[0]!,
      {
        version: 2,
        name: 'half-done',
        up(target) {
          target.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)');
          throw new Error('disk went away');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow(/disk went away/);
    expect(schemaVersionOf(db)).toBe(1);
    expect(tableNames(db)).not.toContain('half_done');
    db.close();
  });

  it('refuse a list with gaps in its numbering', () => {
    const db = freshDatabase();
    expect(() => migrate(db, [{ ...migrations[0]!, version: 2 }])).toThrow(/without gaps/);
    db.close();
  });
});
