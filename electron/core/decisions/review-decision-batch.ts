import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type { bulkDecideInputSchema, bulkDecideSchema } from '../../../shared/api/schemas/review-queue';
import type { ReviewDecision } from '../../../shared/domain/campaign';
import { getCampaign, getItem, normalizeEmail, requireState, type ReviewItem } from '../campaigns/campaigns';
import type { Db } from '../db/open-database';
import { appendDecision, appendDecisions, type AppendInput, type JsonValue } from './decision-log';
import { requireActivePerson, signedOffAt } from './review-decisions';

type BulkInput = z.output<typeof bulkDecideInputSchema>;
type BulkResult = z.output<typeof bulkDecideSchema>;

interface BulkRow {
  id: number;
  identityId: number;
  source: string;
  externalId: string;
  reviewer: string;
  highRisk: number;
  decision: ReviewItem['decision'] | null;
  target: string | null;
  newOwner: string | null;
  justification: string | null;
}

function refuseSignedOff(db: Db, campaignId: number, actor: string): void {
  const signed = signedOffAt(db, campaignId, actor);
  if (signed)
    throw new AppError(
      'INVALID_INPUT',
      `${actor} signed off campaign ${campaignId} at ${signed}; their decisions can no longer change.`,
    );
}

/**
 * One decision for many items (a filtered selection), under the rules of a single decision: each item
 * must be the actor's, revoke and reassign need the justification, certifying a high-risk item needs it
 * too (such items are skipped, not refused, so the rest go through). A bulk revoke removes each whole
 * identity. One transaction: the log records (one per item, exactly as single decisions write them)
 * and the items' new state commit together or not at all.
 */
export function bulkDecide(db: Db, input: BulkInput, defaultActor: string): BulkResult {
  return db.transaction((): BulkResult => {
    const campaign = getCampaign(db, input.campaignId);
    requireState(campaign, 'open', 'take decisions');
    const actor = normalizeEmail(input.actor ?? defaultActor);
    refuseSignedOff(db, campaign.id, actor);
    const justification = input.justification?.trim() || null;
    if (!justification && input.decision !== 'certify')
      throw new AppError(
        'INVALID_INPUT',
        `A justification is required to ${input.decision} ${input.itemIds.length === 1 ? 'an item' : `${input.itemIds.length} items`}.`,
      );
    let newOwner: string | null = null;
    if (input.decision === 'reassign') {
      if (!input.newOwner) throw new AppError('INVALID_INPUT', 'Reassign needs the new owner.');
      newOwner = requireActivePerson(db, input.newOwner);
    } else if (input.newOwner) {
      throw new AppError('INVALID_INPUT', 'Only a reassign names a new owner.');
    }
    const target = input.decision === 'revoke' ? { type: 'identity' as const, ref: null } : null;
    const targetJson = target ? JSON.stringify(target) : null;

    const rows = new Map(
      (
        db
          .prepare(
            `SELECT r.id, r.identity_id AS identityId, r.source,
                    coalesce(r.external_id, json_extract(r.frozen, '$.identity.externalId')) AS externalId,
                    r.reviewer, r.high_risk AS highRisk, r.decision, r.target, r.new_owner AS newOwner,
                    r.justification
               FROM review_items r
              WHERE r.campaign_id = ? AND r.id IN (SELECT value FROM json_each(?))`,
          )
          .all(campaign.id, JSON.stringify(input.itemIds)) as BulkRow[]
      ).map((row) => [row.id, row]),
    );

    const skipped = new Map<string, number[]>();
    const skip = (reason: string, itemId: number) => {
      const ids = skipped.get(reason) ?? [];
      ids.push(itemId);
      skipped.set(reason, ids);
    };
    const records: AppendInput[] = [];
    const chosen: BulkRow[] = [];
    for (const itemId of new Set(input.itemIds)) {
      const row = rows.get(itemId);
      if (!row) skip(`Not an item of campaign ${campaign.id}.`, itemId);
      else if (row.reviewer !== actor) skip(`Reviewed by someone else; ${actor} cannot decide it.`, itemId);
      else if (row.decision === 'exception') skip('Carried as an exception by the campaign owner.', itemId);
      else if (input.decision === 'certify' && row.highRisk === 1 && !justification)
        skip('Has a high-risk signal: certifying it needs a justification.', itemId);
      else if (
        row.decision === input.decision &&
        row.target === targetJson &&
        row.newOwner === newOwner &&
        row.justification === justification
      )
        skip(`Already decided: ${input.decision}, with the same justification.`, itemId);
      else {
        chosen.push(row);
        records.push({
          actor,
          action: `decision.${input.decision}`,
          // Exactly the payload of a single decision (review-decisions.ts), so the log reads the same.
          payload: {
            campaignId: campaign.id,
            itemId: row.id,
            identityId: row.identityId,
            identity: `${row.source}/${row.externalId}`,
            decision: input.decision,
            target: target as JsonValue,
            newOwner,
            justification,
            previous: row.decision ?? 'pending',
          },
        });
      }
    }
    const appended = appendDecisions(db, records);
    const update = db.prepare(
      `UPDATE review_items SET decision = ?, target = ?, new_owner = ?, justification = ?, decided_by = ?,
              decided_at = ?, log_seq = ? WHERE id = ?`,
    );
    appended.forEach((record, index) => {
      update.run(
        input.decision,
        targetJson,
        newOwner,
        justification,
        actor,
        record.ts,
        record.seq,
        chosen[index]!.id,
      );
    });
    return {
      decided: appended.length,
      skipped: [...skipped].map(([reason, ids]) => ({
        reason,
        count: ids.length,
        itemIds: ids.slice(0, 20),
      })),
    };
  })();
}

// ---- Undo ----

const DECISION_ACTIONS = ['decision.certify', 'decision.revoke', 'decision.reassign'];

interface ItemState {
  decision: ReviewDecision | null;
  target: JsonValue;
  newOwner: string | null;
  justification: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

const UNDECIDED: ItemState = {
  decision: null,
  target: null,
  newOwner: null,
  justification: null,
  decidedBy: null,
  decidedAt: null,
};

interface LogRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  payload: string;
}

/**
 * Takes back the actor's last decision in a campaign that is not already taken back, by appending a
 * `decision.undone` record that names it and the state it restores; the log is never changed. Undo
 * again goes one decision further back. Allowed until the reviewer signs off.
 */
export function undoLastDecision(
  db: Db,
  campaignId: number,
  actorInput: string,
): { undone: ReviewDecision; item: ReviewItem } {
  return db.transaction(() => {
    const campaign = getCampaign(db, campaignId);
    requireState(campaign, 'open', 'take decisions');
    const actor = normalizeEmail(actorInput);
    refuseSignedOff(db, campaignId, actor);

    // Newest first; stops at the first decision not already undone (usually the last record).
    const mine = db
      .prepare(
        `SELECT seq, ts, actor, action, payload FROM decision_log
          WHERE actor = ? AND action IN ('decision.certify', 'decision.revoke', 'decision.reassign', 'decision.undone')
            AND json_extract(payload, '$.campaignId') = ?
          ORDER BY seq DESC`,
      )
      .iterate(actor, campaignId) as IterableIterator<LogRow>;
    const undoneSeqs = new Set<number>();
    let last: { seq: number; payload: Record<string, JsonValue> } | null = null;
    for (const row of mine) {
      const payload = JSON.parse(row.payload) as Record<string, JsonValue>;
      if (row.action === 'decision.undone') undoneSeqs.add(payload.undoneSeq as number);
      else if (!undoneSeqs.has(row.seq)) {
        last = { seq: row.seq, payload };
        break;
      }
    }
    if (!last)
      throw new AppError(
        'INVALID_INPUT',
        `Nothing to undo: ${actor} has no decision in campaign ${campaignId} that is not already undone.`,
      );
    const itemId = last.payload.itemId as number;
    const item = getItem(db, campaignId, itemId);
    if (item.reviewer !== actor)
      throw new AppError(
        'INVALID_INPUT',
        `${item.name} is now reviewed by ${item.reviewer}; ${actor} can no longer undo their decision on it.`,
      );

    const restored =
      last.payload.previous === 'pending' ? UNDECIDED : stateBefore(db, campaignId, itemId, last.seq);
    const undone = last.payload.decision as ReviewDecision;
    const record = appendDecision(db, {
      actor,
      action: 'decision.undone',
      payload: {
        campaignId,
        itemId,
        identityId: item.identityId,
        identity: `${item.source}/${item.identity.externalId}`,
        undone,
        undoneSeq: last.seq,
        restored: restored as unknown as JsonValue,
      },
    });
    db.prepare(
      `UPDATE review_items SET decision = ?, target = ?, new_owner = ?, justification = ?, decided_by = ?,
              decided_at = ?, log_seq = ? WHERE id = ?`,
    ).run(
      restored.decision,
      restored.target === null ? null : JSON.stringify(restored.target),
      restored.newOwner,
      restored.justification,
      restored.decidedBy,
      restored.decidedAt,
      restored.decision === null ? null : record.seq,
      itemId,
    );
    return { undone, item: getItem(db, campaignId, itemId) };
  })();
}

/** The item's state just before record `seq`: set by the latest decision or undo on it before then. */
function stateBefore(db: Db, campaignId: number, itemId: number, seq: number): ItemState {
  const row = db
    .prepare(
      `SELECT seq, ts, actor, action, payload FROM decision_log
        WHERE seq < ? AND action IN ('decision.certify', 'decision.revoke', 'decision.reassign', 'decision.undone')
          AND json_extract(payload, '$.campaignId') = ? AND json_extract(payload, '$.itemId') = ?
        ORDER BY seq DESC LIMIT 1`,
    )
    .get(seq, campaignId, itemId) as LogRow | undefined;
  if (!row) return UNDECIDED;
  const payload = JSON.parse(row.payload) as Record<string, JsonValue>;
  if (row.action === 'decision.undone') return payload.restored as unknown as ItemState;
  if (!DECISION_ACTIONS.includes(row.action)) return UNDECIDED;
  return {
    decision: payload.decision as ReviewDecision,
    target: payload.target ?? null,
    newOwner: (payload.newOwner as string | null) ?? null,
    justification: (payload.justification as string | null) ?? null,
    decidedBy: row.actor,
    decidedAt: row.ts,
  };
}
