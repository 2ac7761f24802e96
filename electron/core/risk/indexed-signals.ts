import type { RiskSignalCode } from '../../../shared/domain/risk';
import type { Db } from '../db/open-database';

/**
 * Each signal's number in the index, stored instead of its name: a number takes one byte where the
 * names take 5 to 29, which is half of each of about four million rows per date at a million
 * identities. Never renumber one; a new signal takes the next free number.
 */
export const SIGNAL_NUMBER: Readonly<Record<RiskSignalCode, number>> = {
  'no-owner': 1,
  'owner-terminated': 2,
  'owner-not-in-roster': 3,
  'never-used': 4,
  stale: 5,
  'usage-unknown': 6,
  'credential-old': 7,
  'credential-no-expiry': 8,
  'credential-expired-but-active': 9,
  privileged: 10,
  'third-party': 11,
  'interactive-login': 12,
  'shared-across-environments': 13,
  'disabled-with-active-credential': 14,
};

const SIGNAL_OF_NUMBER = new Map(
  Object.entries(SIGNAL_NUMBER).map(([code, number]) => [number, code as RiskSignalCode]),
);

/** The signal an index row's number stands for. */
export function signalOfNumber(number: number): RiskSignalCode {
  const code = SIGNAL_OF_NUMBER.get(number);
  if (code === undefined) throw new Error(`The risk-signal index holds an unknown signal number ${number}.`);
  return code;
}

/**
 * The signal index's rows of one as-of date: `identity_signals` rows whose slot holds the date bound
 * to the one parameter. Reads use it as `FROM identity_signals WHERE ${SLOT_OF_DATE} AND …`.
 */
export const SLOT_OF_DATE = 'slot = (SELECT slot FROM signal_index_state WHERE as_of = ?)';

/**
 * Marks the index stale for every date it holds. Called inside the transaction of every write that
 * changes what signals read (a snapshot, the roster, the risk policy), so the index is never read as
 * current afterwards; the next build deletes the rows no date claims any more.
 */
export function invalidateSignalIndex(db: Db): void {
  db.prepare('DELETE FROM signal_index_state').run();
}
