import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import { RISK_SIGNAL_CODES, type RiskSignalCode } from '../../../shared/domain/risk';
import { BatchedInsert } from '../db/batched-insert';
import { enterBulkLoad } from '../db/bulk-load';
import type { Db } from '../db/open-database';
import { identityRecordsByIds } from '../inventory/identity-query';
import { readRiskPolicy } from './risk-policy-store';
import { createRiskEvaluator, sharedAcrossEnvironments, type RiskSubject } from './risk-signals';

/**
 * The inventory's risk signals, computed once per as-of date for the whole population and kept in
 * `identity_signals` (migration 006). Reading pages and filtering by signal then costs an index
 * lookup; the evaluation itself is the same code a campaign launch uses, so the inventory and a
 * campaign launched the same day show the same signals.
 */

/** Identities read per step while the index is built: bounded memory for the records' children. */
const STEP = 2_000;

export interface SignalIndexState {
  asOf: string;
  computedAt: string;
  identities: number;
}

export function signalIndexState(db: Db): SignalIndexState | null {
  return (
    (db
      .prepare(
        'SELECT as_of AS asOf, computed_at AS computedAt, identities FROM signal_index_state WHERE id = 1',
      )
      .get() as SignalIndexState | undefined) ?? null
  );
}

/** Builds the index for `asOf` unless it is already current; returns true when it was (re)built. */
export function ensureSignalIndex(db: Db, asOf: string): boolean {
  if (signalIndexState(db)?.asOf === asOf) return false;
  rebuildSignalIndex(db, asOf);
  return true;
}

/**
 * Evaluates every identity at `asOf` under the current policy and replaces the index in one
 * transaction. `shared-across-environments` needs the population, so the subjects are kept in a
 * slim form (what that signal reads) while the per-identity signals are written step by step.
 */
export function rebuildSignalIndex(db: Db, asOf: string): number {
  const { policy } = readRiskPolicy(db);
  const evaluate = createRiskEvaluator(asOf, policy);
  const sourceKinds = new Map(
    (db.prepare('SELECT name, kind FROM sources').all() as Array<{ name: string; kind: string }>).map((s) => [
      s.name,
      s.kind,
    ]),
  );
  const terminationDates = new Map(
    (
      db.prepare('SELECT email, termination_date AS terminationDate FROM people').all() as Array<{
        email: string;
        terminationDate: string | null;
      }>
    ).map((p) => [p.email.toLowerCase(), p.terminationDate]),
  );
  const nextIds = db.prepare('SELECT id FROM identities WHERE id > ? ORDER BY id LIMIT ?').pluck();
  const attributesOf = db.prepare(
    'SELECT identity_id AS id, attributes FROM identity_attributes WHERE identity_id >= ? AND identity_id <= ?',
  );
  const writeIndex = db.transaction((): number => {
    db.prepare('DELETE FROM identity_signals').run();
    const insert = new BatchedInsert(
      db,
      'INSERT OR FAIL INTO identity_signals (identity_id, code, severity, reason)',
      4,
    );
    const population: RiskSubject[] = [];
    let count = 0;
    for (let last = 0; ;) {
      const ids = nextIds.all(last, STEP) as number[];
      if (ids.length === 0) break;
      last = ids[ids.length - 1]!;
      const attributes = new Map(
        (attributesOf.all(ids[0], last) as Array<{ id: number; attributes: string | null }>).map((row) => [
          row.id,
          row.attributes,
        ]),
      );
      for (const record of identityRecordsByIds(db, ids, asOf)) {
        const subject = riskSubjectOf(
          record,
          attributes.get(record.id) ?? null,
          sourceKinds,
          terminationDates,
        );
        for (const signal of evaluate(subject))
          insert.add(record.id, signal.code, signal.severity, signal.reason);
        const slim = slimForSharing(subject);
        if (slim) population.push(slim);
        count += 1;
      }
    }
    for (const [identityId, signal] of sharedAcrossEnvironments(population, asOf, policy))
      insert.add(identityId, signal.code, signal.severity, signal.reason);
    insert.flush();
    db.prepare(
      `INSERT INTO signal_index_state (id, as_of, computed_at, identities) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of, computed_at = excluded.computed_at,
                                      identities = excluded.identities`,
    ).run(asOf, new Date().toISOString(), count);
    return count;
  });
  // The whole index is written again: a bulk write, as an import is (a million identities took 80 s in
  // WAL mode with the interactive cache). Within a caller's transaction (a campaign launch, itself a
  // bulk load) the journal cannot change and need not.
  const leaveBulkLoad = db.inTransaction ? () => {} : enterBulkLoad(db);
  try {
    return writeIndex();
  } finally {
    leaveBulkLoad();
  }
}

function riskSubjectOf(
  record: IdentityRecord,
  attributesJson: string | null,
  sourceKinds: ReadonlyMap<string, string>,
  terminationDates: ReadonlyMap<string, string | null>,
): RiskSubject {
  return {
    ...record,
    attributes: attributesJson
      ? (JSON.parse(attributesJson) as Record<string, string | number | boolean | null>)
      : {},
    sourceKind: sourceKinds.get(record.source) ?? '',
    owners: record.owners.map((owner) => ({
      ...owner,
      terminationDate: terminationDates.get(owner.email.toLowerCase()) ?? null,
    })),
  };
}

const SHARED_ATTRIBUTES = [
  'fingerprint',
  'appId',
  'clientId',
  'microsoftFirstParty',
  'awsRoleArn',
  'gcpServiceAccount',
  'azureClientId',
] as const;

/**
 * What `sharedAcrossEnvironments` reads, and nothing more, or null for an identity that cannot take
 * part (no environment, disabled, a register row, nothing to share): a million full records would
 * not fit in memory.
 */
function slimForSharing(subject: RiskSubject): RiskSubject | null {
  if (!subject.environment?.trim() || subject.status === 'disabled' || subject.sourceKind === 'cmdb')
    return null;
  const attributes: Record<string, string | number | boolean | null> = {};
  for (const key of SHARED_ATTRIBUTES)
    if (subject.attributes[key] !== undefined) attributes[key] = subject.attributes[key]!;
  const credentials = subject.credentials.filter((c) => c.status === 'active' && c.externalId);
  if (credentials.length === 0 && Object.keys(attributes).length === 0) return null;
  return {
    id: subject.id,
    source: subject.source,
    kind: subject.kind,
    name: subject.name,
    environment: subject.environment,
    status: subject.status,
    createdAt: null,
    lastUsedAt: null,
    notSeenSince: subject.notSeenSince ?? null,
    sourceKind: subject.sourceKind,
    owners: [],
    credentials,
    entitlements: [],
    attributes,
  };
}

/** How many identities carry each signal, for the inventory's filter. */
export function signalCounts(db: Db): Array<{ code: RiskSignalCode; count: number }> {
  return (
    db.prepare('SELECT code, count(*) AS count FROM identity_signals GROUP BY code').all() as Array<{
      code: RiskSignalCode;
      count: number;
    }>
  ).sort((a, b) => RISK_SIGNAL_CODES.indexOf(a.code) - RISK_SIGNAL_CODES.indexOf(b.code));
}
