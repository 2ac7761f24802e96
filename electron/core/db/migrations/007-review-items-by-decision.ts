import type { Migration } from '../migrate';

/**
 * The campaign owner's queue counts items by decision over the whole campaign ("4,812 pending"). Without
 * an index that holds the decision, each count read every item row, frozen record included: half a
 * second for 20,000 items on an encrypted database. This index answers those counts on its own.
 */
export const migration007ReviewItemsByDecision: Migration = {
  version: 7,
  name: 'review-items-by-decision',
  up(db) {
    db.exec(
      'CREATE INDEX review_items_campaign_decision ON review_items (campaign_id, decision, risk_score)',
    );
  },
};
