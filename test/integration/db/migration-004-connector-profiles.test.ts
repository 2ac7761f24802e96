import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { tempFolder } from '../../support/temp-folder';

function freshDatabase() {
  return openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
}

describe('migration 004', () => {
  it('adds connector profiles (names unique without case, JSON checked) and the pull record to a version 3 vault', () => {
    const db = freshDatabase();
    migrate(db, migrations.slice(0, 3));
    migrate(db, migrations.slice(0, 4));
    expect(schemaVersionOf(db)).toBe(4);

    const insertProfile = db.prepare(
      `INSERT INTO connector_profiles (name, type, options, secrets, created_at, updated_at)
       VALUES (?, 'github', ?, ?, 'now', 'now')`,
    );
    insertProfile.run('nwl-github', '{"org":"northwind-logistics"}', '{"token":"ghp_x"}');
    expect(() => insertProfile.run('NWL-GitHub', '{}', '{}')).toThrow(/UNIQUE/);
    expect(() => insertProfile.run('other', 'not json', '{}')).toThrow(/CHECK/);
    expect(() => insertProfile.run('other', '{}', '{broken')).toThrow(/CHECK/);

    db.prepare(`INSERT INTO sources (name, kind, created_at) VALUES ('nwl-github', 'github', 'now')`).run();
    db.prepare(
      `INSERT INTO snapshots (source_id, format, imported_by, imported_at) VALUES (1, 'connector', 'ana', 'now')`,
    ).run();
    const insertPull = db.prepare(
      `INSERT INTO connector_pulls (profile_name, type, started_at, finished_at, outcome, snapshot_id, message, items, started_by)
       VALUES ('nwl-github', 'github', 's', 'f', ?, ?, ?, 3, 'ana')`,
    );
    insertPull.run('ok', 1, null);
    insertPull.run('failed', null, 'GitHub answered 500');
    insertPull.run('cancelled', null, 'Cancelled');
    expect(() => insertPull.run('partly', null, null)).toThrow(/CHECK/);

    // Removing a profile keeps its pulls: they name it, they do not depend on it.
    db.prepare('DELETE FROM connector_profiles').run();
    expect(db.prepare('SELECT count(*) FROM connector_pulls').pluck().get()).toBe(3);
    db.close();
  });
});
