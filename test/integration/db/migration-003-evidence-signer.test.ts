import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { tempFolder } from '../../support/temp-folder';

const insert = `INSERT INTO evidence_signers (name, email, fingerprint, certificate_pem, private_key_pem,
  not_before, not_after, origin, created_at, active) VALUES (?, NULL, 'AB', 'pem', ?, 'a', 'b', ?, 'now', ?)`;

describe('migration 003', () => {
  it('adds the evidence signers of a version 2 vault: one active, an active one keeps its key', () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 2));
    migrate(db, migrations.slice(0, 3));
    expect(schemaVersionOf(db)).toBe(3);
    db.prepare(insert).run('first', 'key', 'generated', 1);
    // A second active signer is refused; a retired one (no key) is kept.
    expect(() => db.prepare(insert).run('second', 'key', 'imported', 1)).toThrow(/UNIQUE/);
    db.prepare(insert).run('retired', null, 'generated', 0);
    expect(() => db.prepare(insert).run('keyless', null, 'generated', 1)).toThrow(/CHECK/);
    expect(() => db.prepare(insert).run('odd', 'key', 'self-made', 0)).toThrow(/CHECK/);
    expect(db.prepare('SELECT name FROM evidence_signers WHERE active = 1').pluck().all()).toEqual(['first']);
    db.close();
  });
});
