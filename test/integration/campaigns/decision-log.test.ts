import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/core/decisions/canonical-json';
import {
  appendDecision,
  decisionLogHead,
  GENESIS_HASH,
  recordHash,
  verifyDecisionLog,
} from '../../../electron/core/decisions/decision-log';
import type { Db } from '../../../electron/core/db/open-database';
import type { Vault } from '../../../electron/core/vault/vault';
import { unlockedVault } from '../../support/unlocked-vault';
import { createHash } from 'node:crypto';

let vault: Vault | null = null;
afterEach(() => vault?.lock());

async function logOfThree(): Promise<Db> {
  vault = await unlockedVault();
  const db = vault.database;
  for (const [i, action] of ['campaign.launch', 'decision.certify', 'decision.revoke'].entries()) {
    appendDecision(db, {
      actor: 'ana.silva@northwindlogistics.example',
      action,
      payload: { campaignId: 1, itemId: i, comment: `step ${i}` },
      ts: `2026-11-0${i + 2}T09:00:00.000Z`,
    });
  }
  return db;
}

/** What an attacker holding the key can do: drop the triggers, change rows. */
function asAttacker(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER decision_log_no_update; DROP TRIGGER decision_log_no_delete;');
  db.prepare(sql).run(...params);
}

describe('the decision log', () => {
  it('chains records from the genesis hash with SHA-256 of their canonical JSON, and verifies', async () => {
    const db = await logOfThree();
    const rows = db.prepare('SELECT * FROM decision_log ORDER BY seq').all() as Array<Record<string, string>>;
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    const first = rows[0]!;
    const expected = createHash('sha256')
      .update(
        canonicalJson({
          seq: 1,
          ts: first.ts!,
          actor: first.actor!,
          action: first.action!,
          payload: JSON.parse(first.payload!),
          prev_hash: GENESIS_HASH,
        }),
      )
      .digest('hex');
    expect(first.hash).toBe(expected);
    const result = verifyDecisionLog(db);
    expect(result).toEqual({ ok: true, records: 3, head: decisionLogHead(db), broken: null });
    expect(verifyDecisionLog(db, decisionLogHead(db)).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE through its triggers', async () => {
    const db = await logOfThree();
    expect(() => db.prepare(`UPDATE decision_log SET actor = 'x' WHERE seq = 2`).run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM decision_log WHERE seq = 3').run()).toThrow(/append-only/);
    expect(verifyDecisionLog(db).ok).toBe(true);
  });

  it('names an edited record', async () => {
    const db = await logOfThree();
    asAttacker(
      db,
      `UPDATE decision_log SET payload = ? WHERE seq = 2`,
      '{"campaignId":1,"comment":"fine","itemId":1}',
    );
    expect(verifyDecisionLog(db)).toMatchObject({ ok: false, broken: { seq: 2, problem: 'edited' } });
  });

  it('names a deleted record', async () => {
    const db = await logOfThree();
    asAttacker(db, 'DELETE FROM decision_log WHERE seq = 2');
    expect(verifyDecisionLog(db)).toMatchObject({ ok: false, broken: { seq: 2, problem: 'missing' } });
  });

  it('names a deleted last record against the head kept outside the vault', async () => {
    const db = await logOfThree();
    const head = decisionLogHead(db);
    asAttacker(db, 'DELETE FROM decision_log WHERE seq = 3');
    expect(verifyDecisionLog(db).ok).toBe(true);
    expect(verifyDecisionLog(db, head)).toMatchObject({
      ok: false,
      broken: { seq: 3, problem: 'head-mismatch' },
    });
  });

  it('names reordered records', async () => {
    const db = await logOfThree();
    asAttacker(db, 'UPDATE decision_log SET seq = -seq WHERE seq IN (2, 3)');
    db.prepare('UPDATE decision_log SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq < 0').run();
    expect(verifyDecisionLog(db)).toMatchObject({ ok: false, broken: { seq: 2, problem: 'out-of-order' } });
  });

  it('a chain recomputed with the key verifies alone, and the external head exposes it', async () => {
    const db = await logOfThree();
    const head = decisionLogHead(db);
    db.exec('DROP TRIGGER decision_log_no_update');
    const rows = db.prepare('SELECT * FROM decision_log ORDER BY seq').all() as Array<{
      seq: number;
      ts: string;
      actor: string;
      action: string;
      payload: string;
    }>;
    let prevHash = GENESIS_HASH;
    for (const row of rows) {
      const payload = { ...JSON.parse(row.payload), comment: 'rewritten' };
      const hash = recordHash({
        seq: row.seq,
        ts: row.ts,
        actor: row.actor,
        action: row.action,
        payload,
        prevHash,
      });
      db.prepare('UPDATE decision_log SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
        canonicalJson(payload),
        prevHash,
        hash,
        row.seq,
      );
      prevHash = hash;
    }
    expect(verifyDecisionLog(db).ok).toBe(true);
    expect(verifyDecisionLog(db, head)).toMatchObject({
      ok: false,
      broken: { seq: 3, problem: 'head-mismatch' },
    });
  });
});
