import type { Migration } from '../migrate';

/**
 * Migration 005 gave one reviewer's queue a covering index per sort: eight indexes, each holding the
 * reviewer's email and the signal codes again. Every launched item paid for all of them, which made a
 * launch over 100,000 identities spend most of its time in index inserts, while a reviewer's queue
 * is hundreds of items, sorted in memory in a millisecond once the reviewer's rows are found. One
 * index finds them and answers the queue's filtered counts on its own: (campaign, reviewer, decision,
 * high risk, signal codes), from 005. The older (campaign, reviewer) index is a prefix of it.
 *
 * The whole-campaign indexes (by name, by risk, by decision) stay: that queue is the campaign's size.
 */
export const migration008LeanerReviewQueueIndexes: Migration = {
  version: 8,
  name: 'leaner-review-queue-indexes',
  up(db) {
    db.exec(`
      DROP INDEX review_items_queue_name;
      DROP INDEX review_items_queue_kind;
      DROP INDEX review_items_queue_source;
      DROP INDEX review_items_queue_owner;
      DROP INDEX review_items_queue_owner_status;
      DROP INDEX review_items_queue_last_used;
      DROP INDEX review_items_queue_credential;
      DROP INDEX review_items_queue_risk;
      DROP INDEX review_items_reviewer;
    `);
  },
};
