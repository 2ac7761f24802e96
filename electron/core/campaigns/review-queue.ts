import type { z } from 'zod';
import type {
  QueueRow,
  queueIdsSchema,
  queueSelectionSchema,
  reviewItemDetailSchema,
  reviewQueueInputSchema,
  reviewQueueSchema,
} from '../../../shared/api/schemas/review-queue';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import {
  RISK_SIGNAL_CODES,
  RISK_SIGNALS,
  type RiskSeverity,
  type RiskSignalCode,
} from '../../../shared/domain/risk';
import type { Db } from '../db/open-database';
import { identityDetail } from '../inventory/identity-detail';
import { getCampaign, getItem, normalizeEmail, type Campaign, type ReviewItem } from './campaigns';
import { reviewItemsOf } from './review-item-columns';

type QueueInput = z.output<typeof reviewQueueInputSchema>;
type QueueSelection = z.output<typeof queueSelectionSchema>;
type ReviewQueue = z.output<typeof reviewQueueSchema>;
type QueueIds = z.output<typeof queueIdsSchema>;
type ReviewItemDetail = z.output<typeof reviewItemDetailSchema>;

/**
 * The column each sort orders by. The whole campaign's queue (the campaign owner's view, the
 * campaign's size) sorts by name or risk from an index that also holds the filter columns
 * (migrations 005 and 007): only that column is named, so SQLite walks the index in order and stops
 * after the page. One reviewer's queue is found through (campaign, reviewer, decision, ...) and sorted
 * in memory (migration 008); there the item id breaks ties, so pages never overlap.
 */
const SORT_COLUMNS: Record<QueueInput['sort'], string> = {
  identity: 'r.name',
  kind: 'r.kind',
  source: 'r.source',
  owner: 'r.owner_email',
  ownerStatus: 'r.owner_status',
  lastUsed: 'r.last_used_at',
  oldestCredential: 'r.oldest_credential_at',
  risk: 'r.risk_score',
  decision: 'r.decision',
};

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Escapes LIKE's wildcards so a search for "svc_" finds the underscore, not any character. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE clause of a selection: the queue, its id list for "select all" and the bulk decision all
 * read the same rows. Every test reads a column of the row, never the frozen JSON.
 */
export function queueWhere(
  selection: QueueSelection,
  campaign: Campaign,
  today: string = todayIso(),
): { sql: string; params: unknown[] } {
  const where = ['r.campaign_id = ?'];
  const params: unknown[] = [selection.campaignId];
  if (selection.reviewer) {
    where.push('r.reviewer = ?');
    params.push(normalizeEmail(selection.reviewer));
  }
  switch (selection.decision) {
    case undefined:
      break;
    case 'pending':
      where.push('r.decision IS NULL');
      break;
    case 'decided':
      where.push('r.decision IS NOT NULL');
      break;
    default:
      where.push('r.decision = ?');
      params.push(selection.decision);
  }
  if (selection.signals && selection.signals.length > 0) {
    where.push(`(${selection.signals.map(() => 'instr(r.signal_codes, ?) > 0').join(' OR ')})`);
    params.push(...selection.signals.map((code) => `,${code},`));
  }
  if (selection.highRiskOnly) where.push('r.high_risk = 1');
  if (selection.overdueOnly) {
    // Overdue is a property of the campaign's date: before the due date nothing is overdue.
    if (campaign.due !== null && campaign.due < today) where.push('r.decision IS NULL');
    else where.push('0');
  }
  const search = selection.search?.trim();
  if (search) {
    where.push(
      `(lower(r.name) LIKE ? ESCAPE '\\' OR lower(r.owner_email) LIKE ? ESCAPE '\\' OR lower(r.external_id) LIKE ? ESCAPE '\\')`,
    );
    const pattern = likePattern(search);
    params.push(pattern, pattern, pattern);
  }
  return { sql: where.join(' AND '), params };
}

/** The page query itself, exported so a test can check its plan uses an index. */
export function queuePageQuery(
  input: QueueInput,
  campaign: Campaign,
  today?: string,
): { sql: string; params: unknown[] } {
  const where = queueWhere(input, campaign, today);
  const direction = input.direction === 'desc' ? 'DESC' : 'ASC';
  return {
    sql: `SELECT r.id AS itemId, r.identity_id AS identityId, r.name, r.kind, r.source, r.owner_email AS owner,
                 r.owner_status AS ownerStatus, r.last_used_at AS lastUsedAt,
                 r.oldest_credential_at AS oldestCredentialAt, r.signals, r.high_risk AS highRisk, r.decision,
                 r.decided_at AS decidedAt, r.self_review AS selfReview
            FROM ${reviewItemsOf(input.reviewer)} WHERE ${where.sql}
           ORDER BY ${SORT_COLUMNS[input.sort]} ${direction}${input.reviewer ? `, r.id ${direction}` : ''}
           LIMIT ? OFFSET ?`,
    params: [...where.params, input.limit, input.offset],
  };
}

interface QueueDbRow {
  itemId: number;
  identityId: number;
  name: string;
  kind: string;
  source: string;
  owner: string | null;
  ownerStatus: QueueRow['ownerStatus'];
  lastUsedAt: string | null;
  oldestCredentialAt: string | null;
  signals: string;
  highRisk: number;
  decision: QueueRow['decision'] | null;
  decidedAt: string | null;
  selfReview: number;
}

/** One window of a reviewer's queue (or the whole campaign's), with the totals the scrollbar needs. */
export function reviewQueue(db: Db, input: QueueInput): ReviewQueue {
  const campaign = getCampaign(db, input.campaignId);
  const where = queueWhere(input, campaign);
  const counts = db
    .prepare(
      `SELECT count(*) AS total, count(r.decision) AS decided FROM ${reviewItemsOf(input.reviewer)}
        WHERE ${where.sql}`,
    )
    .get(...where.params) as { total: number; decided: number };
  const page = queuePageQuery(input, campaign);
  const rows = (db.prepare(page.sql).all(...page.params) as QueueDbRow[]).map((row): QueueRow => ({
    ...row,
    signals: (JSON.parse(row.signals) as QueueRow['signals']).map(({ code, severity, reason }) => ({
      code,
      severity,
      reason,
    })),
    highRisk: row.highRisk === 1,
    decision: row.decision ?? 'pending',
    selfReview: row.selfReview === 1,
  }));
  return { total: counts.total, decided: counts.decided, rows };
}

/** Every item id of a selection ("select all 4,812 matching") and which signals are among them. */
export function queueIds(db: Db, selection: QueueSelection): QueueIds {
  const campaign = getCampaign(db, selection.campaignId);
  const where = queueWhere(selection, campaign);
  const rows = db
    .prepare(
      `SELECT r.id, r.signal_codes AS codes, r.high_risk AS highRisk FROM ${reviewItemsOf(selection.reviewer)}
        WHERE ${where.sql} ORDER BY r.name, r.id`,
    )
    .all(...where.params) as Array<{ id: number; codes: string; highRisk: number }>;
  const counts = new Map<RiskSignalCode, number>();
  const carrier = new Map<RiskSignalCode, number>();
  let highRisk = 0;
  for (const row of rows) {
    if (row.highRisk === 1) highRisk += 1;
    for (const code of row.codes.split(',') as RiskSignalCode[]) {
      if (!code) continue;
      counts.set(code, (counts.get(code) ?? 0) + 1);
      if (!carrier.has(code)) carrier.set(code, row.id);
    }
  }
  // Every item of a campaign was evaluated under the one policy of its launch, so one item that
  // carries a code says the severity it has for all: a dozen reads, not one per item.
  const signalsOf = db.prepare('SELECT signals FROM review_items WHERE id = ?').pluck();
  const severityOf = (code: RiskSignalCode): RiskSeverity => {
    const frozen = JSON.parse(signalsOf.get(carrier.get(code)) as string) as Array<{
      code: RiskSignalCode;
      severity: RiskSeverity;
    }>;
    return frozen.find((s) => s.code === code)?.severity ?? RISK_SIGNALS[code].baseSeverity;
  };
  return {
    itemIds: rows.map((row) => row.id),
    signals: RISK_SIGNAL_CODES.filter((code) => counts.has(code)).map((code) => ({
      code,
      count: counts.get(code)!,
      severity: severityOf(code),
    })),
    highRisk,
  };
}

// ---- One item, with what changed since the last campaign ----

/**
 * One item with everything the detail panel shows beyond the frozen copy: the identity's history
 * across snapshots, its item in the last campaign launched before this one, and what differs.
 */
export function reviewItemDetail(db: Db, campaignId: number, itemId: number): ReviewItemDetail {
  const campaign = getCampaign(db, campaignId);
  const item = getItem(db, campaignId, itemId);
  const { history } = identityDetail(db, item.identityId);
  const previousRow = db
    .prepare(
      `SELECT r.id AS itemId, c.id AS campaignId, c.name AS campaignName, c.as_of AS asOf
         FROM review_items r JOIN campaigns c ON c.id = r.campaign_id
        WHERE r.identity_id = ? AND r.campaign_id <> ? AND c.launched_at IS NOT NULL AND c.launched_at < ?
        ORDER BY c.launched_at DESC LIMIT 1`,
    )
    .get(item.identityId, campaignId, campaign.launchedAt ?? '9999') as
    { itemId: number; campaignId: number; campaignName: string; asOf: string } | undefined;
  if (!previousRow) return { item, history, previous: null, changes: [] };
  const before = getItem(db, previousRow.campaignId, previousRow.itemId);
  return {
    item,
    history,
    previous: {
      ...previousRow,
      decision: before.decision,
      decidedBy: before.decidedBy,
      decidedAt: before.decidedAt,
      justification: before.justification,
    },
    changes: itemChanges(before, item),
  };
}

type Change = ReviewItemDetail['changes'][number];

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'never';
}

function credentialKey(credential: IdentityRecord['credentials'][number], index: number): string {
  return credential.externalId ?? `#${index + 1}`;
}

function credentialName(credential: IdentityRecord['credentials'][number], index: number): string {
  return credential.externalId
    ? `${credential.type} ${credential.externalId}`
    : `${credential.type} ${index + 1}`;
}

/** The differences a reviewer should know about, oldest copy first, in plain words. */
export function itemChanges(before: ReviewItem, after: ReviewItem): Change[] {
  const changes: Change[] = [];
  const a = before.identity;
  const b = after.identity;
  if (a.name !== b.name) changes.push({ aspect: 'name', summary: `Renamed from ${a.name} to ${b.name}.` });
  if (a.status !== b.status)
    changes.push({ aspect: 'status', summary: `Status changed from ${a.status} to ${b.status}.` });

  const ownersBefore = new Map(a.owners.map((o) => [`${o.role}:${o.email.toLowerCase()}`, o]));
  const ownersAfter = new Map(b.owners.map((o) => [`${o.role}:${o.email.toLowerCase()}`, o]));
  for (const [key, owner] of ownersAfter) {
    const old = ownersBefore.get(key);
    if (!old) changes.push({ aspect: 'owners', summary: `New ${owner.role} owner ${owner.email}.` });
    else if (old.status !== owner.status)
      changes.push({
        aspect: 'owners',
        summary: `${owner.email} (${owner.role} owner) was ${old.status}, now ${owner.status}.`,
      });
  }
  for (const [key, owner] of ownersBefore) {
    if (!ownersAfter.has(key))
      changes.push({ aspect: 'owners', summary: `${owner.email} is no longer the ${owner.role} owner.` });
  }

  const credentialsBefore = new Map(a.credentials.map((c, i) => [credentialKey(c, i), { c, i }]));
  const credentialsAfter = new Map(b.credentials.map((c, i) => [credentialKey(c, i), { c, i }]));
  for (const [key, { c, i }] of credentialsAfter) {
    const old = credentialsBefore.get(key)?.c;
    const name = credentialName(c, i);
    if (!old) {
      changes.push({ aspect: 'credentials', summary: `New ${name}, created ${day(c.createdAt)}.` });
      continue;
    }
    if ((old.lastRotatedAt ?? old.createdAt) !== (c.lastRotatedAt ?? c.createdAt))
      changes.push({
        aspect: 'credentials',
        summary: `${name} was rotated on ${day(c.lastRotatedAt ?? c.createdAt)}.`,
      });
    if (old.expiresAt !== c.expiresAt)
      changes.push({
        aspect: 'credentials',
        summary: `${name} now expires ${c.expiresAt ? `on ${day(c.expiresAt)}` : 'never'} (was ${old.expiresAt ? day(old.expiresAt) : 'never'}).`,
      });
    if (old.status !== c.status)
      changes.push({ aspect: 'credentials', summary: `${name} went from ${old.status} to ${c.status}.` });
  }
  for (const [key, { c, i }] of credentialsBefore) {
    if (!credentialsAfter.has(key))
      changes.push({ aspect: 'credentials', summary: `${credentialName(c, i)} is gone.` });
  }

  const entitlementsBefore = new Map(a.entitlements.map((e) => [e.name.toLowerCase(), e]));
  const entitlementsAfter = new Map(b.entitlements.map((e) => [e.name.toLowerCase(), e]));
  for (const [key, e] of entitlementsAfter) {
    if (!entitlementsBefore.has(key))
      changes.push({
        aspect: 'entitlements',
        summary: `Gained ${e.name}${e.privileged ? ' (privileged)' : ''}.`,
      });
  }
  for (const [key, e] of entitlementsBefore) {
    if (!entitlementsAfter.has(key)) changes.push({ aspect: 'entitlements', summary: `Lost ${e.name}.` });
  }

  const signalsBefore = new Set(before.signals.map((s) => s.code));
  const signalsAfter = new Set(after.signals.map((s) => s.code));
  for (const code of signalsAfter)
    if (!signalsBefore.has(code))
      changes.push({ aspect: 'signals', summary: `New signal: ${RISK_SIGNALS[code].label}.` });
  for (const code of signalsBefore)
    if (!signalsAfter.has(code))
      changes.push({ aspect: 'signals', summary: `No longer flagged: ${RISK_SIGNALS[code].label}.` });

  if (a.lastUsedAt !== b.lastUsedAt)
    changes.push({
      aspect: 'last-used',
      summary: b.lastUsedAt
        ? `Used since: last use ${day(b.lastUsedAt)} (was ${day(a.lastUsedAt)}).`
        : `Last use no longer reported (was ${day(a.lastUsedAt)}).`,
    });
  else
    changes.push({
      aspect: 'last-used',
      summary: b.lastUsedAt
        ? `Not used since the last campaign (last use ${day(b.lastUsedAt)}).`
        : 'Still never used, as at the last campaign.',
    });
  return changes;
}
