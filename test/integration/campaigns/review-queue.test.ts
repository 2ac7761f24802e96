import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Method, MethodOutput } from '../../../shared/api/contract';
import { createCore, type Core } from '../../../electron/core/core';
import { getCampaign } from '../../../electron/core/campaigns/campaigns';
import { queuePageQuery } from '../../../electron/core/campaigns/review-queue';
import type { Db } from '../../../electron/core/db/open-database';
import { Vault } from '../../../electron/core/vault/vault';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { dispatchOrThrow } from '../../support/dispatch';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const OWNER = 'ana.silva@northwindlogistics.example';
const K8S = [
  join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
  join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
];

type Item = MethodOutput<'campaigns.items'>['items'][number];

let core: Core | null = null;
let folder = '';
afterEach(() => core?.close());

/**
 * Runs `read` on the vault's database (the core exposes none): the core lets go of the vault, the
 * test opens it, then a fresh core unlocks it again.
 */
async function withDb<T>(read: (db: Db) => T): Promise<T> {
  core!.close();
  const vault = new Vault(folder);
  await vault.unlock(TEST_PASSPHRASE);
  try {
    return read(vault.database);
  } finally {
    vault.lock();
    core = createCore({ vaultFolder: folder });
    await must('vault.unlock', { passphrase: TEST_PASSPHRASE });
  }
}

function must<M extends Method>(method: M, input: unknown): Promise<MethodOutput<M>> {
  return dispatchOrThrow(core!, method, input);
}

async function refused(method: string, input: unknown): Promise<string> {
  const result = await core!.dispatch(method, input);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.error.message;
}

async function campaign(name = 'Q4 2026 machine identity review', due = '2026-11-30'): Promise<number> {
  const created = await must('campaigns.create', {
    name,
    asOf: '2026-11-01',
    due,
    owner: OWNER,
  });
  await must('campaigns.launch', { campaignId: created.id, actor: OWNER });
  return created.id;
}

async function seeded(): Promise<{ id: number; items: Item[] }> {
  folder = tempFolder();
  core = createCore({ vaultFolder: folder });
  await must('vault.create', { passphrase: TEST_PASSPHRASE });
  await must('people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
  await must('imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
  await must('imports.run', { paths: K8S, source: 'nwl-prod-eks' });
  const id = await campaign();
  const { items } = await must('campaigns.items', { campaignId: id, limit: 1000 });
  return { id, items };
}

async function verified(): Promise<void> {
  const verification = await must('log.verify', {});
  expect(verification).toMatchObject({ ok: true, broken: null });
}

describe('review.queue', () => {
  it('pages one reviewer’s queue with totals, sorts every column, filters and searches', async () => {
    const { id, items } = await seeded();
    const mine = items.filter((i) => i.reviewer === OWNER);
    expect(mine.length).toBeGreaterThan(20);

    const first = await must('review.queue', { campaignId: id, reviewer: OWNER, limit: 10 });
    expect(first.total).toBe(mine.length);
    expect(first.decided).toBe(0);
    expect(first.rows).toHaveLength(10);
    const names = mine.map((i) => i.name).sort();
    expect(first.rows.map((r) => r.name)).toEqual(names.slice(0, 10));
    const second = await must('review.queue', {
      campaignId: id,
      reviewer: OWNER,
      offset: 10,
      limit: 10,
    });
    expect(second.rows.map((r) => r.name)).toEqual(names.slice(10, 20));
    const backup = (await must('review.queue', { campaignId: id, search: 'backup-bot' })).rows[0]!;
    const frozen = items.find((i) => i.name === 'backup-bot')!;
    expect(backup).toMatchObject({
      itemId: frozen.id,
      kind: frozen.kind,
      source: frozen.source,
      owner: null,
      ownerStatus: 'none',
      lastUsedAt: frozen.identity.lastUsedAt,
      highRisk: frozen.highRisk,
      decision: 'pending',
    });
    expect(backup.signals.map((s) => s.code)).toEqual(frozen.signals.map((s) => s.code));

    // Risk, descending: the riskiest first, by the sum of severities.
    const weight = { high: 100, medium: 10, low: 1, info: 0 } as const;
    const score = (i: Item) => i.signals.reduce((sum, s) => sum + weight[s.severity], 0);
    const risky = await must('review.queue', {
      campaignId: id,
      reviewer: OWNER,
      sort: 'risk',
      direction: 'desc',
      limit: 1000,
    });
    const scores = risky.rows.map((r) => score(items.find((i) => i.id === r.itemId)!));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    for (const sort of [
      'kind',
      'source',
      'owner',
      'ownerStatus',
      'lastUsed',
      'oldestCredential',
      'decision',
    ]) {
      const sorted = await must('review.queue', {
        campaignId: id,
        reviewer: OWNER,
        sort,
        limit: 1000,
      });
      expect(sorted.total).toBe(mine.length);
      expect(new Set(sorted.rows.map((r) => r.itemId)).size).toBe(mine.length);
    }
    const byUse = await must('review.queue', {
      campaignId: id,
      sort: 'lastUsed',
      direction: 'desc',
      limit: 5,
    });
    const uses = byUse.rows.map((r) => r.lastUsedAt ?? '');
    expect(uses).toEqual([...uses].sort().reverse());

    const high = await must('review.queue', { campaignId: id, highRiskOnly: true, limit: 1000 });
    expect(high.total).toBe(items.filter((i) => i.highRisk).length);
    expect(high.rows.every((r) => r.highRisk)).toBe(true);
    const stale = await must('review.queue', {
      campaignId: id,
      signals: ['stale', 'no-owner'],
      limit: 1000,
    });
    expect(stale.total).toBe(
      items.filter((i) => i.signals.some((s) => s.code === 'stale' || s.code === 'no-owner')).length,
    );
    const airflow = await must('review.queue', { campaignId: id, search: 'AIRFLOW' });
    expect(airflow.rows.map((r) => r.name)).toContain('data-pipeline/airflow-scheduler');
    expect(airflow.rows.every((r) => r.name.includes('airflow') || r.owner?.includes('airflow'))).toBe(true);
    // LIKE wildcards are searched for as they are.
    expect((await must('review.queue', { campaignId: id, search: '%' })).total).toBe(0);
    // Not overdue before the due date (2026-11-30 is after today's tests? use a past due date below).
    const ids = await must('review.queueIds', { campaignId: id, highRiskOnly: true });
    expect(ids.itemIds).toHaveLength(high.total);
    expect(ids.signals.length).toBeGreaterThan(0);
    // Each code at the severity the items carry it (the launch policy's), not the code's base severity:
    // owner-terminated is high risk under the default policy though its base severity is medium.
    const selected = items.filter((i) => ids.itemIds.includes(i.id));
    for (const signal of ids.signals) {
      const carried = selected.flatMap((i) => i.signals).filter((s) => s.code === signal.code);
      expect(carried).toHaveLength(signal.count);
      expect(new Set(carried.map((s) => s.severity))).toEqual(new Set([signal.severity]));
    }
    expect(ids.signals.find((s) => s.code === 'owner-terminated')).toMatchObject({ severity: 'high' });
  });

  it('filters by decision and overdue; the reviewer-sorted-by-name query uses an index, not a scan', async () => {
    const { id, items } = await seeded();
    const mine = items.filter((i) => i.reviewer === OWNER && !i.highRisk);
    await must('decisions.record', {
      campaignId: id,
      itemId: mine[0]!.id,
      decision: 'certify',
      actor: OWNER,
    });
    const decided = await must('review.queue', {
      campaignId: id,
      reviewer: OWNER,
      decision: 'decided',
    });
    expect(decided.rows.map((r) => r.itemId)).toEqual([mine[0]!.id]);
    expect(decided.rows[0]).toMatchObject({ decision: 'certify', decidedAt: expect.any(String) });
    const certified = await must('review.queue', { campaignId: id, decision: 'certify' });
    expect(certified.total).toBe(1);
    const pending = await must('review.queue', {
      campaignId: id,
      reviewer: OWNER,
      decision: 'pending',
    });
    expect(pending.total).toBe(items.filter((i) => i.reviewer === OWNER).length - 1);

    // Due 2026-11-30: before that day nothing is overdue; after it, every undecided item is.
    const overdue = await must('review.queue', { campaignId: id, overdueOnly: true });
    const today = new Date().toISOString().slice(0, 10);
    expect(overdue.total).toBe(today > '2026-11-30' ? items.length - 1 : 0);
    const pastDue = await campaign('Q3 2026 late review', '2026-11-02');
    const late = await must('review.queue', {
      campaignId: pastDue,
      reviewer: OWNER,
      overdueOnly: true,
    });
    expect(late.total).toBe(items.filter((i) => i.reviewer === OWNER).length);

    const plan = await withDb((db) => {
      const page = queuePageQuery(
        { campaignId: id, reviewer: OWNER, sort: 'identity', direction: 'asc', offset: 0, limit: 200 },
        getCampaign(db, id),
      );
      return (db.prepare(`EXPLAIN QUERY PLAN ${page.sql}`).all(...page.params) as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join('\n');
    });
    // The reviewer's rows are found through their index, never by walking the campaign, then sorted.
    expect(plan).toMatch(
      /SEARCH r USING INDEX review_items_queue_decision \(campaign_id=\? AND reviewer=\?\)/,
    );
    expect(plan).not.toMatch(/SCAN r\b/);
  });
});

describe('review.bulkDecide', () => {
  it('decides many items in one go under the single-decision rules; the chain verifies', async () => {
    const { id, items } = await seeded();
    const mine = items.filter((i) => i.reviewer === OWNER);
    const low = mine.filter((i) => !i.highRisk);
    const high = mine.filter((i) => i.highRisk);
    const someoneElses = items.find((i) => i.reviewer !== OWNER)!;
    expect(low.length).toBeGreaterThan(2);
    expect(high.length).toBeGreaterThan(0);

    expect(
      await refused('review.bulkDecide', {
        campaignId: id,
        itemIds: low.map((i) => i.id),
        decision: 'revoke',
        actor: OWNER,
      }),
    ).toMatch(/justification is required to revoke/);

    const result = await must('review.bulkDecide', {
      campaignId: id,
      itemIds: [...low, ...high, someoneElses].map((i) => i.id),
      decision: 'certify',
      actor: OWNER,
    });
    expect(result.decided).toBe(low.length);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: expect.stringMatching(/high-risk/), count: high.length }),
        expect.objectContaining({
          reason: expect.stringMatching(/someone else/),
          itemIds: [someoneElses.id],
        }),
      ]),
    );
    await verified();

    const revoked = await must('review.bulkDecide', {
      campaignId: id,
      itemIds: high.map((i) => i.id),
      decision: 'revoke',
      justification: 'Unowned and unused: removing.',
      actor: OWNER,
    });
    expect(revoked).toEqual({ decided: high.length, skipped: [] });
    const after = await must('campaigns.items', {
      campaignId: id,
      reviewer: OWNER,
      limit: 1000,
    });
    expect(after.items.every((i) => i.decision !== 'pending')).toBe(true);
    expect(after.items.find((i) => i.id === high[0]!.id)).toMatchObject({
      decision: 'revoke',
      target: { type: 'identity', ref: null },
      justification: 'Unowned and unused: removing.',
      decidedBy: OWNER,
    });
    await verified();

    // A bulk record reads exactly like a single decision's record.
    await must('decisions.record', {
      campaignId: id,
      itemId: high[0]!.id,
      decision: 'revoke',
      justification: 'Single.',
      actor: OWNER,
    });
    const [single, bulk] = await withDb((db) =>
      [
        db.prepare('SELECT payload FROM decision_log ORDER BY seq DESC LIMIT 1').pluck().get() as string,
        db
          .prepare(
            `SELECT payload FROM decision_log WHERE json_extract(payload, '$.itemId') = ? ORDER BY seq LIMIT 1`,
          )
          .pluck()
          .get(high[0]!.id) as string,
      ].map((json) => Object.keys(JSON.parse(json) as object)),
    );
    expect(bulk).toEqual(single);
    await verified();

    await must('campaigns.signOff', { campaignId: id, actor: OWNER });
    expect(
      await refused('review.bulkDecide', {
        campaignId: id,
        itemIds: [low[0]!.id],
        decision: 'certify',
        actor: OWNER,
      }),
    ).toMatch(/signed off/);
  });
});

describe('review.undo', () => {
  it('appends a decision.undone record that restores the previous state, one decision further back each time', async () => {
    const { id, items } = await seeded();
    const [a, b] = items.filter((i) => i.reviewer === OWNER && !i.highRisk);
    const record = (itemId: number, decision: string, justification?: string) =>
      must('decisions.record', { campaignId: id, itemId, decision, justification, actor: OWNER });
    await record(a!.id, 'certify');
    await record(a!.id, 'revoke', 'Not needed any more.');
    await record(b!.id, 'certify');
    const count = () =>
      withDb((db) => db.prepare('SELECT count(*) FROM decision_log').pluck().get() as number);
    const before = await count();

    const first = await must('review.undo', { campaignId: id, actor: OWNER });
    expect(first).toMatchObject({
      undone: 'certify',
      item: { id: b!.id, decision: 'pending', decidedBy: null },
    });
    const second = await must('review.undo', { campaignId: id, actor: OWNER });
    expect(second).toMatchObject({
      undone: 'revoke',
      item: { id: a!.id, decision: 'certify', justification: null, decidedBy: OWNER },
    });
    expect(await count()).toBe(before + 2);
    const last = await withDb(
      (db) =>
        db.prepare('SELECT action, payload FROM decision_log ORDER BY seq DESC LIMIT 1').get() as {
          action: string;
          payload: string;
        },
    );
    expect(last.action).toBe('decision.undone');
    expect(JSON.parse(last.payload)).toMatchObject({
      itemId: a!.id,
      undone: 'revoke',
      restored: { decision: 'certify' },
    });
    await verified();

    // Redo by deciding again, then undo reaches the redo first.
    await record(b!.id, 'certify');
    expect(await must('review.undo', { campaignId: id, actor: OWNER })).toMatchObject({
      item: { id: b!.id },
    });
    expect(await must('review.undo', { campaignId: id, actor: OWNER })).toMatchObject({
      undone: 'certify',
      item: { id: a!.id, decision: 'pending' },
    });
    expect(await refused('review.undo', { campaignId: id, actor: OWNER })).toMatch(/Nothing to undo/);
    await verified();
  });
});

describe('people.search and saved views', () => {
  it('offers only active roster people, matching name, e-mail or department', async () => {
    await seeded();
    const leavers = await withDb(
      (db) =>
        db
          .prepare(`SELECT email FROM people WHERE status = 'terminated' OR termination_date IS NOT NULL`)
          .pluck()
          .all() as string[],
    );
    expect(leavers).toContain('arjun.moreau@northwindlogistics.example');
    const everyone = await must('people.search', { query: '', limit: 100 });
    expect(everyone.length).toBeGreaterThan(5);
    expect(everyone.map((p) => p.email)).not.toEqual(expect.arrayContaining([leavers[0]]));
    for (const leaver of leavers) expect(everyone.map((p) => p.email)).not.toContain(leaver);
    expect(await must('people.search', { query: 'arjun.moreau' })).toEqual([]);
    expect(await must('people.search', { query: 'keiko jensen' })).toEqual([
      {
        email: 'keiko.jensen@northwindlogistics.example',
        name: 'Keiko Jensen',
        department: 'Customer Integrations',
      },
    ]);
  });

  it('lists the built-in views, saves, replaces and removes the user’s own', async () => {
    await seeded();
    const views = await must('review.listViews', {});
    expect(views.map((v) => v.name)).toEqual(['High risk, undecided', 'Mine, overdue']);
    const saved = await must('review.saveView', {
      name: 'Stale keys',
      filters: { signals: ['stale'], search: '  ' },
    });
    await must('review.saveView', {
      name: 'stale keys',
      filters: { signals: ['stale', 'credential-old'] },
    });
    expect(await must('review.listViews', {})).toEqual(
      expect.arrayContaining([
        {
          id: saved.id,
          name: 'Stale keys',
          builtIn: false,
          filters: { signals: ['stale', 'credential-old'] },
        },
      ]),
    );
    expect(await refused('review.saveView', { name: 'Mine, overdue', filters: {} })).toMatch(/built-in/);
    expect(await refused('review.removeView', { id: 'builtin:mine-overdue' })).toMatch(/Built-in/);
    expect(await must('review.removeView', { id: saved.id })).toEqual({ removed: true });
    expect(await must('review.listViews', {})).toHaveLength(2);
  });
});

describe('review.item', () => {
  it('shows history and what changed since the last campaign that included the identity', async () => {
    const { id, items } = await seeded();
    const scheduler = items.find((i) => i.name === 'data-pipeline/airflow-scheduler')!;
    const alone = await must('review.item', {
      campaignId: id,
      itemId: scheduler.id,
    });
    expect(alone).toMatchObject({ item: { id: scheduler.id }, previous: null, changes: [] });
    expect(alone.history.map((h) => h.change)).toContain('added');

    await must('decisions.record', {
      campaignId: id,
      itemId: scheduler.id,
      decision: 'certify',
      justification: 'Still runs the nightly DAGs.',
      actor: scheduler.reviewer,
    });
    const next = await campaign('Q1 2027 machine identity review');
    const { items: nextItems } = await must('campaigns.items', {
      campaignId: next,
      limit: 1000,
    });
    const again = nextItems.find((i) => i.identityId === scheduler.identityId)!;
    const detail = await must('review.item', {
      campaignId: next,
      itemId: again.id,
    });
    expect(detail.previous).toMatchObject({
      campaignId: id,
      itemId: scheduler.id,
      decision: 'certify',
      justification: 'Still runs the nightly DAGs.',
    });
    expect(detail.changes).toEqual([
      { aspect: 'last-used', summary: expect.stringMatching(/Not used since|never used/) },
    ]);
  });
});
