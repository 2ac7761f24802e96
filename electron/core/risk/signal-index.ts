import { RISK_SIGNAL_CODES, type RiskSignalCode } from '../../../shared/domain/risk';
import { BatchedInsert } from '../db/batched-insert';
import { enterBulkLoad } from '../db/bulk-load';
import { withoutZeroingFreedPages } from '../db/secure-delete';
import type { Db } from '../db/open-database';
import { riskSubjectsAfter, todayIso } from '../inventory/identity-query';
import { SIGNAL_NUMBER, SLOT_OF_DATE, signalOfNumber } from './indexed-signals';
import { readRiskPolicy } from './risk-policy-store';
import { createRiskEvaluator, sharedAcrossEnvironments, type RiskSubject } from './risk-signals';

/**
 * Which identities carry which risk signal, computed once per as-of date for the whole population
 * and kept in `identity_signals` (migrations 006, 010 and 011), so filtering a million identities by
 * signal and counting them per signal cost an index lookup. A page's records are evaluated as they
 * are read (record-signals.ts), by the same code a campaign launch uses, so the inventory, its filter
 * and a campaign launched the same day show the same signals.
 *
 * The index holds today's date and the two other dates built last: reads alternate between dates as
 * a matter of course (the inventory's counts are today's while its list may be as of another day; a
 * campaign draft previews its own date), and at a million identities each build takes half a minute.
 */

/** Identities read per step while the index is built: bounded memory for the records' children. */
const STEP = 2_000;

/** Dates other than today the index keeps beside today's (each about as large as today's). */
const OTHER_DATES_KEPT = 2;
/** Slots the dates' rows are kept under: one per date kept. */
const SLOTS = OTHER_DATES_KEPT + 1;

export interface SignalIndexState {
  slot: number;
  asOf: string;
  computedAt: string;
  identities: number;
}

/** The index's state for `asOf`, or null when it does not hold that date (or is stale). */
export function signalIndexState(db: Db, asOf: string): SignalIndexState | null {
  return (
    (db
      .prepare(
        `SELECT slot, as_of AS asOf, computed_at AS computedAt, identities FROM signal_index_state
          WHERE as_of = ?`,
      )
      .get(asOf) as SignalIndexState | undefined) ?? null
  );
}

/** The dates the index holds, the newest build first. */
export function signalIndexDates(db: Db): string[] {
  return db
    .prepare('SELECT as_of FROM signal_index_state ORDER BY build_number DESC')
    .pluck()
    .all() as string[];
}

/**
 * How far a build of the index for `asOf` has come: identities evaluated, of how many. Identities are
 * never deleted, so ids run from 1 to the count and the last id evaluated is how many are done.
 */
export type SignalIndexProgress = (progress: { asOf: string; done: number; total: number }) => void;

/** Builds the index for `asOf` unless it is already current; returns true when it was (re)built. */
export function ensureSignalIndex(db: Db, asOf: string, onProgress?: SignalIndexProgress): boolean {
  if (signalIndexState(db, asOf)) return false;
  rebuildSignalIndex(db, asOf, onProgress);
  return true;
}

/**
 * Evaluates every identity at `asOf` under the current policy and writes that date's index in one
 * transaction, making room first (see makeRoomFor). `shared-across-environments` needs the
 * population, so the subjects are kept in a slim form (what that signal reads) while the per-identity
 * signals are written step by step. Only the population's signal keeps its reason (record-signals.ts
 * evaluates the others on read).
 */
export function rebuildSignalIndex(db: Db, asOf: string, onProgress?: SignalIndexProgress): number {
  const { policy } = readRiskPolicy(db);
  const evaluate = createRiskEvaluator(asOf, policy);
  const writeIndex = db.transaction((): number => {
    const slot = makeRoomFor(db, asOf);
    const insert = new BatchedInsert(
      db,
      'INSERT OR FAIL INTO identity_signals (slot, signal, identity_id, reason)',
      4,
    );
    const population: RiskSubject[] = [];
    let count = 0;
    const total = db.prepare('SELECT coalesce(max(id), 0) FROM identities').pluck().get() as number;
    onProgress?.({ asOf, done: 0, total });
    for (let last = 0; ;) {
      const subjects = riskSubjectsAfter(db, last, STEP, asOf);
      if (subjects.length === 0) break;
      last = subjects[subjects.length - 1]!.id;
      for (const subject of subjects) {
        for (const signal of evaluate(subject))
          insert.add(slot, SIGNAL_NUMBER[signal.code], subject.id, null);
        const slim = slimForSharing(subject);
        if (slim) population.push(slim);
      }
      count += subjects.length;
      onProgress?.({ asOf, done: last, total });
    }
    for (const [identityId, signal] of sharedAcrossEnvironments(population, asOf, policy))
      insert.add(slot, SIGNAL_NUMBER[signal.code], identityId, signal.reason);
    insert.flush();
    db.prepare(
      `INSERT INTO signal_index_state (slot, as_of, computed_at, identities, build_number)
       VALUES (?, ?, ?, ?, (SELECT coalesce(max(build_number), 0) + 1 FROM signal_index_state))`,
    ).run(slot, asOf, new Date().toISOString(), count);
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

/**
 * Frees a slot for `asOf`: forgets an older build of that date and every date beyond today's and the
 * OTHER_DATES_KEPT - 1 built last (with `asOf` itself, that many others stay), deletes the rows no
 * date claims any more (also those of dates an import or a policy change made stale), and returns the
 * lowest slot not in use.
 */
function makeRoomFor(db: Db, asOf: string): number {
  const today = todayIso();
  db.prepare('DELETE FROM signal_index_state WHERE as_of = ?').run(asOf);
  const others = signalIndexDates(db).filter((date) => date !== today);
  const keptOthers = asOf === today ? OTHER_DATES_KEPT : OTHER_DATES_KEPT - 1;
  const forget = db.prepare('DELETE FROM signal_index_state WHERE as_of = ?');
  for (const date of others.slice(keptOthers)) forget.run(date);
  const used = new Set(db.prepare('SELECT slot FROM signal_index_state').pluck().all() as number[]);
  // At most SLOTS - 1 dates stay, so the lowest free slot is always below SLOTS and every row is in
  // one of them: each unclaimed slot's rows go by their key's range, not by a scan of every date's.
  const clear = db.prepare('DELETE FROM identity_signals WHERE slot = ?');
  withoutZeroingFreedPages(db, () => {
    for (let slot = 0; slot < SLOTS; slot += 1) if (!used.has(slot)) clear.run(slot);
  });
  let slot = 0;
  while (used.has(slot)) slot += 1;
  return slot;
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

/** How many identities carry each signal at `asOf`, for the inventory's filter. */
export function signalCounts(db: Db, asOf: string): Array<{ code: RiskSignalCode; count: number }> {
  return (
    db
      .prepare(`SELECT signal, count(*) AS count FROM identity_signals WHERE ${SLOT_OF_DATE} GROUP BY signal`)
      .all(asOf) as Array<{ signal: number; count: number }>
  )
    .map(({ signal, count }) => ({ code: signalOfNumber(signal), count }))
    .sort((a, b) => RISK_SIGNAL_CODES.indexOf(a.code) - RISK_SIGNAL_CODES.indexOf(b.code));
}
