import { AppError } from '../../../shared/api/errors';
import { getCampaign, type Campaign } from '../campaigns/campaigns';
import type { Db } from '../db/open-database';
import { decisionLogHead } from '../decisions/decision-log';
import { ROSTER_SOURCE } from '../people/roster-writer';

/**
 * What the evidence pack and the workpapers read from the vault. Small things (the campaign, its
 * snapshots, counts, sign-offs) come back whole; anything that grows with the population (items,
 * rejected rows, the decision log) is streamed with `.iterate()`, so tens of thousands of decisions
 * never sit in memory at once. better-sqlite3 allows one open iterator per connection: consume each
 * before starting the next.
 */

export interface EvidenceSnapshotFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** One import of an in-scope source made before the launch: the population came from these. */
export interface EvidenceSnapshot {
  id: number;
  source: string;
  sourceKind: string;
  format: string;
  preset: string | null;
  full: boolean;
  files: EvidenceSnapshotFile[];
  rowsRead: number;
  imported: number;
  rejected: number;
  notes: number;
  contentSha256: string | null;
  importedAt: string;
  importedBy: string;
  /** The latest import of its source before the launch: the one the frozen records reflect. */
  latestBeforeLaunch: boolean;
}

export interface DecisionCounts {
  inScope: number;
  decided: number;
  exceptions: number;
  pending: number;
  certify: number;
  revoke: number;
  reassign: number;
}

export interface ReviewerSummary {
  reviewer: string;
  items: number;
  certify: number;
  revoke: number;
  reassign: number;
  exception: number;
  pending: number;
  signedOffAt: string | null;
  signoffSeq: number | null;
}

export interface SignalSummary {
  code: string;
  items: number;
  certify: number;
  revoke: number;
  reassign: number;
  exception: number;
}

export interface SourceSummary {
  source: string;
  items: number;
}

/** The last campaign over the same scope before this one, and how the population moved since. */
export interface CampaignComparison {
  previous: { id: number; name: string; asOf: string; closedAt: string | null; items: number };
  added: number;
  removed: number;
  kept: number;
  /** Revoked in the previous campaign and still in this population: a revocation not carried out. */
  revokedStillPresent: Array<{ name: string; source: string; previousDecidedAt: string | null }>;
  /** Decided differently this time, among the identities in both. */
  decisionChanged: number;
}

export interface CloseRecord {
  seq: number;
  ts: string;
  actor: string;
  exceptions: number;
}

export interface EvidenceHeader {
  campaign: Campaign;
  counts: DecisionCounts;
  byReviewer: ReviewerSummary[];
  bySignal: SignalSummary[];
  bySource: SourceSummary[];
  snapshots: EvidenceSnapshot[];
  roster: { people: number; lastImportedAt: string | null };
  comparison: CampaignComparison | null;
  close: CloseRecord | null;
  launchSeq: number | null;
  logHead: { seq: number; hash: string };
  /** The range of log records that belong to this campaign. */
  campaignLog: { first: number | null; last: number | null; records: number };
}

export interface EvidenceOwner {
  email: string;
  role: string;
  status: string;
}

/** One review item with what the evidence prints about it. */
export interface EvidenceItem {
  id: number;
  identityId: number;
  name: string;
  externalId: string;
  source: string;
  kind: string;
  environment: string | null;
  identityStatus: string;
  description: string | null;
  owners: EvidenceOwner[];
  signals: Array<{ code: string; severity: string }>;
  highRisk: boolean;
  reviewer: string;
  routingRule: string;
  selfReview: boolean;
  decision: 'certify' | 'revoke' | 'reassign' | 'exception' | 'pending';
  target: { type: string; ref: string | null } | null;
  newOwner: string | null;
  justification: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  logSeq: number | null;
}

export interface RejectedRow {
  snapshotId: number;
  source: string;
  file: string;
  row: number;
  kind: 'rejected' | 'note';
  reason: string;
}

interface ItemRow {
  id: number;
  identityId: number;
  name: string;
  externalId: string | null;
  source: string;
  kind: string;
  environment: string | null;
  identityStatus: string | null;
  description: string | null;
  owners: string | null;
  signals: string;
  highRisk: number;
  reviewer: string;
  routingRule: string | null;
  selfReview: number;
  decision: EvidenceItem['decision'] | null;
  target: string | null;
  newOwner: string | null;
  justification: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  logSeq: number | null;
}

// Only the parts of the frozen record the evidence prints, taken in SQL: parsing every frozen record
// (attributes, credentials, entitlements) would cost more than drawing the row.
const ITEM_SELECT = `SELECT r.id, r.identity_id AS identityId, r.name,
    json_extract(r.frozen, '$.identity.externalId') AS externalId, r.source, r.kind,
    json_extract(r.frozen, '$.identity.environment') AS environment,
    json_extract(r.frozen, '$.identity.status') AS identityStatus,
    json_extract(r.frozen, '$.identity.description') AS description,
    json_extract(r.frozen, '$.identity.owners') AS owners,
    r.signals, r.high_risk AS highRisk, r.reviewer, json_extract(r.routing, '$.rule') AS routingRule,
    r.self_review AS selfReview, r.decision, r.target, r.new_owner AS newOwner, r.justification,
    r.decided_by AS decidedBy, r.decided_at AS decidedAt, r.log_seq AS logSeq
  FROM review_items r`;

function toItem(row: ItemRow): EvidenceItem {
  return {
    id: row.id,
    identityId: row.identityId,
    name: row.name,
    externalId: row.externalId ?? '',
    source: row.source,
    kind: row.kind,
    environment: row.environment,
    identityStatus: row.identityStatus ?? '',
    description: row.description,
    owners: row.owners ? (JSON.parse(row.owners) as EvidenceOwner[]) : [],
    signals: (JSON.parse(row.signals) as Array<{ code: string; severity: string }>).map((s) => ({
      code: s.code,
      severity: s.severity,
    })),
    highRisk: row.highRisk === 1,
    reviewer: row.reviewer,
    routingRule: row.routingRule ?? '',
    selfReview: row.selfReview === 1,
    decision: row.decision ?? 'pending',
    target: row.target ? (JSON.parse(row.target) as EvidenceItem['target']) : null,
    newOwner: row.newOwner,
    justification: row.justification,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    logSeq: row.logSeq,
  };
}

const staged = new WeakMap<Db, number>();

/**
 * Copies what the evidence prints of each item (taken out of the frozen JSON once) into a temporary
 * table, which SQLite keeps in memory here, indexed for the pack's orders; the pack and workpapers
 * read the items several times over (layout, drawing, each decision type), and reading and
 * decrypting every frozen record each time would cost more than the drawing. Call the returned
 * function to drop it.
 */
export function stageEvidenceItems(db: Db, campaignId: number): () => void {
  db.exec('DROP TABLE IF EXISTS temp.evidence_items');
  db.prepare(`CREATE TEMP TABLE evidence_items AS ${ITEM_SELECT} WHERE r.campaign_id = ?`).run(campaignId);
  db.exec(`CREATE INDEX temp.evidence_items_order ON evidence_items(reviewer, name, id);
    CREATE INDEX temp.evidence_items_decision ON evidence_items(decision, reviewer, name, id);`);
  staged.set(db, campaignId);
  return () => {
    staged.delete(db);
    db.exec('DROP TABLE IF EXISTS temp.evidence_items');
  };
}

/** The campaign's items in the order the pack prints them: by reviewer, then by name. */
export function* iterateItems(
  db: Db,
  campaignId: number,
  decision?: EvidenceItem['decision'],
): Generator<EvidenceItem> {
  const filter =
    decision === undefined ? '' : decision === 'pending' ? 'AND r.decision IS NULL' : 'AND r.decision = ?';
  const byDecision = decision && decision !== 'pending' ? [decision] : [];
  const rows = (
    staged.get(db) === campaignId
      ? db
          .prepare(`SELECT * FROM temp.evidence_items r WHERE 1 ${filter} ORDER BY r.reviewer, r.name, r.id`)
          .iterate(...byDecision)
      : db
          .prepare(`${ITEM_SELECT} WHERE r.campaign_id = ? ${filter} ORDER BY r.reviewer, r.name, r.id`)
          .iterate(campaignId, ...byDecision)
  ) as IterableIterator<ItemRow>;
  for (const row of rows) yield toItem(row);
}

/** Rejected rows and notes of the given snapshots, in file and row order. */
export function* iterateRejects(db: Db, snapshotIds: readonly number[]): Generator<RejectedRow> {
  const statement = db.prepare(
    `SELECT x.snapshot_id AS snapshotId, src.name AS source, x.file, x.row, x.kind, x.reason FROM (
        SELECT snapshot_id, file, row, 'rejected' AS kind, reason FROM snapshot_rejects WHERE snapshot_id = ?
        UNION ALL
        SELECT snapshot_id, file, row, 'note' AS kind, message FROM snapshot_notes WHERE snapshot_id = ?
      ) x JOIN snapshots s ON s.id = x.snapshot_id JOIN sources src ON src.id = s.source_id
      ORDER BY x.file, x.row, x.kind`,
  );
  for (const id of snapshotIds) yield* statement.iterate(id, id) as IterableIterator<RejectedRow>;
}

/**
 * The decision log from genesis to `toSeq` as JSON text, one record per piece, in the shape of
 * DecisionRecord. The payload is stored as canonical JSON and is spliced in as it is, so the
 * attachment hashes to exactly what the chain was computed over.
 */
export function* iterateDecisionLogJson(db: Db, toSeq: number): Generator<string> {
  const rows = db
    .prepare(
      'SELECT seq, ts, actor, action, payload, prev_hash AS prevHash, hash FROM decision_log WHERE seq <= ? ORDER BY seq',
    )
    .iterate(toSeq) as IterableIterator<{
    seq: number;
    ts: string;
    actor: string;
    action: string;
    payload: string;
    prevHash: string;
    hash: string;
  }>;
  yield '[';
  let first = true;
  for (const r of rows) {
    yield `${first ? '\n' : ',\n'}{"seq":${r.seq},"ts":${JSON.stringify(r.ts)},"actor":${JSON.stringify(r.actor)},"action":${JSON.stringify(r.action)},"payload":${r.payload},"prevHash":"${r.prevHash}","hash":"${r.hash}"}`;
    first = false;
  }
  yield '\n]\n';
}

/** Everything the pack states that is small: the campaign, counts, snapshots, sign-offs, comparison. */
export function loadEvidenceHeader(db: Db, campaignId: number): EvidenceHeader {
  const campaign = getCampaign(db, campaignId);
  if (campaign.state === 'draft')
    throw new AppError(
      'INVALID_INPUT',
      `Campaign ${campaignId} has not been launched: there is no population to evidence yet. Launch it first.`,
    );

  const perReviewer = db
    .prepare(
      `SELECT r.reviewer, count(*) AS items,
              coalesce(sum(r.decision = 'certify'), 0) AS certify, coalesce(sum(r.decision = 'revoke'), 0) AS revoke,
              coalesce(sum(r.decision = 'reassign'), 0) AS reassign, coalesce(sum(r.decision = 'exception'), 0) AS exception,
              sum(r.decision IS NULL) AS pending, s.signed_at AS signedOffAt, s.log_seq AS signoffSeq
         FROM review_items r LEFT JOIN signoffs s ON s.campaign_id = r.campaign_id AND s.reviewer = r.reviewer
        WHERE r.campaign_id = ? GROUP BY r.reviewer ORDER BY r.reviewer`,
    )
    .all(campaignId) as ReviewerSummary[];
  const counts: DecisionCounts = {
    inScope: 0,
    decided: 0,
    exceptions: 0,
    pending: 0,
    certify: 0,
    revoke: 0,
    reassign: 0,
  };
  for (const r of perReviewer) {
    counts.inScope += r.items;
    counts.certify += r.certify;
    counts.revoke += r.revoke;
    counts.reassign += r.reassign;
    counts.exceptions += r.exception;
    counts.pending += r.pending;
  }
  counts.decided = counts.certify + counts.revoke + counts.reassign;

  const bySignal = db
    .prepare(
      `SELECT json_extract(s.value, '$.code') AS code, count(*) AS items,
              coalesce(sum(r.decision = 'certify'), 0) AS certify, coalesce(sum(r.decision = 'revoke'), 0) AS revoke,
              coalesce(sum(r.decision = 'reassign'), 0) AS reassign, coalesce(sum(r.decision = 'exception'), 0) AS exception
         FROM review_items r, json_each(r.signals) s
        WHERE r.campaign_id = ? GROUP BY code ORDER BY items DESC, code`,
    )
    .all(campaignId) as SignalSummary[];
  const bySource = db
    .prepare(
      'SELECT source, count(*) AS items FROM review_items WHERE campaign_id = ? GROUP BY source ORDER BY source',
    )
    .all(campaignId) as SourceSummary[];

  // The sources the population came from: those named by the scope, or, for "every source", those
  // with items in it. Their snapshots up to the launch built the inventory the launch froze.
  const sourceNames =
    campaign.scope.sources.length > 0 ? campaign.scope.sources : bySource.map((s) => s.source);
  const snapshotRows = db.prepare(
    `SELECT s.id, src.name AS source, src.kind AS sourceKind, s.format, s.preset, s.is_full AS full,
              s.rows_read AS rowsRead, s.rows_imported AS imported, s.rows_rejected AS rejected,
              (SELECT count(*) FROM snapshot_notes n WHERE n.snapshot_id = s.id) AS notes,
              s.content_sha256 AS contentSha256, s.imported_at AS importedAt, s.imported_by AS importedBy
         FROM snapshots s JOIN sources src ON src.id = s.source_id
        WHERE src.name = ? AND s.imported_at <= ? ORDER BY s.id`,
  );
  const filesOf = db.prepare(
    'SELECT name, bytes, sha256 FROM snapshot_files WHERE snapshot_id = ? ORDER BY rowid',
  );
  const launchedAt = campaign.launchedAt ?? new Date().toISOString();
  const snapshots: EvidenceSnapshot[] = [];
  // The HR roster's latest export before the launch judged every owner's status: it is evidence too.
  for (const source of new Set([...[...sourceNames].sort(), ROSTER_SOURCE])) {
    let rows = snapshotRows.all(source, launchedAt) as Array<
      Omit<EvidenceSnapshot, 'files' | 'full' | 'latestBeforeLaunch'> & { full: number }
    >;
    if (source === ROSTER_SOURCE) rows = rows.slice(-1);
    rows.forEach((row, index) =>
      snapshots.push({
        ...row,
        full: row.full === 1,
        files: filesOf.all(row.id) as EvidenceSnapshotFile[],
        latestBeforeLaunch: index === rows.length - 1,
      }),
    );
  }

  const roster = db
    .prepare('SELECT count(*) AS people, max(imported_at) AS lastImportedAt FROM people')
    .get() as EvidenceHeader['roster'];

  const logRange = db
    .prepare(
      `SELECT min(seq) AS first, max(seq) AS last, count(*) AS records FROM decision_log
        WHERE json_extract(payload, '$.campaignId') = ?`,
    )
    .get(campaignId) as EvidenceHeader['campaignLog'];
  const closeRow = db
    .prepare(
      `SELECT seq, ts, actor, json_extract(payload, '$.exceptions') AS exceptions FROM decision_log
        WHERE action = 'campaign.close' AND json_extract(payload, '$.campaignId') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .get(campaignId) as CloseRecord | undefined;
  const launchSeq =
    (db
      .prepare(
        `SELECT seq FROM decision_log WHERE action = 'campaign.launch' AND json_extract(payload, '$.campaignId') = ?
          ORDER BY seq DESC LIMIT 1`,
      )
      .pluck()
      .get(campaignId) as number | undefined) ?? null;

  return {
    campaign,
    counts,
    byReviewer: perReviewer.map((r) => ({
      ...r,
      signedOffAt: r.signedOffAt ?? null,
      signoffSeq: r.signoffSeq ?? null,
    })),
    bySignal,
    bySource,
    snapshots,
    roster,
    comparison: compareWithPrevious(db, campaign),
    close: closeRow ?? null,
    launchSeq,
    logHead: decisionLogHead(db),
    campaignLog: logRange,
  };
}

/** Scopes compare as sets: the order a user listed sources in does not make another campaign. */
function scopeKey(scope: Campaign['scope']): string {
  return JSON.stringify(
    [scope.sources, scope.kinds, scope.environments, scope.signals].map((l) => [...l].sort()),
  );
}

function compareWithPrevious(db: Db, campaign: Campaign): CampaignComparison | null {
  const candidates = db
    .prepare(
      `SELECT id, name, as_of AS asOf, closed_at AS closedAt, scope,
              (SELECT count(*) FROM review_items r WHERE r.campaign_id = c.id) AS items
         FROM campaigns c WHERE c.id < ? AND c.state <> 'draft' ORDER BY c.id DESC`,
    )
    .all(campaign.id) as Array<CampaignComparison['previous'] & { scope: string }>;
  const key = scopeKey(campaign.scope);
  const previous = candidates.find((c) => scopeKey(JSON.parse(c.scope) as Campaign['scope']) === key);
  if (!previous) return null;
  const tally = db
    .prepare(
      `SELECT
         (SELECT count(*) FROM review_items n WHERE n.campaign_id = ? AND NOT EXISTS
            (SELECT 1 FROM review_items o WHERE o.campaign_id = ? AND o.identity_id = n.identity_id)) AS added,
         (SELECT count(*) FROM review_items o WHERE o.campaign_id = ? AND NOT EXISTS
            (SELECT 1 FROM review_items n WHERE n.campaign_id = ? AND n.identity_id = o.identity_id)) AS removed,
         (SELECT count(*) FROM review_items n JOIN review_items o
            ON o.campaign_id = ? AND o.identity_id = n.identity_id WHERE n.campaign_id = ?) AS kept,
         (SELECT count(*) FROM review_items n JOIN review_items o
            ON o.campaign_id = ? AND o.identity_id = n.identity_id
           WHERE n.campaign_id = ? AND n.decision IS NOT NULL AND o.decision IS NOT NULL
             AND n.decision <> o.decision) AS decisionChanged`,
    )
    .get(
      campaign.id,
      previous.id,
      previous.id,
      campaign.id,
      previous.id,
      campaign.id,
      previous.id,
      campaign.id,
    ) as {
    added: number;
    removed: number;
    kept: number;
    decisionChanged: number;
  };
  const revokedStillPresent = db
    .prepare(
      `SELECT n.name, n.source, o.decided_at AS previousDecidedAt FROM review_items n JOIN review_items o
          ON o.campaign_id = ? AND o.identity_id = n.identity_id
        WHERE n.campaign_id = ? AND o.decision = 'revoke' AND json_extract(o.target, '$.type') = 'identity'
        ORDER BY n.name LIMIT 200`,
    )
    .all(previous.id, campaign.id) as CampaignComparison['revokedStillPresent'];
  const { scope: _scope, ...summary } = previous;
  return { previous: summary, ...tally, revokedStillPresent };
}
