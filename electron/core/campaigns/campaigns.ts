import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type {
  campaignCreateInputSchema,
  campaignItemsInputSchema,
  campaignSchema,
  campaignScopeSchema,
  campaignStatusSchema,
  reviewItemSchema,
} from '../../../shared/api/schemas/campaigns';
import type { IdentityRecord, IdentitySignal } from '../../../shared/api/schemas/inventory';
import { ITEM_DECISION_STATES, type CampaignState } from '../../../shared/domain/campaign';
import { owaspRefFor, type RiskPolicy, type RiskSignalCode } from '../../../shared/domain/risk';
import { enterBulkLoad } from '../db/bulk-load';
import type { Db } from '../db/open-database';
import { appendDecision } from '../decisions/decision-log';
import { identityRecordsByIds } from '../inventory/identity-query';
import { statusAt } from '../people/owner-resolver';
import { readRiskPolicy } from '../risk/risk-policy-store';
import { ensureSignalIndex, type SignalIndexProgress } from '../risk/signal-index';
import { SIGNAL_NUMBER, SLOT_OF_DATE } from '../risk/indexed-signals';
import { routeReviewer, type Routing, type RoutingOwner } from './reviewer-routing';
import { reviewItemsOf, reviewQueueColumns } from './review-item-columns';

export type Campaign = z.output<typeof campaignSchema>;
export type CampaignScope = z.output<typeof campaignScopeSchema>;
export type ReviewItem = z.output<typeof reviewItemSchema>;
export type CampaignStatus = z.output<typeof campaignStatusSchema>;

interface CampaignRow {
  id: number;
  name: string;
  period: string | null;
  asOf: string;
  due: string | null;
  scope: string;
  owner: string;
  state: CampaignState;
  createdAt: string;
  launchedAt: string | null;
  closedAt: string | null;
  items: number;
}

const CAMPAIGN_COLUMNS = `c.id, c.name, c.period, c.as_of AS asOf, c.due, c.scope, c.owner, c.state,
  c.created_at AS createdAt, c.launched_at AS launchedAt, c.closed_at AS closedAt,
  (SELECT count(*) FROM review_items r WHERE r.campaign_id = c.id) AS items`;

function toCampaign(row: CampaignRow): Campaign {
  return { ...row, scope: JSON.parse(row.scope) as CampaignScope };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createCampaign(
  db: Db,
  input: z.output<typeof campaignCreateInputSchema>,
  defaultOwner: string,
): Campaign {
  if (input.due && input.due < input.asOf)
    throw new AppError('INVALID_INPUT', `The due date ${input.due} is before the as-of date ${input.asOf}.`);
  const owner = normalizeEmail(input.owner ?? defaultOwner);
  return db.transaction(() => {
    const createdAt = new Date().toISOString();
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO campaigns (name, period, as_of, due, scope, owner, state, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'draft', ?)`,
      )
      .run(
        input.name,
        input.period ?? null,
        input.asOf,
        input.due ?? null,
        JSON.stringify(input.scope),
        owner,
        createdAt,
      );
    const id = Number(lastInsertRowid);
    appendDecision(db, {
      actor: owner,
      action: 'campaign.create',
      payload: {
        campaignId: id,
        name: input.name,
        asOf: input.asOf,
        due: input.due ?? null,
        scope: input.scope,
        owner,
      },
      ts: createdAt,
    });
    return getCampaign(db, id);
  })();
}

export function listCampaigns(db: Db): Campaign[] {
  return (
    db.prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c ORDER BY c.id DESC`).all() as CampaignRow[]
  ).map(toCampaign);
}

export function getCampaign(db: Db, id: number): Campaign {
  const row = db.prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.id = ?`).get(id) as
    CampaignRow | undefined;
  if (!row)
    throw new AppError('INVALID_INPUT', `There is no campaign ${id}. List them with \`campaign list\`.`);
  return toCampaign(row);
}

export function requireState(campaign: Campaign, state: CampaignState, doing: string): void {
  if (campaign.state === state) return;
  const why =
    campaign.state === 'closed'
      ? 'it is closed and read-only'
      : campaign.state === 'draft'
        ? 'it has not been launched'
        : 'it is already open';
  throw new AppError('INVALID_INPUT', `Campaign ${campaign.id} cannot ${doing}: ${why}.`);
}

export function requireOwner(campaign: Campaign, actor: string, doing: string): void {
  if (normalizeEmail(actor) !== campaign.owner)
    throw new AppError(
      'INVALID_INPUT',
      `Only the campaign owner (${campaign.owner}) can ${doing} campaign ${campaign.id}; ${actor} is not.`,
    );
}

// ---- Launch ----

interface PersonRow {
  email: string;
  status: string;
  terminationDate: string | null;
  managerEmail: string | null;
}

const PAGE = 1000;

/** One identity of a campaign's population: its record, signals and reviewer, as launch would freeze them. */
export interface PopulationMember {
  /** The record with owners' status at the as-of date; its `signals` are those of the signal index. */
  record: IdentityRecord;
  /** The identity's source attributes as stored: JSON text, frozen as it is. */
  attributesJson: string;
  routing: Routing;
}

/**
 * The identities a scope holds at an as-of date, with their signals under the current risk policy and
 * the reviewer the routing rule gives each. Launch freezes exactly this; the scope preview counts it.
 *
 * The signals are the signal index's for that date (built here when it is not current): the same
 * evaluation the inventory shows, over the whole inventory, so `shared-across-environments` sees a
 * production twin outside the campaign's scope too.
 */
export function scopePopulation(
  db: Db,
  asOf: string,
  scope: CampaignScope,
  campaignOwner: string,
  onSignalProgress?: SignalIndexProgress,
): { members: PopulationMember[]; policy: RiskPolicy } {
  ensureSignalIndex(db, asOf, onSignalProgress);
  const people = new Map(
    (
      db
        .prepare(
          `SELECT email, status, termination_date AS terminationDate, manager_email AS managerEmail FROM people`,
        )
        .all() as PersonRow[]
    ).map((p) => [normalizeEmail(p.email), p]),
  );
  const attributesOf = db
    .prepare(
      'SELECT identity_id, attributes FROM identity_attributes WHERE identity_id >= ? AND identity_id <= ?',
    )
    .raw();

  const members: PopulationMember[] = [];
  // In id order, a step at a time: each step is an index seek (offset paging re-read every page before it).
  const scoped = scopeFilterSql(scope, asOf);
  const nextIds = db
    .prepare(`SELECT i.id FROM identities i WHERE i.id > ?${scoped.sql} ORDER BY i.id LIMIT ?`)
    .pluck();
  for (let last = 0; ;) {
    const ids = nextIds.all(last, ...scoped.params, PAGE) as number[];
    if (ids.length === 0) break;
    last = ids[ids.length - 1]!;
    const attributes = new Map(attributesOf.all(ids[0], last) as Array<[number, string | null]>);
    for (const record of identityRecordsByIds(db, ids, asOf)) {
      if (scope.sources.length > 0 && !scope.sources.includes(record.source)) continue;
      if (scope.kinds.length > 0 && !scope.kinds.includes(record.kind)) continue;
      if (scope.environments.length > 0 && !scope.environments.includes(record.environment ?? '')) continue;
      // Gone from its source by the as-of date: not part of the population under review.
      if (record.notSeenSince && record.notSeenSince.slice(0, 10) <= asOf) continue;
      if (scope.signals.length > 0 && !record.signals.some((s) => scope.signals.includes(s.code))) continue;
      const routingOwners: RoutingOwner[] = record.owners.map((owner) => {
        const person = people.get(normalizeEmail(owner.email));
        const manager = person?.managerEmail ? people.get(normalizeEmail(person.managerEmail)) : undefined;
        return {
          email: owner.email,
          role: owner.role,
          status: owner.status,
          terminationDate: person?.terminationDate ?? null,
          manager: manager ? { email: manager.email, active: statusAt(manager, asOf) === 'active' } : null,
        };
      });
      members.push({
        record,
        attributesJson: attributes.get(record.id) ?? '{}',
        routing: routeReviewer(routingOwners, campaignOwner),
      });
    }
  }
  // The frozen population reads in name order, as the inventory lists it.
  members.sort((a, b) =>
    a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : a.record.id - b.record.id,
  );
  return { members, policy: readRiskPolicy(db).policy };
}

/**
 * The scope's sources, kinds, environments and signals as SQL on `identities i`, so a scoped preview
 * or launch reads the records of the identities in scope only (the signal index holds `asOf` here).
 * The same tests run again on each record; the as-of cut-off for identities gone from their source
 * stays there, since it compares a snapshot's date.
 */
function scopeFilterSql(scope: CampaignScope, asOf: string): { sql: string; params: Array<string | number> } {
  const list = (values: readonly string[]) => values.map(() => '?').join(', ');
  let sql = '';
  const params: Array<string | number> = [];
  if (scope.sources.length > 0) {
    sql += ` AND i.source_id IN (SELECT id FROM sources WHERE name IN (${list(scope.sources)}))`;
    params.push(...scope.sources);
  }
  if (scope.kinds.length > 0) {
    sql += ` AND i.kind IN (${list(scope.kinds)})`;
    params.push(...scope.kinds);
  }
  if (scope.environments.length > 0) {
    sql += ` AND coalesce(i.environment, '') IN (${list(scope.environments)})`;
    params.push(...scope.environments);
  }
  if (scope.signals.length > 0) {
    sql += ` AND i.id IN (SELECT identity_id FROM identity_signals
                           WHERE ${SLOT_OF_DATE} AND signal IN (${list(scope.signals)}))`;
    params.push(asOf, ...scope.signals.map((code) => SIGNAL_NUMBER[code]));
  }
  return { sql, params };
}

/**
 * Freezes the population: every in-scope identity at the as-of date becomes an item holding a copy of
 * its record, attributes, owners with their status, and signals under the current risk policy, with its
 * reviewer. One transaction with the launch record in the log; later imports never change the items.
 * `onSignalProgress` hears how far the signal index for the as-of date is, when it has to be built.
 */
export function launchCampaign(
  db: Db,
  campaignId: number,
  actor: string,
  onSignalProgress?: SignalIndexProgress,
): Campaign {
  // 100,000 items are a bulk write: a rollback journal and a big cache for its length, as an import.
  const leaveBulkLoad = enterBulkLoad(db);
  try {
    return db.transaction(() => {
      const campaign = getCampaign(db, campaignId);
      requireState(campaign, 'draft', 'be launched');
      requireOwner(campaign, actor, 'launch');
      const { asOf, scope } = campaign;
      const { members, policy } = scopePopulation(db, asOf, scope, campaign.owner, onSignalProgress);
      const insert = db.prepare(
        `INSERT INTO review_items (campaign_id, identity_id, name, source, kind, frozen, signals, high_risk,
                                 reviewer, routing, self_review, external_id, owner_email, owner_status,
                                 last_used_at, oldest_credential_at, signal_codes, risk_score)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let count = 0;
      for (const { record, attributesJson, routing } of members) {
        const frozenSignals = record.signals.map(({ code, reason, severity }) => ({
          code,
          reason,
          severity,
        }));
        const queue = reviewQueueColumns(record, frozenSignals);
        insert.run(
          campaignId,
          record.id,
          record.name,
          record.source,
          record.kind,
          // The record's signals are the item's own `signals` column: stored once, not twice. The
          // attributes go in as the text the import stored, not parsed and written again.
          `{"identity":${JSON.stringify({ ...record, signals: undefined })},"attributes":${attributesJson}}`,
          JSON.stringify(frozenSignals),
          record.signals.some((s) => s.severity === 'high') ? 1 : 0,
          routing.reviewer,
          JSON.stringify({ rule: routing.rule, reason: routing.reason }),
          routing.selfReview ? 1 : 0,
          queue.externalId,
          queue.ownerEmail,
          queue.ownerStatus,
          queue.lastUsedAt,
          queue.oldestCredentialAt,
          queue.signalCodes,
          queue.riskScore,
        );
        count += 1;
      }
      const launchedAt = new Date().toISOString();
      db.prepare(`UPDATE campaigns SET state = 'open', launched_at = ? WHERE id = ?`).run(
        launchedAt,
        campaignId,
      );
      appendDecision(db, {
        actor: normalizeEmail(actor),
        action: 'campaign.launch',
        payload: { campaignId, asOf, items: count, policy: JSON.parse(JSON.stringify(policy)) as never },
        ts: launchedAt,
      });
      return getCampaign(db, campaignId);
    })();
  } finally {
    leaveBulkLoad();
  }
}

// ---- Items ----

interface ItemRow {
  id: number;
  campaignId: number;
  identityId: number;
  name: string;
  source: string;
  kind: string;
  frozen: string;
  signals: string;
  highRisk: number;
  reviewer: string;
  routing: string;
  selfReview: number;
  decision: string | null;
  target: string | null;
  newOwner: string | null;
  justification: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

const ITEM_COLUMNS = `r.id, r.campaign_id AS campaignId, r.identity_id AS identityId, r.name, r.source, r.kind,
  r.frozen, r.signals, r.high_risk AS highRisk, r.reviewer, r.routing, r.self_review AS selfReview,
  r.decision, r.target, r.new_owner AS newOwner, r.justification, r.decided_by AS decidedBy,
  r.decided_at AS decidedAt`;

/** The item's frozen signals in the inventory's shape, with the OWASP risk each maps to. */
function identitySignals(signals: ReviewItem['signals']): IdentitySignal[] {
  return signals.map((s) => ({ ...s, owasp: owaspRefFor(s.code)?.id ?? null }));
}

function toItem(row: ItemRow): ReviewItem {
  const frozen = JSON.parse(row.frozen) as { identity: IdentityRecord; attributes: Record<string, unknown> };
  const signals = JSON.parse(row.signals) as ReviewItem['signals'];
  return {
    id: row.id,
    campaignId: row.campaignId,
    identityId: row.identityId,
    name: row.name,
    source: row.source,
    kind: row.kind,
    reviewer: row.reviewer,
    routing: JSON.parse(row.routing) as ReviewItem['routing'],
    selfReview: row.selfReview === 1,
    signals,
    highRisk: row.highRisk === 1,
    decision: (row.decision ?? 'pending') as ReviewItem['decision'],
    target: row.target ? (JSON.parse(row.target) as ReviewItem['target']) : null,
    newOwner: row.newOwner,
    justification: row.justification,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    // Items launched since the record stopped carrying a second copy of the signals take the item's.
    identity: frozen.identity.signals
      ? frozen.identity
      : { ...frozen.identity, signals: identitySignals(signals) },
    attributes: frozen.attributes,
  };
}

export function getItem(db: Db, campaignId: number, itemId: number): ReviewItem {
  const row = db
    .prepare(`SELECT ${ITEM_COLUMNS} FROM review_items r WHERE r.campaign_id = ? AND r.id = ?`)
    .get(campaignId, itemId) as ItemRow | undefined;
  if (!row) throw new AppError('INVALID_INPUT', `Campaign ${campaignId} has no item ${itemId}.`);
  return toItem(row);
}

const ITEM_SORTS: Record<z.output<typeof campaignItemsInputSchema>['sort'], string> = {
  name: 'r.name',
  reviewer: 'r.reviewer',
  risk: 'r.high_risk DESC, json_array_length(r.signals)',
  decision: `coalesce(r.decision, '')`,
};

export function listItems(
  db: Db,
  query: z.output<typeof campaignItemsInputSchema>,
): { total: number; items: ReviewItem[] } {
  getCampaign(db, query.campaignId);
  const where = ['r.campaign_id = ?'];
  const params: unknown[] = [query.campaignId];
  if (query.reviewer) {
    where.push('r.reviewer = ?');
    params.push(normalizeEmail(query.reviewer));
  }
  if (query.decision) {
    where.push(query.decision === 'pending' ? 'r.decision IS NULL' : 'r.decision = ?');
    if (query.decision !== 'pending') params.push(query.decision);
  }
  if (query.signal) {
    where.push(`EXISTS (SELECT 1 FROM json_each(r.signals) s WHERE json_extract(s.value, '$.code') = ?)`);
    params.push(query.signal);
  }
  const whereSql = where.join(' AND ');
  const total = db
    .prepare(`SELECT count(*) FROM ${reviewItemsOf(query.reviewer)} WHERE ${whereSql}`)
    .pluck()
    .get(...params) as number;
  const direction = query.direction === 'desc' ? 'DESC' : 'ASC';
  // risk sorts high-risk first in ascending order; desc flips every part.
  const order =
    query.sort === 'risk'
      ? direction === 'ASC'
        ? 'r.high_risk DESC, json_array_length(r.signals) DESC'
        : 'r.high_risk ASC, json_array_length(r.signals) ASC'
      : `${ITEM_SORTS[query.sort]} ${direction}`;
  const rows = db
    .prepare(
      `SELECT ${ITEM_COLUMNS} FROM ${reviewItemsOf(query.reviewer)} WHERE ${whereSql}
        ORDER BY ${order}, r.id ${direction} LIMIT ? OFFSET ?`,
    )
    .all(...params, query.limit, query.offset) as ItemRow[];
  return { total, items: rows.map(toItem) };
}

// ---- Status and close ----

export function campaignStatus(db: Db, campaignId: number): CampaignStatus {
  const campaign = getCampaign(db, campaignId);
  const rows = db
    .prepare(`SELECT reviewer, decision, signals FROM review_items WHERE campaign_id = ? ORDER BY reviewer`)
    .all(campaignId) as Array<{ reviewer: string; decision: string | null; signals: string }>;
  const signoffs = new Map(
    (
      db
        .prepare('SELECT reviewer, signed_at AS signedAt FROM signoffs WHERE campaign_id = ?')
        .all(campaignId) as Array<{
        reviewer: string;
        signedAt: string;
      }>
    ).map((s) => [s.reviewer, s.signedAt]),
  );
  const byDecision = Object.fromEntries(
    ITEM_DECISION_STATES.map((d) => [d, 0]),
  ) as CampaignStatus['byDecision'];
  const byReviewer = new Map<string, { total: number; decided: number }>();
  const bySignal = new Map<RiskSignalCode, { total: number; decided: number }>();
  let decided = 0;
  for (const row of rows) {
    const state = (row.decision ?? 'pending') as keyof CampaignStatus['byDecision'];
    const isDecided = row.decision !== null;
    byDecision[state] += 1;
    if (isDecided) decided += 1;
    const reviewer = byReviewer.get(row.reviewer) ?? { total: 0, decided: 0 };
    reviewer.total += 1;
    if (isDecided) reviewer.decided += 1;
    byReviewer.set(row.reviewer, reviewer);
    for (const signal of JSON.parse(row.signals) as Array<{ code: RiskSignalCode }>) {
      const entry = bySignal.get(signal.code) ?? { total: 0, decided: 0 };
      entry.total += 1;
      if (isDecided) entry.decided += 1;
      bySignal.set(signal.code, entry);
    }
  }
  return {
    campaignId,
    state: campaign.state,
    total: rows.length,
    decided,
    byReviewer: [...byReviewer].map(([reviewer, counts]) => ({
      reviewer,
      ...counts,
      signedOffAt: signoffs.get(reviewer) ?? null,
    })),
    byDecision,
    bySignal: [...bySignal].map(([code, counts]) => ({ code, ...counts })),
  };
}

/**
 * Closes an open campaign for good. Every item must be decided, or carried as an exception with a
 * reason given by the campaign owner; each exception and the close are appended to the log.
 */
export function closeCampaign(
  db: Db,
  campaignId: number,
  actor: string,
  exceptions: ReadonlyArray<{ itemId: number; reason: string }>,
): Campaign {
  return db.transaction(() => {
    const campaign = getCampaign(db, campaignId);
    requireState(campaign, 'open', 'be closed');
    requireOwner(campaign, actor, 'close');
    const who = normalizeEmail(actor);
    const reasons = new Map(exceptions.map((e) => [e.itemId, e.reason]));
    const pending = db
      .prepare('SELECT id FROM review_items WHERE campaign_id = ? AND decision IS NULL ORDER BY id')
      .pluck()
      .all(campaignId) as number[];
    const pendingSet = new Set(pending);
    const stray = exceptions.filter((e) => !pendingSet.has(e.itemId)).map((e) => e.itemId);
    if (stray.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `Only undecided items of campaign ${campaignId} can be carried as exceptions; ${stray.slice(0, 10).join(', ')} ${stray.length === 1 ? 'is' : 'are'} decided or not in it.`,
      );
    }
    const uncovered = pending.filter((id) => !reasons.get(id)?.trim());
    if (uncovered.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `Campaign ${campaignId} cannot be closed: ${uncovered.length} item(s) are undecided (${uncovered.slice(0, 10).join(', ')}${uncovered.length > 10 ? ', …' : ''}). Decide them, or carry each as an exception with a reason.`,
      );
    }
    const mark = db.prepare(
      `UPDATE review_items SET decision = 'exception', justification = ?, decided_by = ?, decided_at = ?, log_seq = ?
        WHERE id = ?`,
    );
    for (const itemId of pending) {
      const reason = reasons.get(itemId)!.trim();
      const record = appendDecision(db, {
        actor: who,
        action: 'item.exception',
        payload: { campaignId, itemId, reason },
      });
      mark.run(reason, who, record.ts, record.seq, itemId);
    }
    const closedAt = new Date().toISOString();
    db.prepare(`UPDATE campaigns SET state = 'closed', closed_at = ? WHERE id = ?`).run(closedAt, campaignId);
    appendDecision(db, {
      actor: who,
      action: 'campaign.close',
      payload: { campaignId, exceptions: pending.length },
      ts: closedAt,
    });
    return getCampaign(db, campaignId);
  })();
}
