import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queuePageQuery } from '../../../electron/core/campaigns/review-queue';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { migrations } from '../../../electron/core/db/migrations';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { OPEN_CAMPAIGN } from '../../support/open-campaign';
import { tempFolder } from '../../support/temp-folder';

const campaign = OPEN_CAMPAIGN;

function reviewItemIndexes(db: ReturnType<typeof openEncryptedDatabase>): string[] {
  return db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_items' AND sql IS NOT NULL
        ORDER BY name`,
    )
    .pluck()
    .all() as string[];
}

describe('migration 008', () => {
  it('leaves review items one reviewer index instead of nine, and each reviewer sort still finds its rows by index', () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 7));
    db.prepare(
      `INSERT INTO campaigns (id, name, as_of, owner, state, created_at) VALUES (1, 'Q4', '2026-11-01', ?, 'open', 'now')`,
    ).run(campaign.owner);
    expect(reviewItemIndexes(db)).toHaveLength(14);

    migrate(db, migrations.slice(0, 8));
    expect(schemaVersionOf(db)).toBe(8);
    expect(reviewItemIndexes(db)).toEqual([
      'review_items_campaign_decision',
      'review_items_campaign_name',
      'review_items_campaign_risk',
      'review_items_identity',
      'review_items_queue_decision',
    ]);

    for (const sort of ['identity', 'kind', 'owner', 'lastUsed', 'risk'] as const) {
      const page = queuePageQuery(
        {
          campaignId: 1,
          reviewer: 'owner1@northwindlogistics.example',
          sort,
          direction: 'asc',
          offset: 0,
          limit: 200,
        },
        campaign,
        '2026-11-02',
      );
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${page.sql}`).all(...page.params) as Array<{ detail: string }>
      )
        .map((row) => row.detail)
        .join(' | ');
      expect(plan).toContain(
        'SEARCH r USING INDEX review_items_queue_decision (campaign_id=? AND reviewer=?)',
      );
    }
    db.close();
  });
});
