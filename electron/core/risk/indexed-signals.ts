import type { IdentitySignal } from '../../../shared/api/schemas/inventory';
import {
  RISK_SIGNAL_CODES,
  owaspRefFor,
  type RiskSeverity,
  type RiskSignalCode,
} from '../../../shared/domain/risk';
import type { Db } from '../db/open-database';

const ORDER = new Map(RISK_SIGNAL_CODES.map((code, index) => [code, index]));

/**
 * The signals the signal index (signal-index.ts) holds for these identities, in the order of
 * RISK_SIGNAL_CODES. Identities without signals, or an index not built yet, give no entry.
 */
export function indexedSignalsFor(db: Db, ids: readonly number[]): Map<number, IdentitySignal[]> {
  const result = new Map<number, IdentitySignal[]>();
  if (ids.length === 0) return result;
  const rows = db
    .prepare(
      `SELECT identity_id AS identityId, code, severity, reason FROM identity_signals
        WHERE identity_id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as Array<{
    identityId: number;
    code: RiskSignalCode;
    severity: RiskSeverity;
    reason: string;
  }>;
  for (const row of rows) {
    const signal: IdentitySignal = {
      code: row.code,
      reason: row.reason,
      owasp: owaspRefFor(row.code)?.id ?? null,
      severity: row.severity,
    };
    const list = result.get(row.identityId);
    if (list) list.push(signal);
    else result.set(row.identityId, [signal]);
  }
  for (const list of result.values()) list.sort((a, b) => ORDER.get(a.code)! - ORDER.get(b.code)!);
  return result;
}

/**
 * Marks the index stale. Called inside the transaction of every write that changes what signals
 * read (a snapshot, the roster, the risk policy), so the index is never read as current afterwards.
 */
export function invalidateSignalIndex(db: Db): void {
  db.prepare('DELETE FROM signal_index_state').run();
}
