import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import type { RiskSeverity } from '../../../shared/domain/risk';

/** What the queue filters and sorts on, copied out of the frozen item at launch (see migration 005). */
export interface ReviewQueueColumns {
  externalId: string;
  ownerEmail: string | null;
  ownerStatus: 'active' | 'terminated' | 'not-in-roster' | 'none';
  lastUsedAt: string | null;
  oldestCredentialAt: string | null;
  /** ",code,code," so a filter is a substring test. */
  signalCodes: string;
  riskScore: number;
}

const SEVERITY_WEIGHT: Record<RiskSeverity, number> = { high: 100, medium: 10, low: 1, info: 0 };

/**
 * The same values migration 005 computes in SQL for items launched before it: the owner a reviewer
 * must see first (a terminated one before the others), the oldest credential's rotation, the signals.
 */
export function reviewQueueColumns(
  identity: IdentityRecord,
  signals: ReadonlyArray<{ code: string; severity: RiskSeverity }>,
): ReviewQueueColumns {
  const lead = identity.owners.find((o) => o.status === 'terminated') ?? identity.owners[0] ?? null;
  let oldest: string | null = null;
  for (const credential of identity.credentials) {
    const since = credential.lastRotatedAt ?? credential.createdAt;
    if (since !== null && (oldest === null || since < oldest)) oldest = since;
  }
  return {
    externalId: identity.externalId,
    ownerEmail: lead?.email ?? null,
    ownerStatus: lead?.status ?? 'none',
    lastUsedAt: identity.lastUsedAt,
    oldestCredentialAt: oldest,
    signalCodes: `,${signals.map((s) => `${s.code},`).join('')}`,
    riskScore: signals.reduce((sum, s) => sum + SEVERITY_WEIGHT[s.severity], 0),
  };
}

/**
 * The review items of one campaign, as a FROM clause, for a query that may be limited to one reviewer.
 * That reviewer's index is named: without statistics SQLite would rather walk a whole-campaign index
 * in sort order and read every item row to test the reviewer (100,000 rows for a queue of 80).
 */
export function reviewItemsOf(reviewer: string | null | undefined): string {
  return reviewer ? 'review_items r INDEXED BY review_items_queue_decision' : 'review_items r';
}
