import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type {
  campaignProgressSchema,
  reassignItemsInputSchema,
  reassignItemsOutputSchema,
  scopePreviewSchema,
} from '../../../shared/api/entries/campaign-admin-entries';
import type { RiskSignalCode } from '../../../shared/domain/risk';
import type { Db } from '../db/open-database';
import { appendDecision } from '../decisions/decision-log';
import { statusAt } from '../people/owner-resolver';
import {
  getCampaign,
  normalizeEmail,
  requireOwner,
  requireState,
  scopePopulation,
  type Campaign,
  type CampaignScope,
} from './campaigns';

export type ScopePreview = z.output<typeof scopePreviewSchema>;
export type ReassignItemsInput = z.output<typeof reassignItemsInputSchema>;
export type ReassignItemsResult = z.output<typeof reassignItemsOutputSchema>;
export type CampaignProgress = z.output<typeof campaignProgressSchema>;

function countBy<T>(values: Iterable<T>): Array<{ value: T; count: number }> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}

/**
 * What a launch with this scope and as-of date would freeze, counted before anything is created: the
 * same population launch takes (scopePopulation), so the number the owner confirms is the number
 * launched, unless an import or the roster changes in between.
 */
export function previewScope(db: Db, scope: CampaignScope, asOf: string, owner: string): ScopePreview {
  const campaignOwner = normalizeEmail(owner);
  const { members } = scopePopulation(db, asOf, scope, campaignOwner);
  const signalCodes = members.flatMap((m) => [...new Set(m.record.signals.map((s) => s.code))]);
  return {
    asOf,
    identities: members.length,
    bySource: countBy(members.map((m) => m.record.source)),
    byKind: countBy(members.map((m) => m.record.kind)),
    withSignals: members.filter((m) => m.record.signals.length > 0).length,
    highRisk: members.filter((m) => m.record.signals.some((s) => s.severity === 'high')).length,
    bySignal: countBy<RiskSignalCode>(signalCodes).map(({ value, count }) => ({ code: value, count })),
    reviewers: countBy(members.map((m) => m.routing.reviewer)).map(({ value, count }) => ({
      reviewer: value,
      count,
    })),
    toCampaignOwner: members.filter((m) => m.routing.rule === 'campaign-owner').length,
    selfReviews: members.filter((m) => m.routing.selfReview).length,
  };
}

/** Decided and total items, reviewers and sign-offs of every campaign in one pass, for the list. */
export function campaignProgress(db: Db): CampaignProgress {
  return db
    .prepare(
      `SELECT c.id AS campaignId,
              count(r.id) AS total,
              count(r.decision) AS decided,
              count(DISTINCT r.reviewer) AS reviewers,
              (SELECT count(*) FROM signoffs s WHERE s.campaign_id = c.id) AS signedOff
         FROM campaigns c LEFT JOIN review_items r ON r.campaign_id = c.id
        GROUP BY c.id ORDER BY c.id DESC`,
    )
    .all() as CampaignProgress;
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The person who takes over a queue: an active person of the roster today, or the campaign owner
 * (who reviews what nobody else can, roster or not).
 */
function requireReviewer(db: Db, campaign: Campaign, email: string): string {
  const wanted = normalizeEmail(email);
  if (wanted === campaign.owner) return wanted;
  const person = db
    .prepare('SELECT email, status, termination_date AS terminationDate FROM people WHERE email = ?')
    .get(wanted) as { email: string; status: string; terminationDate: string | null } | undefined;
  if (!person)
    throw new AppError(
      'INVALID_INPUT',
      `${wanted} is not in the HR roster; items can go only to an active person of the roster or to the campaign owner.`,
    );
  if (statusAt(person, todayIso()) !== 'active')
    throw new AppError('INVALID_INPUT', `${person.email} has left; reassign the items to an active person.`);
  return person.email.toLowerCase();
}

interface MovableRow {
  id: number;
  name: string;
  reviewer: string;
  decision: string | null;
  routing: string;
  owners: string;
}

/**
 * Moves undecided items to another reviewer (campaign owner only, open campaigns only). Decided items
 * stay with the reviewer who decided them: a decision belongs to its reviewer and to their sign-off,
 * so only the undecided part of a queue moves. The new reviewer must be active in the roster (or be
 * the campaign owner), must not have signed off already (their part is closed), and must never become
 * the reviewer of an identity they alone own; if they own it with others, the item is flagged as a
 * self-review. Each moved item is one `review.reassign` record in the log, in one transaction.
 */
export function reassignItems(db: Db, input: ReassignItemsInput, defaultActor: string): ReassignItemsResult {
  return db.transaction((): ReassignItemsResult => {
    const campaign = getCampaign(db, input.campaignId);
    requireState(campaign, 'open', 'have items reassigned');
    const actor = normalizeEmail(input.actor ?? defaultActor);
    requireOwner(campaign, actor, 'reassign items of');
    const toReviewer = requireReviewer(db, campaign, input.toReviewer);
    const reason = input.reason.trim();

    const signedOff = db
      .prepare('SELECT signed_at FROM signoffs WHERE campaign_id = ? AND reviewer = ?')
      .pluck()
      .get(campaign.id, toReviewer) as string | undefined;
    if (signedOff)
      throw new AppError(
        'INVALID_INPUT',
        `${toReviewer} signed off campaign ${campaign.id} at ${signedOff}; their part is closed, so pick another reviewer.`,
      );

    const columns = `r.id, r.name, r.reviewer, r.decision, r.routing,
      coalesce((SELECT json_group_array(lower(json_extract(o.value, '$.email')))
                  FROM json_each(json_extract(r.frozen, '$.identity.owners')) o), '[]') AS owners`;
    let rows: MovableRow[];
    if (input.itemIds) {
      const ids = [...new Set(input.itemIds)];
      const select = db.prepare(`SELECT ${columns} FROM review_items r WHERE r.campaign_id = ? AND r.id = ?`);
      rows = [];
      const missing: number[] = [];
      for (const id of ids) {
        const row = select.get(campaign.id, id) as MovableRow | undefined;
        if (row) rows.push(row);
        else missing.push(id);
      }
      if (missing.length > 0)
        throw new AppError(
          'INVALID_INPUT',
          `Campaign ${campaign.id} has no item ${missing.slice(0, 10).join(', ')}; list them with \`campaign items ${campaign.id}\`.`,
        );
      const decided = rows.filter((r) => r.decision !== null);
      if (decided.length > 0)
        throw new AppError(
          'INVALID_INPUT',
          `Only undecided items can be reassigned; ${decided
            .slice(0, 5)
            .map((r) => `${r.id} (${r.name})`)
            .join(
              ', ',
            )}${decided.length > 5 ? ', …' : ''} ${decided.length === 1 ? 'is' : 'are'} already decided and stay with ${decided.length === 1 ? 'its' : 'their'} reviewer.`,
        );
    } else {
      const fromReviewer = normalizeEmail(input.fromReviewer!);
      rows = db
        .prepare(
          `SELECT ${columns} FROM review_items r
            WHERE r.campaign_id = ? AND r.reviewer = ? AND r.decision IS NULL ORDER BY r.id`,
        )
        .all(campaign.id, fromReviewer) as MovableRow[];
      if (rows.length === 0)
        throw new AppError(
          'INVALID_INPUT',
          `${fromReviewer} has no undecided items in campaign ${campaign.id}: there is nothing to reassign.`,
        );
    }

    const already = rows.filter((r) => r.reviewer === toReviewer);
    if (already.length === rows.length)
      throw new AppError(
        'INVALID_INPUT',
        `${toReviewer} already reviews ${rows.length === 1 ? 'this item' : 'these items'}.`,
      );
    const moving = rows.filter((r) => r.reviewer !== toReviewer);

    const soleOwned = moving.filter((r) => {
      const owners = new Set(JSON.parse(r.owners) as string[]);
      return owners.size === 1 && owners.has(toReviewer);
    });
    if (soleOwned.length > 0)
      throw new AppError(
        'INVALID_INPUT',
        `${toReviewer} is the only owner of ${soleOwned
          .slice(0, 5)
          .map((r) => r.name)
          .join(
            ', ',
          )}${soleOwned.length > 5 ? ` and ${soleOwned.length - 5} more` : ''}, and nobody reviews an identity they alone own. Pick another reviewer, or reassign the other items by id.`,
      );

    const update = db.prepare(
      'UPDATE review_items SET reviewer = ?, routing = ?, self_review = ? WHERE id = ?',
    );
    const ts = new Date().toISOString();
    const day = ts.slice(0, 10);
    let selfReviews = 0;
    const fromCounts = new Map<string, number>();
    for (const row of moving) {
      const owners = new Set(JSON.parse(row.owners) as string[]);
      const selfReview = owners.has(toReviewer);
      if (selfReview) selfReviews += 1;
      const previous = JSON.parse(row.routing) as { rule: string; reason: string };
      appendDecision(db, {
        actor,
        action: 'review.reassign',
        payload: {
          campaignId: campaign.id,
          itemId: row.id,
          from: row.reviewer,
          to: toReviewer,
          reason,
          selfReview,
        },
        ts,
      });
      update.run(
        toReviewer,
        JSON.stringify({
          rule: previous.rule,
          reason: `Reassigned by the campaign owner ${actor} from ${row.reviewer} on ${day}: ${reason} (Routed first because: ${previous.reason})`,
        }),
        selfReview ? 1 : 0,
        row.id,
      );
      fromCounts.set(row.reviewer, (fromCounts.get(row.reviewer) ?? 0) + 1);
    }
    return {
      campaignId: campaign.id,
      toReviewer,
      moved: moving.length,
      itemIds: moving.map((r) => r.id),
      from: [...fromCounts].map(([reviewer, count]) => ({ reviewer, count })),
      selfReviews,
    };
  })();
}

/**
 * Moves the due date of a draft or open campaign later (campaign owner only): after today and after
 * the current due date, with a reason, appended to the log.
 */
export function extendDue(
  db: Db,
  input: { campaignId: number; due: string; reason: string; actor?: string | undefined },
  defaultActor: string,
): Campaign {
  return db.transaction(() => {
    const campaign = getCampaign(db, input.campaignId);
    if (campaign.state === 'closed') requireState(campaign, 'open', 'have its due date extended');
    const actor = normalizeEmail(input.actor ?? defaultActor);
    requireOwner(campaign, actor, 'extend the due date of');
    const today = todayIso();
    if (input.due <= today)
      throw new AppError('INVALID_INPUT', `The new due date ${input.due} must be after today (${today}).`);
    if (campaign.due && input.due <= campaign.due)
      throw new AppError(
        'INVALID_INPUT',
        `The new due date ${input.due} must be later than the current one, ${campaign.due}.`,
      );
    db.prepare('UPDATE campaigns SET due = ? WHERE id = ?').run(input.due, campaign.id);
    appendDecision(db, {
      actor,
      action: 'campaign.extend-due',
      payload: { campaignId: campaign.id, from: campaign.due, to: input.due, reason: input.reason.trim() },
    });
    return getCampaign(db, campaign.id);
  })();
}
