import type { Migration } from '../migrate';

/**
 * The reviewer's queue over campaigns of 100,000 items. Every column the queue filters or sorts on was
 * inside the frozen item JSON (owner, last use, credentials) or the signals JSON; reading either per
 * row means decrypting and parsing every item of the campaign on each keystroke. These columns copy
 * what the queue needs out of the frozen copy (launch fills them; this migration backfills items
 * launched before it), and the indexes serve each sort for one reviewer's queue and the campaign's.
 *
 * `review_views` holds the filters a reviewer saved under a name ("Overdue privileged").
 */
export const migration005ReviewQueue: Migration = {
  version: 5,
  name: 'review-queue',
  up(db) {
    db.exec(`
      ALTER TABLE review_items ADD COLUMN external_id TEXT;
      -- The owner a reviewer must see first (a terminated one before the others) and its status at launch:
      -- active, terminated, not-in-roster, or none.
      ALTER TABLE review_items ADD COLUMN owner_email TEXT COLLATE NOCASE;
      ALTER TABLE review_items ADD COLUMN owner_status TEXT NOT NULL DEFAULT 'none';
      ALTER TABLE review_items ADD COLUMN last_used_at TEXT;
      -- When the oldest credential was last rotated (or created, when never rotated).
      ALTER TABLE review_items ADD COLUMN oldest_credential_at TEXT;
      -- The signal codes between commas (",no-owner,stale,"), so a filter never parses the signals JSON.
      ALTER TABLE review_items ADD COLUMN signal_codes TEXT NOT NULL DEFAULT ',';
      -- high 100, medium 10, low 1 per signal: the queue's "riskiest first".
      ALTER TABLE review_items ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0;

      UPDATE review_items SET
        external_id = json_extract(frozen, '$.identity.externalId'),
        owner_email = (
          SELECT json_extract(o.value, '$.email') FROM json_each(frozen, '$.identity.owners') o
           ORDER BY json_extract(o.value, '$.status') = 'terminated' DESC, o.key LIMIT 1),
        owner_status = coalesce((
          SELECT json_extract(o.value, '$.status') FROM json_each(frozen, '$.identity.owners') o
           ORDER BY json_extract(o.value, '$.status') = 'terminated' DESC, o.key LIMIT 1), 'none'),
        last_used_at = json_extract(frozen, '$.identity.lastUsedAt'),
        oldest_credential_at = (
          SELECT min(coalesce(json_extract(c.value, '$.lastRotatedAt'), json_extract(c.value, '$.createdAt')))
            FROM json_each(frozen, '$.identity.credentials') c),
        signal_codes = ',' || coalesce((
          SELECT group_concat(json_extract(s.value, '$.code'), ',') || ',' FROM json_each(signals) s), ''),
        risk_score = coalesce((
          SELECT sum(CASE json_extract(s.value, '$.severity') WHEN 'high' THEN 100 WHEN 'medium' THEN 10
                     WHEN 'low' THEN 1 ELSE 0 END) FROM json_each(signals) s), 0);

      -- One reviewer's queue, for each sort it offers. Each index also holds the filter columns
      -- (decision, high risk, signal codes), so a filtered count or page over 100,000 items reads the
      -- index alone and visits the item rows only for the 200 rows shown; the name index also holds
      -- what the search looks in.
      CREATE INDEX review_items_queue_name ON review_items(campaign_id, reviewer, name, decision, high_risk,
        signal_codes, owner_email, external_id);
      CREATE INDEX review_items_queue_kind ON review_items(campaign_id, reviewer, kind, decision, high_risk,
        signal_codes);
      CREATE INDEX review_items_queue_source ON review_items(campaign_id, reviewer, source, decision, high_risk,
        signal_codes);
      CREATE INDEX review_items_queue_owner ON review_items(campaign_id, reviewer, owner_email, decision,
        high_risk, signal_codes);
      CREATE INDEX review_items_queue_owner_status ON review_items(campaign_id, reviewer, owner_status, decision,
        high_risk, signal_codes);
      CREATE INDEX review_items_queue_last_used ON review_items(campaign_id, reviewer, last_used_at, decision,
        high_risk, signal_codes);
      CREATE INDEX review_items_queue_credential ON review_items(campaign_id, reviewer, oldest_credential_at,
        decision, high_risk, signal_codes);
      CREATE INDEX review_items_queue_risk ON review_items(campaign_id, reviewer, risk_score, decision, high_risk,
        signal_codes);
      CREATE INDEX review_items_queue_decision ON review_items(campaign_id, reviewer, decision, high_risk,
        signal_codes);
      -- The whole campaign (the campaign owner's view) by name and by risk, and one identity's items
      -- across campaigns ("what changed since the last campaign").
      CREATE INDEX review_items_campaign_name ON review_items(campaign_id, name, decision, high_risk,
        signal_codes, owner_email, external_id);
      CREATE INDEX review_items_campaign_risk ON review_items(campaign_id, risk_score, decision, high_risk,
        signal_codes);
      CREATE INDEX review_items_identity ON review_items(identity_id, campaign_id);

      CREATE TABLE review_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        filters TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
