import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reviewQueueColumns } from '../../../electron/core/campaigns/review-item-columns';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import { tempFolder } from '../../support/temp-folder';

const identity: IdentityRecord = {
  id: 1,
  source: 'aws:123456789012',
  kind: 'iam-user',
  externalId: 'arn:aws:iam::123456789012:user/ci-deployer',
  name: 'ci-deployer',
  environment: null,
  status: 'active',
  description: null,
  owners: [
    { email: 'ana.silva@northwindlogistics.example', role: 'technical', status: 'active' },
    { email: 'arjun.moreau@northwindlogistics.example', role: 'business', status: 'terminated' },
  ],
  createdAt: '2020-01-01T00:00:00.000Z',
  lastUsedAt: '2026-10-01T00:00:00.000Z',
  credentials: [
    {
      externalId: 'AKIA1',
      type: 'access-key',
      createdAt: '2021-01-01T00:00:00.000Z',
      lastRotatedAt: '2024-05-01T00:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
      status: 'active',
    },
    {
      externalId: 'AKIA2',
      type: 'access-key',
      createdAt: '2023-03-01T00:00:00.000Z',
      lastRotatedAt: null,
      expiresAt: null,
      lastUsedAt: null,
      status: 'active',
    },
  ],
  entitlements: [],
  notSeenSince: null,
  signals: [],
};
const signals = [
  { code: 'owner-terminated', reason: 'left', severity: 'high' },
  { code: 'credential-old', reason: 'old', severity: 'medium' },
] as const;

describe('migration 005', () => {
  it('copies the queue columns out of items launched before it, as launch computes them, and indexes them', () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(
      db,
      migrations.filter((m) => m.version <= 4),
    );
    db.exec(`
      INSERT INTO sources (id, name, kind, created_at) VALUES (1, 'aws:123456789012', 'aws', 'now');
      INSERT INTO identities (id, source_id, external_id, kind, name) VALUES (1, 1, 'x', 'iam-user', 'ci-deployer'),
                                                                            (2, 1, 'y', 'iam-user', 'orphan');
      INSERT INTO campaigns (id, name, as_of, owner, state, created_at) VALUES (1, 'Q4', '2026-11-01', 'o', 'open', 'now');
    `);
    const insert = db.prepare(
      `INSERT INTO review_items (campaign_id, identity_id, name, source, kind, frozen, signals, reviewer, routing)
       VALUES (1, ?, ?, 'aws:123456789012', 'iam-user', ?, ?, 'ana.silva@northwindlogistics.example', '{}')`,
    );
    insert.run(1, 'ci-deployer', JSON.stringify({ identity, attributes: {} }), JSON.stringify(signals));
    const orphan = { ...identity, id: 2, name: 'orphan', owners: [], credentials: [], lastUsedAt: null };
    insert.run(2, 'orphan', JSON.stringify({ identity: orphan, attributes: {} }), '[]');

    migrate(
      db,
      migrations.filter((m) => m.version <= 5),
    );
    expect(schemaVersionOf(db)).toBe(5);
    const rows = db
      .prepare(
        `SELECT external_id AS externalId, owner_email AS ownerEmail, owner_status AS ownerStatus,
                last_used_at AS lastUsedAt, oldest_credential_at AS oldestCredentialAt,
                signal_codes AS signalCodes, risk_score AS riskScore FROM review_items ORDER BY id`,
      )
      .all();
    expect(rows).toEqual([reviewQueueColumns(identity, signals), reviewQueueColumns(orphan, [])]);
    expect(rows[0]).toMatchObject({
      ownerEmail: 'arjun.moreau@northwindlogistics.example',
      ownerStatus: 'terminated',
      oldestCredentialAt: '2023-03-01T00:00:00.000Z',
      signalCodes: ',owner-terminated,credential-old,',
      riskScore: 110,
    });
    expect(rows[1]).toMatchObject({ ownerEmail: null, ownerStatus: 'none', signalCodes: ',', riskScore: 0 });

    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_items'`)
      .pluck()
      .all();
    expect(indexes).toEqual(expect.arrayContaining(['review_items_queue_name', 'review_items_queue_risk']));
    db.prepare(`INSERT INTO review_views (name, filters, created_at) VALUES ('Stale', '{}', 'now')`).run();
    expect(() =>
      db.prepare(`INSERT INTO review_views (name, filters, created_at) VALUES ('stale', '{}', 'now')`).run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});
