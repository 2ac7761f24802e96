import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type { decisionRecordInputSchema } from '../../../shared/api/schemas/campaigns';
import { getCampaign, getItem, normalizeEmail, requireState, type ReviewItem } from '../campaigns/campaigns';
import type { Db } from '../db/open-database';
import { statusAt } from '../people/owner-resolver';
import { appendDecision, type JsonValue } from './decision-log';

type DecisionInput = z.output<typeof decisionRecordInputSchema>;

export function signedOffAt(db: Db, campaignId: number, reviewer: string): string | null {
  return (
    (db
      .prepare('SELECT signed_at FROM signoffs WHERE campaign_id = ? AND reviewer = ?')
      .pluck()
      .get(campaignId, reviewer) as string | undefined) ?? null
  );
}

/**
 * Records a reviewer's decision on one item, appended to the log in the same transaction that updates
 * the item. A decision may change until the reviewer signs off; each change is a new log record.
 * Justification is required to revoke, to reassign, and to certify an item with a high-risk signal.
 */
export function recordDecision(db: Db, input: DecisionInput, defaultActor: string): ReviewItem {
  return db.transaction(() => {
    const campaign = getCampaign(db, input.campaignId);
    requireState(campaign, 'open', 'take decisions');
    const item = getItem(db, input.campaignId, input.itemId);
    const actor = normalizeEmail(input.actor ?? defaultActor);
    if (actor !== item.reviewer) {
      throw new AppError(
        'INVALID_INPUT',
        `Item ${item.id} (${item.name}) is reviewed by ${item.reviewer}; ${actor} cannot decide it.`,
      );
    }
    const signed = signedOffAt(db, campaign.id, actor);
    if (signed)
      throw new AppError(
        'INVALID_INPUT',
        `${actor} signed off campaign ${campaign.id} at ${signed}; their decisions can no longer change.`,
      );
    const justification = input.justification?.trim() || null;
    if (!justification && input.decision !== 'certify')
      throw new AppError('INVALID_INPUT', `A justification is required to ${input.decision} ${item.name}.`);
    if (!justification && item.highRisk) {
      const high = item.signals.filter((s) => s.severity === 'high').map((s) => s.code);
      throw new AppError(
        'INVALID_INPUT',
        `${item.name} has high-risk signals (${high.join(', ')}): certifying it needs a justification.`,
      );
    }

    let target: ReviewItem['target'] = null;
    let newOwner: string | null = null;
    if (input.decision === 'revoke') {
      target = resolveTarget(item, input.target ?? { type: 'identity', ref: null });
    } else if (input.target) {
      throw new AppError(
        'INVALID_INPUT',
        'Only a revoke names a target (identity, credential or entitlement).',
      );
    }
    if (input.decision === 'reassign') {
      if (!input.newOwner)
        throw new AppError('INVALID_INPUT', 'Reassign needs the new owner (--owner EMAIL).');
      newOwner = requireActivePerson(db, input.newOwner);
    } else if (input.newOwner) {
      throw new AppError('INVALID_INPUT', 'Only a reassign names a new owner.');
    }

    const record = appendDecision(db, {
      actor,
      action: `decision.${input.decision}`,
      payload: {
        campaignId: campaign.id,
        itemId: item.id,
        identityId: item.identityId,
        identity: `${item.source}/${item.identity.externalId}`,
        decision: input.decision,
        target: target as JsonValue,
        newOwner,
        justification,
        previous: item.decision,
      },
    });
    db.prepare(
      `UPDATE review_items SET decision = ?, target = ?, new_owner = ?, justification = ?, decided_by = ?,
              decided_at = ?, log_seq = ? WHERE id = ?`,
    ).run(
      input.decision,
      target ? JSON.stringify(target) : null,
      newOwner,
      justification,
      actor,
      record.ts,
      record.seq,
      item.id,
    );
    return getItem(db, campaign.id, item.id);
  })();
}

function resolveTarget(
  item: ReviewItem,
  target: NonNullable<DecisionInput['target']>,
): NonNullable<ReviewItem['target']> {
  if (target.type === 'identity') return { type: 'identity', ref: null };
  const ref = target.ref?.trim() ?? '';
  if (target.type === 'credential') {
    const credentials = item.identity.credentials;
    const index = credentials.findIndex(
      (c, i) =>
        (c.externalId !== null && c.externalId.toLowerCase() === ref.toLowerCase()) || String(i + 1) === ref,
    );
    if (index < 0)
      throw new AppError(
        'INVALID_INPUT',
        `${item.name} has no credential "${ref}"; name one by its id or its position (1 to ${credentials.length}).`,
      );
    return { type: 'credential', ref: credentials[index]!.externalId ?? String(index + 1) };
  }
  const entitlement = item.identity.entitlements.find((e) => e.name.toLowerCase() === ref.toLowerCase());
  if (!entitlement) throw new AppError('INVALID_INPUT', `${item.name} has no entitlement "${ref}".`);
  return { type: 'entitlement', ref: entitlement.name };
}

export function requireActivePerson(db: Db, email: string): string {
  const person = db
    .prepare('SELECT email, status, termination_date AS terminationDate FROM people WHERE email = ?')
    .get(email.trim()) as { email: string; status: string; terminationDate: string | null } | undefined;
  if (!person)
    throw new AppError('INVALID_INPUT', `${email} is not in the HR roster; reassign to a person who is.`);
  if (statusAt(person, new Date().toISOString().slice(0, 10)) !== 'active')
    throw new AppError('INVALID_INPUT', `${person.email} has left; reassign to an active person.`);
  return person.email.toLowerCase();
}

/**
 * A reviewer signs off their part of a campaign: only when every item routed to them is decided. The
 * sign-off is a log record with their name and time; their decisions are fixed from then on.
 */
export function signOff(
  db: Db,
  campaignId: number,
  reviewerInput: string,
): { reviewer: string; signedAt: string; items: number } {
  return db.transaction(() => {
    const campaign = getCampaign(db, campaignId);
    requireState(campaign, 'open', 'be signed off');
    const reviewer = normalizeEmail(reviewerInput);
    const counts = db
      .prepare(
        `SELECT count(*) AS total, count(decision) AS decided FROM review_items WHERE campaign_id = ? AND reviewer = ?`,
      )
      .get(campaignId, reviewer) as { total: number; decided: number };
    if (counts.total === 0)
      throw new AppError('INVALID_INPUT', `${reviewer} has no items to review in campaign ${campaignId}.`);
    if (counts.decided < counts.total)
      throw new AppError(
        'INVALID_INPUT',
        `${reviewer} cannot sign off yet: ${counts.total - counts.decided} of ${counts.total} items are undecided.`,
      );
    const already = signedOffAt(db, campaignId, reviewer);
    if (already) throw new AppError('INVALID_INPUT', `${reviewer} already signed off at ${already}.`);
    const record = appendDecision(db, {
      actor: reviewer,
      action: 'review.signoff',
      payload: { campaignId, reviewer, items: counts.total },
    });
    db.prepare('INSERT INTO signoffs (campaign_id, reviewer, signed_at, log_seq) VALUES (?, ?, ?, ?)').run(
      campaignId,
      reviewer,
      record.ts,
      record.seq,
    );
    return { reviewer, signedAt: record.ts, items: counts.total };
  })();
}
