import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { runImport } from '../../../electron/core/imports/import-runner';
import { listIdentities } from '../../../electron/core/inventory/identity-query';
import { ensureSignalIndex } from '../../../electron/core/risk/signal-index';
import { tempFolder } from '../../support/temp-folder';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

describe('migration 010', () => {
  it('replaces the signal index of sentences by one of codes, to be rebuilt, and the vault still checkpoints', async () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 9));
    db.exec(`
      INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'cmdb', 'inventory', 'now');
      INSERT INTO identities (id, source_id, external_id, kind, name) VALUES (1, 1, 'NHI-1', 'api-key', 'svc-edi');
      INSERT INTO identity_signals (identity_id, code, severity, reason)
        VALUES (1, 'no-owner', 'high', 'No owner is recorded for this identity.');
      INSERT INTO signal_index_state (id, as_of, computed_at, identities) VALUES (1, '2026-11-01', 'then', 1);
    `);

    migrate(db, migrations.slice(0, 10));
    expect(schemaVersionOf(db)).toBe(10);
    // Derived data: dropped and marked not built, so the next read rebuilds it in the new form.
    expect(db.prepare('SELECT count(*) FROM signal_index_state').pluck().get()).toBe(0);
    // The drop skipped zeroing the old index's pages; deletes after it zero theirs again.
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.prepare('SELECT count(*) FROM identity_signals').pluck().get()).toBe(0);
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('identity_signals')).toEqual([
      'code',
      'identity_id',
      'reason',
    ]);

    // Today's code reads today's schema (migration 011 keeps the index by date).
    migrate(db);
    await runImport(db, { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')], importedBy: 'test' });
    ensureSignalIndex(db, '2026-11-01');
    // Per-identity signals are stored without their sentence; a page evaluates it as it reads.
    expect(db.prepare('SELECT count(*) FROM identity_signals WHERE reason IS NOT NULL').pluck().get()).toBe(
      0,
    );
    const page = listIdentities(db, {
      signal: 'no-owner',
      limit: 100,
      offset: 0,
      sort: 'name',
      direction: 'asc',
      asOf: '2026-11-01',
    });
    expect(page.total).toBeGreaterThan(0);
    for (const identity of page.items)
      expect(identity.signals.find((s) => s.code === 'no-owner')?.reason).toMatch(/owner/i);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // An import switches the journal to DELETE and back; the vault must still checkpoint when locked
    // (a dropped column once made this fail: see migration 009).
    expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    db.close();
  });
});
