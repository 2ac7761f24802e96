import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { identityDetail } from '../../../electron/core/inventory/identity-detail';
import { tempFolder } from '../../support/temp-folder';

describe('migration 009', () => {
  it('moves attributes into identity_attributes, and the inventory reads them from there', () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 8));
    db.exec(`
      INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'cmdb', 'inventory', 'now');
      INSERT INTO identities (id, source_id, external_id, kind, name, description, attributes) VALUES
        (1, 1, 'NHI-1', 'api-key', 'svc-edi', 'Carrier portal transfer', '{"Department":"Logistics IT","privileged":false}'),
        (2, 1, 'NHI-2', 'bot', 'release-bot', NULL, '{}');
    `);

    migrate(db, migrations.slice(0, 9));
    expect(schemaVersionOf(db)).toBe(9);
    expect(db.prepare('SELECT * FROM identity_attributes ORDER BY identity_id').all()).toEqual([
      { identity_id: 1, attributes: '{"Department":"Logistics IT","privileged":false}' },
      { identity_id: 2, attributes: '{}' },
    ]);
    // The old column is left empty, so the narrower rows are what every index build scans.
    expect(db.prepare('SELECT attributes FROM identities').pluck().all()).toEqual(['{}', '{}']);

    // Today's code reads today's schema: the later migrations leave the attributes where 009 put them.
    migrate(db);
    const detail = identityDetail(db, 1, '2026-11-24');
    expect(detail.identity.description).toBe('Carrier portal transfer');
    expect(detail.attributes).toEqual({ Department: 'Logistics IT', privileged: false });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
