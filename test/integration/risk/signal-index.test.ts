import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Method, MethodOutput } from '../../../shared/api/contract';
import { DEFAULT_RISK_POLICY, RISK_SIGNAL_CODES } from '../../../shared/domain/risk';
import { createCore, type Core } from '../../../electron/core/core';
import { migrate, schemaVersionOf } from '../../../electron/core/db/migrate';
import { openEncryptedDatabase } from '../../../electron/core/db/open-database';
import { migrations } from '../../../electron/core/db/migrations';
import { runImport } from '../../../electron/core/imports/import-runner';
import { compilePolicy } from '../../../electron/core/risk/risk-signals';
import {
  ensureSignalIndex,
  rebuildSignalIndex,
  signalCounts,
  signalIndexDates,
  signalIndexState,
} from '../../../electron/core/risk/signal-index';
import { listIdentities, todayIso } from '../../../electron/core/inventory/identity-query';
import type { Db } from '../../../electron/core/db/open-database';
import { ensureCliBuilt, runSteward } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE, unlockedVault } from '../../support/unlocked-vault';
import { dispatchOrThrow } from '../../support/dispatch';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const AS_OF = '2026-11-01';

let core: Core;
let folder: string;

function must<M extends Method>(method: M, input: unknown): Promise<MethodOutput<M>> {
  return dispatchOrThrow(core, method, input);
}

async function allIdentities(input: Record<string, unknown> = {}) {
  const page = await must('identities.list', { asOf: AS_OF, limit: 1000, ...input });
  return page;
}

/** A vault of its own with the AWS credential report imported, locked again after `use`. */
async function withImportedVault(use: (db: Db) => Promise<void>): Promise<void> {
  const vault = await unlockedVault();
  try {
    await runImport(vault.database, {
      paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')],
      importedBy: 'test',
    });
    await use(vault.database);
  } finally {
    vault.lock();
  }
}

beforeEach(async () => {
  folder = tempFolder();
  core = createCore({ vaultFolder: folder });
  await must('vault.create', { passphrase: TEST_PASSPHRASE });
  await must('imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
});
afterEach(() => core.close());

describe('risk signals in the inventory', () => {
  it('lists each identity with its signals at the as-of date, each with a reason and its OWASP NHI risk', async () => {
    const { items } = await allIdentities();
    const bot = items.find((identity) => identity.name === 'backup-bot')!;
    const old = bot.signals.find((signal) => signal.code === 'credential-old');
    expect(old).toMatchObject({ owasp: 'NHI7:2025', severity: expect.any(String) });
    expect(old!.reason).toMatch(/days/);
    expect(bot.signals.map((s) => s.code)).toContain('no-owner');
    // In the order a reviewer reads them.
    const order = bot.signals.map((s) => RISK_SIGNAL_CODES.indexOf(s.code));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('filters by signal: exactly the identities carrying it, with a total for the scrollbar', async () => {
    const { items } = await allIdentities();
    const carrying = items.filter((i) => i.signals.some((s) => s.code === 'credential-old')).map((i) => i.id);
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.length).toBeLessThan(items.length);
    const filtered = await allIdentities({ signal: 'credential-old' });
    expect(filtered.total).toBe(carrying.length);
    expect(filtered.items.map((i) => i.id).sort()).toEqual([...carrying].sort());
  });

  it('counts identities per signal for the filter menu', async () => {
    await allIdentities();
    const facets = await must('identities.facets', {});
    const { items } = await must('identities.list', { limit: 1000 });
    for (const { value, count } of facets.signals)
      expect(count).toBe(items.filter((i) => i.signals.some((s) => s.code === value)).length);
    expect(facets.signalsAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('is rebuilt after the policy changes, a new snapshot, the roster changes, or another date is asked', async () => {
    const staleBefore = (await allIdentities({ signal: 'stale' })).total;
    await must('policy.update', { policy: { ...DEFAULT_RISK_POLICY, staleDays: 1 } });
    expect((await allIdentities({ signal: 'stale' })).total).toBeGreaterThan(staleBefore);

    // Entra service principals arrive with owners nobody can resolve yet: no roster.
    await must('imports.run', {
      paths: ['servicePrincipals_page1.json', 'servicePrincipals_page2.json'].map((f) =>
        join(FIXTURES, 'entra', f),
      ),
    });
    const unresolved = await allIdentities({ signal: 'owner-not-in-roster' });
    expect(unresolved.items.some((i) => i.source.startsWith('entra'))).toBe(true);

    // The roster resolves most of them; the index follows without being asked.
    await must('people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
    const resolved = await allIdentities({ signal: 'owner-not-in-roster' });
    expect(resolved.total).toBeLessThan(unresolved.total);
    expect((await allIdentities({ signal: 'owner-terminated' })).total).toBeGreaterThan(0);

    // Another as-of date: the same key is older.
    const later = await must('identities.list', {
      asOf: '2029-01-01',
      signal: 'credential-old',
      limit: 1000,
    });
    expect(later.asOf).toBe('2029-01-01');
    expect(later.total).toBeGreaterThan((await allIdentities({ signal: 'credential-old' })).total);
  });
});

describe('rebuilding the signal index', () => {
  it('stores the reason of the one signal judged over the population, and a page shows it', async () => {
    // The staging cluster is built from production's manifests: its service accounts assume the
    // same AWS roles, which only the whole population can tell.
    const manifests = readdirSync(join(FIXTURES, 'kubernetes'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(FIXTURES, 'kubernetes', name));
    for (const cluster of ['nwl-prod-eks', 'nwl-stg-eks'])
      await must('imports.run', {
        paths: manifests,
        source: cluster,
        format: 'kubernetes-service-accounts',
        parameters: { clusterName: cluster },
      });

    const shared = await allIdentities({ signal: 'shared-across-environments' });
    expect(shared.total).toBeGreaterThan(1);
    for (const identity of shared.items) {
      const signal = identity.signals.find((s) => s.code === 'shared-across-environments');
      expect(signal?.reason).toMatch(/^Shares the assumed cloud identity arn:aws:iam::/);
      expect(signal?.reason).toContain(identity.source === 'nwl-prod-eks' ? 'nwl-stg-eks' : 'nwl-prod-eks');
      expect(signal?.severity).toBe(
        compilePolicy(DEFAULT_RISK_POLICY).severity['shared-across-environments'],
      );
    }
    // The same reason whether the page is the filter's or the whole inventory's.
    const { items } = await allIdentities();
    const again = items.find((i) => i.id === shared.items[0]!.id)!;
    expect(again.signals).toEqual(shared.items[0]!.signals);
  });

  it('writes it as a bulk load and hands the vault back in WAL mode, or inside the transaction of its caller', async () => {
    await withImportedVault(async (db) => {
      const identities = db.prepare('SELECT count(*) FROM identities').pluck().get() as number;

      expect(rebuildSignalIndex(db, AS_OF)).toBe(identities);
      const signalsAtAsOf = db.prepare('SELECT count(*) FROM identity_signals').pluck().get() as number;
      expect(signalsAtAsOf).toBeGreaterThan(0);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // Yesterday's index is deleted without zeroing its pages; every other delete still zeroes them.
      expect(db.pragma('secure_delete', { simple: true })).toBe(1);

      // A campaign launch builds it within its own transaction: the journal is the caller's to keep.
      db.transaction(() => rebuildSignalIndex(db, '2026-11-02'))();
      expect(signalIndexState(db, '2026-11-02')).toMatchObject({ asOf: '2026-11-02', identities });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // Built again, a date is replaced, not added to: one row per identity and code in its slot.
      const slotOf = (asOf: string) => signalIndexState(db, asOf)!.slot;
      const rowsOf = (asOf: string) =>
        db.prepare('SELECT count(*) FROM identity_signals WHERE slot = ?').pluck().get(slotOf(asOf));
      rebuildSignalIndex(db, AS_OF);
      expect(rowsOf(AS_OF)).toBe(signalsAtAsOf);
      expect(
        db
          .prepare('SELECT count(*) FROM (SELECT DISTINCT slot, identity_id, signal FROM identity_signals)')
          .pluck()
          .get(),
      ).toBe(db.prepare('SELECT count(*) FROM identity_signals').pluck().get());
      expect(db.pragma('foreign_key_check')).toEqual([]);
    });
  });
});

describe('an index of a few dates', () => {
  const orphanRows = (db: Db) =>
    db
      .prepare(
        'SELECT count(*) FROM identity_signals WHERE slot NOT IN (SELECT slot FROM signal_index_state)',
      )
      .pluck()
      .get();

  it("keeps today's date and the two other dates built last, each counting what its records show", async () => {
    await withImportedVault(async (db) => {
      const today = todayIso();
      expect(ensureSignalIndex(db, today)).toBe(true);
      expect(ensureSignalIndex(db, '2025-06-01')).toBe(true);
      expect(ensureSignalIndex(db, '2025-09-01')).toBe(true);
      expect(signalIndexDates(db)).toEqual(['2025-09-01', '2025-06-01', today]);
      // Held dates are read, not built again.
      expect(ensureSignalIndex(db, '2025-06-01')).toBe(false);
      expect(ensureSignalIndex(db, today)).toBe(false);

      // Each date's counts are those of the records listed at that date.
      for (const asOf of signalIndexDates(db)) {
        const { items } = listIdentities(db, {
          limit: 1000,
          offset: 0,
          sort: 'name',
          direction: 'asc',
          asOf,
        });
        const expected = new Map<string, number>();
        for (const identity of items)
          for (const signal of identity.signals)
            expected.set(signal.code, (expected.get(signal.code) ?? 0) + 1);
        const counted = new Map(signalCounts(db, asOf).map(({ code, count }) => [code as string, count]));
        expect(counted).toEqual(expected);
      }
      // The dates differ where they should: keys last used in 2026 were not yet used in mid-2025.
      expect(signalCounts(db, '2025-06-01')).not.toEqual(signalCounts(db, today));

      // A third other date pushes out the other date built longest ago, never today's.
      expect(ensureSignalIndex(db, '2025-12-01')).toBe(true);
      expect(signalIndexDates(db)).toEqual(['2025-12-01', '2025-09-01', today]);
      expect(orphanRows(db)).toBe(0);
      expect(
        db.prepare('SELECT DISTINCT slot FROM identity_signals ORDER BY slot').pluck().all(),
      ).toHaveLength(3);

      // An import makes every date stale; the next build leaves no row of them behind.
      await runImport(db, {
        paths: [
          join(FIXTURES, 'kubernetes', 'serviceaccounts.json'),
          join(FIXTURES, 'kubernetes', 'clusterrolebindings.json'),
        ],
        importedBy: 'test',
      });
      expect(signalIndexDates(db)).toEqual([]);
      expect(signalIndexState(db, today)).toBeNull();
      ensureSignalIndex(db, '2025-09-01');
      expect(signalIndexDates(db)).toEqual(['2025-09-01']);
      expect(orphanRows(db)).toBe(0);
    });
  });

  it('lets the inventory go back and forth between another date and today without building either again', async () => {
    const built: string[] = [];
    core.onEvent((event) => {
      const progress = event.payload as { asOf: string; done: number };
      if (event.name === 'signals.progress' && progress.done === 0) built.push(progress.asOf);
    });
    const other = '2025-06-01';
    for (let round = 0; round < 3; round += 1) {
      await must('identities.list', { asOf: other, limit: 10, signal: 'stale' });
      await must('identities.facets', {});
      await must('identities.get', { id: 1, asOf: other });
      await must('campaigns.previewScope', {
        asOf: '2025-09-30',
        scope: { sources: [], kinds: [], environments: [], signals: ['stale'] },
      });
    }
    // The filter's counts can be asked at the list's date; they come from the same index.
    const countsThen = await must('identities.signalCounts', { asOf: other });
    const countsToday = await must('identities.facets', {});
    expect(countsThen.asOf).toBe(other);
    expect(countsToday.signalsAsOf).toBe(todayIso());
    expect(countsThen.signals).not.toEqual(countsToday.signals);
    expect(await must('identities.signalCounts', {})).toEqual({
      asOf: todayIso(),
      signals: countsToday.signals,
    });
    expect(built.filter((asOf) => asOf === other)).toHaveLength(1);
    expect(built.filter((asOf) => asOf === todayIso()).length).toBeLessThanOrEqual(1);
    expect(built.filter((asOf) => asOf === '2025-09-30')).toHaveLength(1);
  });
});

describe('steward identities --json', () => {
  it('gives every identity signals[{code, reason, owasp}]', async () => {
    ensureCliBuilt();
    core.close();
    const run = await runSteward(['--data', folder, 'identities', '--json', '--as-of', AS_OF], {
      STEWARD_PASSPHRASE: TEST_PASSPHRASE,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const identities = JSON.parse(run.stdout) as Array<{
      name: string;
      signals: Array<{ code: string; reason: string; owasp: string | null }>;
    }>;
    const bot = identities.find((i) => i.name === 'backup-bot')!;
    expect(bot.signals).toContainEqual(
      expect.objectContaining({
        code: 'credential-old',
        owasp: 'NHI7:2025',
        reason: expect.stringMatching(/days/),
      }),
    );
    core = createCore({ vaultFolder: folder });
  });
});

describe('migration 006', () => {
  it('adds an empty signal index, marked not built, to a version 5 vault', async () => {
    const db = openEncryptedDatabase(join(tempFolder(), 'test.db'), randomBytes(32), { create: true });
    migrate(db, migrations.slice(0, 5));
    expect(schemaVersionOf(db)).toBe(5);
    migrate(db, migrations.slice(0, 6));
    expect(schemaVersionOf(db)).toBe(6);
    expect(db.prepare('SELECT count(*) FROM identity_signals').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM signal_index_state').pluck().get()).toBe(0);
    expect(() =>
      db
        .prepare(
          `INSERT INTO signal_index_state (id, as_of, computed_at, identities) VALUES (2, 'd', 'c', 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
