import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database';
import { canonicalJson } from './canonical-json';

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface DecisionRecord {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  payload: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

export interface AppendInput {
  actor: string;
  action: string;
  payload: { [key: string]: JsonValue };
  /** When the decision was made; defaults to now. */
  ts?: string;
}

/** The hash of a record: SHA-256 of the RFC 8785 canonical JSON of its fields (snake_case prev_hash). */
export function recordHash(record: Omit<DecisionRecord, 'hash'>): string {
  const canonical = canonicalJson({
    seq: record.seq,
    ts: record.ts,
    actor: record.actor,
    action: record.action,
    payload: record.payload,
    prev_hash: record.prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Appends one record to the chain. Runs in its own transaction, or inside the caller's (as a savepoint)
 * so a decision and the item it changes commit together; `synchronous=FULL` makes the commit durable.
 */
export function appendDecision(db: Db, input: AppendInput): DecisionRecord {
  return db.transaction((): DecisionRecord => {
    const last = db.prepare('SELECT seq, hash FROM decision_log ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    const unhashed = {
      seq: (last?.seq ?? 0) + 1,
      ts: input.ts ?? new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      payload: input.payload,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const record: DecisionRecord = { ...unhashed, hash: recordHash(unhashed) };
    db.prepare(
      'INSERT INTO decision_log (seq, ts, actor, action, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      record.seq,
      record.ts,
      record.actor,
      record.action,
      canonicalJson(record.payload),
      record.prevHash,
      record.hash,
    );
    return record;
  })();
}

/**
 * Appends many records to the chain in one transaction with one prepared statement: a bulk decision on
 * 10,000 items. Each record is exactly what `appendDecision` would have written for it in turn (same
 * fields, same hashing, each chained to the one before), so `verifyDecisionLog` cannot tell them apart.
 */
export function appendDecisions(db: Db, inputs: readonly AppendInput[]): DecisionRecord[] {
  return db.transaction((): DecisionRecord[] => {
    const last = db.prepare('SELECT seq, hash FROM decision_log ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    const insert = db.prepare(
      'INSERT INTO decision_log (seq, ts, actor, action, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const now = new Date().toISOString();
    const records: DecisionRecord[] = [];
    for (const input of inputs) {
      seq += 1;
      const unhashed = {
        seq,
        ts: input.ts ?? now,
        actor: input.actor,
        action: input.action,
        payload: input.payload,
        prevHash,
      };
      const record: DecisionRecord = { ...unhashed, hash: recordHash(unhashed) };
      insert.run(
        record.seq,
        record.ts,
        record.actor,
        record.action,
        canonicalJson(record.payload),
        record.prevHash,
        record.hash,
      );
      records.push(record);
      prevHash = record.hash;
    }
    return records;
  })();
}

/** The last record's seq and hash: the head to keep outside the vault and print in the evidence. */
export function decisionLogHead(db: Db): { seq: number; hash: string } {
  const last = db.prepare('SELECT seq, hash FROM decision_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

export interface LogBreak {
  /** The first record that does not hold (for a missing record, the seq where it should be). */
  seq: number;
  problem: 'edited' | 'missing' | 'out-of-order' | 'unreadable' | 'head-mismatch';
  message: string;
}

export interface LogVerification {
  ok: boolean;
  records: number;
  head: { seq: number; hash: string };
  broken: LogBreak | null;
}

/**
 * Recomputes the chain from genesis and returns the first record that does not hold: its stored hash
 * differs from the recomputed one (edited), a seq is skipped (deleted), or its prev_hash is not the
 * hash before it (reordered, or a record removed and the rest renumbered). A chain recomputed by
 * someone with the key holds on its own; `expectedHead`, a head kept outside the vault, exposes it.
 */
export function verifyDecisionLog(db: Db, expectedHead?: { seq: number; hash: string }): LogVerification {
  const rows = db
    .prepare(
      'SELECT seq, ts, actor, action, payload, prev_hash AS prevHash, hash FROM decision_log ORDER BY seq',
    )
    .iterate() as IterableIterator<Omit<DecisionRecord, 'payload'> & { payload: string }>;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let head = { seq: 0, hash: GENESIS_HASH };
  const hashes = new Map<number, string>();
  const fail = (broken: LogBreak): LogVerification => ({ ok: false, records: count, head, broken });
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      return fail(
        row.seq > expectedSeq
          ? {
              seq: expectedSeq,
              problem: 'missing',
              message: `Record ${expectedSeq} is missing: the log goes from ${expectedSeq - 1} to ${row.seq}.`,
            }
          : {
              seq: row.seq,
              problem: 'out-of-order',
              message: `Record ${row.seq} appears after record ${expectedSeq - 1}: the log was reordered.`,
            },
      );
    }
    let payload: DecisionRecord['payload'];
    try {
      payload = JSON.parse(row.payload) as DecisionRecord['payload'];
    } catch {
      return fail({ seq: row.seq, problem: 'unreadable', message: `Record ${row.seq} is not valid JSON.` });
    }
    if (row.prevHash !== prevHash) {
      return fail({
        seq: row.seq,
        problem: 'out-of-order',
        message: `Record ${row.seq} does not follow the record before it (its previous hash differs): a record was removed, inserted or moved.`,
      });
    }
    let hash: string | null;
    try {
      hash = recordHash({ ...row, payload });
    } catch {
      hash = null; // a payload no longer canonicalisable (a fraction written in) was not written by Steward
    }
    if (hash === null || hash !== row.hash) {
      return fail({
        seq: row.seq,
        problem: 'edited',
        message: `Record ${row.seq} was changed after it was written: its content no longer matches its hash.`,
      });
    }
    hashes.set(row.seq, row.hash);
    prevHash = row.hash;
    head = { seq: row.seq, hash: row.hash };
    count += 1;
    expectedSeq += 1;
  }
  if (expectedHead && expectedHead.seq > 0) {
    const atHead = hashes.get(expectedHead.seq);
    if (atHead !== expectedHead.hash) {
      return fail({
        seq: expectedHead.seq,
        problem: 'head-mismatch',
        message:
          atHead === undefined
            ? `The log ends at record ${head.seq}, but the head kept outside the vault is record ${expectedHead.seq}: records were removed.`
            : `Record ${expectedHead.seq} does not have the hash kept outside the vault: the chain was recomputed.`,
      });
    }
  }
  return { ok: true, records: count, head, broken: null };
}
