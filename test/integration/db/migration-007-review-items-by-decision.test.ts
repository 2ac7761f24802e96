import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { queuePageQuery, queueWhere } from '../../../electron/core/campaigns/review-queue';
import { OPEN_CAMPAIGN } from '../../support/open-campaign';
import { tempFolder } from '../../support/temp-folder';

describe('migration 007', () => {
  it('lets the whole-campaign queue count and order pending items from an index, not by reading every item', () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 6));
    migrate(db, migrations.slice(0, 7));
    expect(schemaVersionOf(db)).toBe(7);

    const campaign = OPEN_CAMPAIGN;
    const selection = { campaignId: 1, decision: 'pending' as const };
    const where = queueWhere(selection, campaign, '2026-11-02');
    const plan = (sql: string, params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join(' | ');
    expect(
      plan(`SELECT count(*), count(r.decision) FROM review_items r WHERE ${where.sql}`, where.params),
    ).toContain('COVERING INDEX review_items_campaign_decision');
    const page = queuePageQuery(
      { ...selection, sort: 'risk', direction: 'desc', offset: 0, limit: 200 },
      campaign,
      '2026-11-02',
    );
    const pagePlan = plan(page.sql, page.params);
    expect(pagePlan).toContain('review_items_campaign_decision');
    expect(pagePlan).not.toContain('TEMP B-TREE');
    db.close();
  });
});
