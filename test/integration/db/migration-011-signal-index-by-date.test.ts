import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { runImport } from '../../../electron/core/imports/import-runner';
import { ensureSignalIndex, signalIndexDates } from '../../../electron/core/risk/signal-index';
import { tempFolder } from '../../support/temp-folder';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const columnsOf = (db: ReturnType<typeof openEncryptedDatabase>, table: string) =>
  db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table);

describe('migration 011', () => {
  it('replaces the one-date signal index by one keyed by date, to be rebuilt, and the vault still checkpoints', async () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 10));
    db.exec(`
      INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'cmdb', 'inventory', 'now');
      INSERT INTO identities (id, source_id, external_id, kind, name) VALUES (1, 1, 'NHI-1', 'api-key', 'svc-edi');
      INSERT INTO identity_signals (code, identity_id, reason) VALUES ('no-owner', 1, NULL);
      INSERT INTO signal_index_state (id, as_of, computed_at, identities) VALUES (1, '2026-11-01', 'then', 1);
    `);

    migrate(db, migrations.slice(0, 11));
    expect(schemaVersionOf(db)).toBe(11);
    // Derived data: both tables made again, empty, so the next read rebuilds the index.
    expect(db.prepare('SELECT count(*) FROM identity_signals').pluck().get()).toBe(0);
    expect(signalIndexDates(db)).toEqual([]);
    expect(columnsOf(db, 'identity_signals')).toEqual(['slot', 'signal', 'identity_id', 'reason']);
    expect(columnsOf(db, 'signal_index_state')).toEqual([
      'slot',
      'as_of',
      'computed_at',
      'identities',
      'build_number',
    ]);
    // The drop skipped zeroing the old pages; deletes after it zero theirs again.
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    // One slot per date.
    db.exec(`INSERT INTO signal_index_state VALUES (0, '2026-11-01', 'now', 0, 1)`);
    expect(() => db.exec(`INSERT INTO signal_index_state VALUES (1, '2026-11-01', 'now', 0, 2)`)).toThrow(
      /UNIQUE/,
    );
    db.exec('DELETE FROM signal_index_state');

    await runImport(db, { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')], importedBy: 'test' });
    ensureSignalIndex(db, '2026-11-01');
    ensureSignalIndex(db, '2025-11-01');
    expect(signalIndexDates(db)).toEqual(['2025-11-01', '2026-11-01']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // An import switches the journal to DELETE and back; the vault must still checkpoint when locked.
    expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    db.close();
  });
});
