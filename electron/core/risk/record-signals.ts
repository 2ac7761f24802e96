import type { IdentityRecord, IdentitySignal } from '../../../shared/api/schemas/inventory';
import {
  RISK_SIGNAL_CODES,
  owaspRefFor,
  type RiskSignal,
  type RiskSignalCode,
} from '../../../shared/domain/risk';
import type { IdSelection } from '../db/id-selection';
import type { Db } from '../db/open-database';
import { readRiskPolicy } from './risk-policy-store';
import { SIGNAL_NUMBER, SLOT_OF_DATE, signalOfNumber } from './indexed-signals';
import { compilePolicy, createRiskEvaluator, type RiskOwner, type RiskSubject } from './risk-signals';

/**
 * The signals of identity records as they are read: every signal of one identity is evaluated from
 * the record itself (the code the signal index is built with, so a page shows what the signal filter
 * found), and the one judged over the whole population, `shared-across-environments`, comes from the
 * signal index, which stores its reason (migration 010).
 */

/** Signals whose reason is judged over the population, and so stored in the signal index. */
const POPULATION_SIGNALS: readonly RiskSignalCode[] = ['shared-across-environments'];

const ORDER = new Map(RISK_SIGNAL_CODES.map((code, index) => [code, index]));

type RecordWithoutSignals = Omit<IdentityRecord, 'signals'>;

/**
 * What the risk rules read about these records: each with its attributes, its source's kind and its
 * owners' termination dates (`ownersOf`, by identity id). `selection` covers the records' ids.
 */
export function riskSubjectsOf<R extends RecordWithoutSignals>(
  db: Db,
  records: readonly R[],
  ownersOf: ReadonlyMap<number, readonly RiskOwner[]>,
  selection: IdSelection,
): Array<R & RiskSubject> {
  const sourceKinds = new Map(
    (db.prepare('SELECT name, kind FROM sources').raw().all() as Array<[string, string]>).map(
      ([name, kind]) => [name, kind],
    ),
  );
  const attributes = new Map(
    db
      .prepare(
        `SELECT identity_id, attributes FROM identity_attributes WHERE ${selection.condition('identity_id')}`,
      )
      .raw()
      .all(...selection.params) as Array<[number, string]>,
  );
  return records.map((record) => {
    const json = attributes.get(record.id);
    return {
      ...record,
      attributes: json ? (JSON.parse(json) as RiskSubject['attributes']) : {},
      sourceKind: sourceKinds.get(record.source) ?? '',
      owners: ownersOf.get(record.id) ?? [],
    };
  });
}

/**
 * The signals of each subject at `asOf` under the vault's risk policy, in the order of
 * RISK_SIGNAL_CODES: its own evaluated now, the population's from the signal index (none when the
 * index is not built).
 */
export function signalsOfSubjects(
  db: Db,
  subjects: readonly RiskSubject[],
  asOf: string,
  selection: IdSelection,
): Map<number, IdentitySignal[]> {
  const result = new Map<number, IdentitySignal[]>();
  if (subjects.length === 0) return result;
  const policy = compilePolicy(readRiskPolicy(db).policy);
  const evaluate = createRiskEvaluator(asOf, policy);
  for (const subject of subjects) {
    const signals = evaluate(subject).map(toIdentitySignal);
    if (signals.length > 0) result.set(subject.id, signals);
  }
  const stored = db
    .prepare(
      `SELECT identity_id AS identityId, signal, reason FROM identity_signals
        WHERE ${SLOT_OF_DATE} AND signal IN (${POPULATION_SIGNALS.map(() => '?').join(',')})
          AND ${selection.condition('identity_id')} AND reason IS NOT NULL`,
    )
    .all(asOf, ...POPULATION_SIGNALS.map((code) => SIGNAL_NUMBER[code]), ...selection.params) as Array<{
    identityId: number;
    signal: number;
    reason: string;
  }>;
  if (stored.length === 0) return result;
  for (const row of stored) {
    const code = signalOfNumber(row.signal);
    const signal: IdentitySignal = {
      code,
      reason: row.reason,
      owasp: owaspRefFor(code)?.id ?? null,
      severity: policy.severity[code],
    };
    const list = result.get(row.identityId);
    if (!list) result.set(row.identityId, [signal]);
    else {
      list.push(signal);
      list.sort((a, b) => ORDER.get(a.code)! - ORDER.get(b.code)!);
    }
  }
  return result;
}

function toIdentitySignal(signal: RiskSignal): IdentitySignal {
  return {
    code: signal.code,
    reason: signal.reason,
    owasp: signal.owasp?.id ?? null,
    severity: signal.severity,
  };
}
