import type { Migration } from '../migrate';

/**
 * Certification campaigns and the tamper-evident decision log.
 *
 * `decision_log` is the record an auditor trusts: every decision, sign-off, exception, launch and close
 * is appended with the SHA-256 of its canonical JSON chained to the previous record's hash. Triggers
 * refuse UPDATE and DELETE, so even Steward cannot rewrite it; an attacker holding the key can drop
 * them, which `verifyDecisionLog` then detects (and an external head detects a recomputed chain).
 *
 * `review_items` hold a frozen copy of each in-scope identity taken at launch (attributes, credentials,
 * entitlements, owners with their status, signals), so later imports never change what was reviewed.
 * Their decision columns are the current state for queries; the log is the history.
 */
export const migration002CampaignsAndDecisionLog: Migration = {
  version: 2,
  name: 'campaigns-and-decision-log',
  up(db) {
    db.exec(`
      CREATE TABLE decision_log (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER decision_log_no_update BEFORE UPDATE ON decision_log
      BEGIN
        SELECT RAISE(ABORT, 'The decision log is append-only: a record cannot be changed.');
      END;
      CREATE TRIGGER decision_log_no_delete BEFORE DELETE ON decision_log
      BEGIN
        SELECT RAISE(ABORT, 'The decision log is append-only: a record cannot be deleted.');
      END;

      CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        period TEXT,
        as_of TEXT NOT NULL,
        due TEXT,
        scope TEXT NOT NULL DEFAULT '{}',
        owner TEXT NOT NULL COLLATE NOCASE,
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
        created_at TEXT NOT NULL,
        launched_at TEXT,
        closed_at TEXT
      ) STRICT;

      CREATE TABLE review_items (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        identity_id INTEGER NOT NULL REFERENCES identities(id),
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        -- The identity as it was at launch: record, attributes, owners with status.
        frozen TEXT NOT NULL,
        signals TEXT NOT NULL DEFAULT '[]',
        high_risk INTEGER NOT NULL DEFAULT 0,
        reviewer TEXT NOT NULL COLLATE NOCASE,
        routing TEXT NOT NULL,
        self_review INTEGER NOT NULL DEFAULT 0,
        decision TEXT CHECK (decision IN ('certify', 'revoke', 'reassign', 'exception')),
        target TEXT,
        new_owner TEXT,
        justification TEXT,
        decided_by TEXT,
        decided_at TEXT,
        log_seq INTEGER REFERENCES decision_log(seq),
        UNIQUE (campaign_id, identity_id)
      ) STRICT;
      CREATE INDEX review_items_reviewer ON review_items(campaign_id, reviewer);

      CREATE TABLE signoffs (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        reviewer TEXT NOT NULL COLLATE NOCASE,
        signed_at TEXT NOT NULL,
        log_seq INTEGER NOT NULL REFERENCES decision_log(seq),
        PRIMARY KEY (campaign_id, reviewer)
      ) STRICT;
    `);
  },
};
