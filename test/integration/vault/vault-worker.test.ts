import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../shared/api/events';
import { createCore, type Core } from '../../../electron/core/core';
import { todayIso } from '../../../electron/core/inventory/identity-query';
import { REPO } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { dispatchOrThrow } from '../../support/dispatch';

const WORKER = join(REPO, 'dist', 'core', 'vault-worker.cjs');
const AWS_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function credentialReport(rows: number): string {
  const path = join(tempFolder(), 'credential-report.csv');
  const lines = [AWS_HEADER];
  for (let i = 0; i < rows; i += 1) {
    lines.push(
      `svc-${i},arn:aws:iam::123456789012:user/service/svc-${i},2021-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-01-01T00:00:00+00:00,2026-10-01T00:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    );
  }
  writeFileSync(path, lines.join('\n'));
  return path;
}

let core: Core;
afterEach(() => core.close());

async function workerCore(): Promise<Core> {
  core = createCore({ vaultFolder: tempFolder(), vaultWorkerScript: WORKER });
  expect(await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: true });
  return core;
}

describe('imports in a worker thread', () => {
  it('imports a workbook through the worker, which reads its sheet on a thread of its own, with the rows an import on this thread gets', async () => {
    const workbook = join(REPO, 'test', 'fixtures', 'cmdb', 'nhi_inventory.xlsx');
    const inThread = createCore({ vaultFolder: tempFolder() });
    let expected: unknown;
    try {
      expect(await inThread.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({
        ok: true,
      });
      expect(await inThread.dispatch('imports.run', { paths: [workbook] })).toMatchObject({ ok: true });
      expected = await inThread.dispatch('identities.list', { limit: 1000, asOf: '2026-11-01' });
    } finally {
      inThread.close();
    }

    await workerCore();
    const summary = await core.dispatch('imports.run', { paths: [workbook] });
    expect(summary).toMatchObject({ ok: true, value: { imported: 122, skipped: 1, rejected: 0 } });
    const listed = await core.dispatch('identities.list', { limit: 1000, asOf: '2026-11-01' });
    expect(listed).toEqual(expected);
  });

  it('imports off this thread, which keeps answering while the worker writes', async () => {
    await workerCore();
    const file = credentialReport(40_000);
    const progress: number[] = [];
    const stages: Array<{ label: string; done: number; cancellable: boolean | undefined }> = [];
    const loans: Array<CoreEvent<'vault.busy'>['payload']> = [];
    core.onEvent((event: CoreEvent) => {
      if (event.name === 'vault.busy') loans.push(event.payload as CoreEvent<'vault.busy'>['payload']);
      if (event.name !== 'task.progress') return;
      const payload = event.payload as CoreEvent<'task.progress'>['payload'];
      if (payload.label === 'Importing rows') progress.push(payload.done);
      else stages.push({ label: payload.label, done: payload.done, cancellable: payload.cancellable });
    });
    const running = core.dispatch('imports.run', { paths: [file], taskId: 'big' });
    // While the worker writes, this thread answers: app.info needs no vault, reads say BUSY in words.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const info = await core.dispatch('app.info', {});
    expect(info.ok).toBe(true);
    const busy = await core.dispatch('identities.list', {});
    expect(busy).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    // The window heard that the vault is lent, in the words of that answer, so it can say why.
    expect(loans).toEqual([{ work: 'import', message: busy.ok ? null : busy.error.message }]);
    expect(await core.dispatch('vault.status', {})).toMatchObject({ value: { state: 'unlocked' } });

    const summary = await running;
    expect(summary).toMatchObject({ ok: true, value: { imported: 40_000, rejected: 0 } });
    // ...and that it is back, before the import's answer: a screen told BUSY may ask again now.
    expect(loans.at(-1)).toEqual({ work: null, message: null });
    expect(loans).toHaveLength(2);
    expect(progress.length).toBeGreaterThan(0);
    // Once the rows are read it says what it still does, and that a cancel is too late once saved.
    expect(stages).toEqual([
      {
        label: 'Building the search and sort indexes and saving the snapshot',
        done: progress.at(-1),
        cancellable: true,
      },
      {
        label: "Saved. Computing today's risk signals for the inventory",
        done: progress.at(-1),
        cancellable: false,
      },
    ]);
    expect(await core.dispatch('identities.list', { limit: 1 })).toMatchObject({
      ok: true,
      value: { total: 40_000 },
    });
  });

  it('cancels in the worker and writes nothing', async () => {
    await workerCore();
    const file = credentialReport(60_000);
    // Cancel once the worker has reported rows: the import is then surely under way, however busy the machine.
    const underWay = new Promise<void>((resolve) => {
      const stop = core.onEvent((event) => {
        if (event.name === 'task.progress') {
          stop();
          resolve();
        }
      });
    });
    const running = core.dispatch('imports.run', { paths: [file], taskId: 'to-cancel' });
    await underWay;
    expect(await core.dispatch('imports.cancel', { taskId: 'to-cancel' })).toMatchObject({
      value: { cancelled: true },
    });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await core.dispatch('identities.list', { limit: 1 })).toMatchObject({
      ok: true,
      value: { total: 0 },
    });
  });

  it('reports a refused file from the worker in the same words, and the vault stays usable', async () => {
    await workerCore();
    const empty = join(tempFolder(), 'empty.csv');
    writeFileSync(empty, '');
    expect(await core.dispatch('imports.run', { paths: [empty] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_FILE', message: /empty/ },
    });
    expect(await core.dispatch('identities.facets', {})).toMatchObject({ ok: true, value: { total: 0 } });
  });

  it('cancels an import that is still waiting behind another one', async () => {
    await workerCore();
    const first = core.dispatch('imports.run', { paths: [credentialReport(20_000)], taskId: 'first' });
    const second = core.dispatch('imports.run', {
      paths: [credentialReport(10)],
      taskId: 'second',
      source: 'other',
    });
    expect(await core.dispatch('imports.cancel', { taskId: 'second' })).toMatchObject({
      value: { cancelled: true },
    });
    expect(await second).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await first).toMatchObject({ ok: true, value: { imported: 20_000 } });
    expect(await core.dispatch('snapshots.list', { limit: 10 })).toMatchObject({
      ok: true,
      value: [{ imported: 20_000 }],
    });
  });
});

describe('the risk-signal index in a worker thread', () => {
  type SignalsProgress = CoreEvent<'signals.progress'>['payload'];
  const signalsProgress = (events: CoreEvent[], asOf: string) =>
    events
      .filter((event) => event.name === 'signals.progress')
      .map((event) => event.payload as SignalsProgress)
      .filter((payload) => payload.asOf === asOf);

  /** The two vaults imported the same file at different instants. */
  const withoutImportTimes = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, inner: unknown) =>
        ['firstSeen', 'lastSeen', 'importedAt'].includes(key) ? '(when imported)' : inner,
      ),
    );

  it('builds it for another date off this thread, which keeps answering; reads wait for the index', async () => {
    const file = credentialReport(20_000);
    const asOf = '2027-03-01';
    const inThread = createCore({ vaultFolder: tempFolder() });
    let expectedPage: unknown;
    let expectedDetail: unknown;
    try {
      expect(await inThread.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({
        ok: true,
      });
      expect(await inThread.dispatch('imports.run', { paths: [file] })).toMatchObject({ ok: true });
      expectedPage = await inThread.dispatch('identities.list', { asOf, limit: 50, signal: 'stale' });
      expectedDetail = await inThread.dispatch('identities.get', { id: 7, asOf });
    } finally {
      inThread.close();
    }

    await workerCore();
    const events: CoreEvent[] = [];
    core.onEvent((event) => events.push(event));
    expect(await core.dispatch('imports.run', { paths: [file] })).toMatchObject({ ok: true });
    // The import computed today's index in the worker too, and said how far it was.
    const today = signalsProgress(events, todayIso());
    expect(today.at(-1)).toEqual({ asOf: today.at(-1)!.asOf, done: 20_000, total: 20_000 });

    // Another date: the first read starts the build. When the worker first reports, this thread is
    // asked for three things: a call that needs no database answers at once, before the build ends (a
    // build on this thread would have had to end first); the others wait for the index, not fail.
    const timeline: string[] = [];
    core.onEvent((event) => {
      if (event.name === 'signals.progress' && (event.payload as SignalsProgress).asOf === asOf)
        timeline.push(`built ${(event.payload as SignalsProgress).done}`);
    });
    let whileBuilding: Promise<[unknown, unknown]> | null = null;
    const firstReport = new Promise<void>((resolve) => {
      const stop = core.onEvent((event) => {
        if (event.name !== 'signals.progress' || (event.payload as SignalsProgress).asOf !== asOf) return;
        stop();
        void core.dispatch('app.info', {}).then(() => timeline.push('app.info answered'));
        whileBuilding = Promise.all([
          core.dispatch('snapshots.list', { limit: 5 }).then((answer) => {
            timeline.push('snapshots.list answered');
            return answer;
          }),
          core.dispatch('identities.get', { id: 7, asOf }),
        ]);
        resolve();
      });
    });
    const page = core.dispatch('identities.list', { asOf, limit: 50, signal: 'stale' });
    await firstReport;
    const [history, detail] = await whileBuilding!;
    expect(history).toMatchObject({ ok: true, value: [{ imported: 20_000 }] });
    expect(timeline.indexOf('app.info answered')).toBeLessThan(timeline.indexOf('built 20000'));
    expect(timeline.indexOf('snapshots.list answered')).toBeGreaterThan(timeline.indexOf('built 20000'));
    // The inventory's reads read what a build on this thread gives.
    expect(withoutImportTimes(detail)).toEqual(withoutImportTimes(expectedDetail));
    const listed = await page;
    expect(withoutImportTimes(listed)).toEqual(withoutImportTimes(expectedPage));
    // Stale only at that date (the keys were last used weeks ago): the filter read that date's index.
    expect(listed.ok && listed.value.items.length).toBe(50);

    const reports = signalsProgress(events, asOf);
    expect(reports[0]).toEqual({ asOf, done: 0, total: 20_000 });
    expect(reports.at(-1)).toEqual({ asOf, done: 20_000, total: 20_000 });
    expect(reports.map((r) => r.done)).toEqual([...reports.map((r) => r.done)].sort((a, b) => a - b));
    // Built once: the detail read waited for the build the page read started.
    expect(reports.filter((r) => r.done === 0)).toHaveLength(1);
    expect(await core.dispatch('snapshots.list', { limit: 5 })).toMatchObject({ ok: true });
  });

  it('builds it on this thread without a worker (the CLI), with the same progress events', async () => {
    core = createCore({ vaultFolder: tempFolder() });
    expect(await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: true });
    expect(await core.dispatch('imports.run', { paths: [credentialReport(5_000)] })).toMatchObject({
      ok: true,
    });
    const events: CoreEvent[] = [];
    core.onEvent((event) => events.push(event));
    expect(await core.dispatch('identities.list', { asOf: '2025-01-31', limit: 1 })).toMatchObject({
      ok: true,
      value: { total: 5_000 },
    });
    const reports = signalsProgress(events, '2025-01-31');
    expect(reports[0]).toEqual({ asOf: '2025-01-31', done: 0, total: 5_000 });
    expect(reports.at(-1)).toEqual({ asOf: '2025-01-31', done: 5_000, total: 5_000 });
    // Current now: reading that date again builds nothing.
    events.length = 0;
    expect(await core.dispatch('identities.list', { asOf: '2025-01-31', limit: 1 })).toMatchObject({
      ok: true,
    });
    expect(signalsProgress(events, '2025-01-31')).toEqual([]);
  });
});

describe('a campaign launch in a worker thread', () => {
  it('launches off this thread, which meanwhile says what it is doing, and freezes what a launch here freezes', async () => {
    const inThread = createCore({ vaultFolder: tempFolder() });
    let expectedItems: unknown;
    try {
      await dispatchOrThrow(inThread, 'vault.create', { passphrase: TEST_PASSPHRASE });
      const id = await draftCampaign(inThread);
      await dispatchOrThrow(inThread, 'campaigns.launch', { campaignId: id, actor: OWNER });
      expectedItems = await dispatchOrThrow(inThread, 'campaigns.items', { campaignId: id, limit: 100 });
    } finally {
      inThread.close();
    }

    await workerCore();
    const id = await draftCampaign(core);
    const timeline: string[] = [];
    // Once the worker reports (it builds the signal index for the campaign's date first), this thread
    // answers what needs no database (a launch on this thread would have to end first), and a read of
    // the campaigns waits for the launch instead of failing.
    core.onEvent((event) => {
      if (event.name === 'signals.progress')
        timeline.push(`built ${(event.payload as { done: number }).done}`);
    });
    let asked: Promise<[unknown, unknown]> | null = null;
    const reported = new Promise<void>((resolve) => {
      const stop = core.onEvent((event) => {
        if (event.name !== 'signals.progress') return;
        stop();
        asked = Promise.all([
          core.dispatch('vault.status', {}).then((answer) => {
            timeline.push('status answered');
            return answer;
          }),
          core.dispatch('campaigns.list', {}).then((answer) => {
            timeline.push('campaigns listed');
            return answer;
          }),
        ]);
        resolve();
      });
    });
    const launching = core.dispatch('campaigns.launch', { campaignId: id, actor: OWNER }).then((answer) => {
      timeline.push('launched');
      return answer;
    });
    await reported;
    const [status, listed] = await asked!;
    expect(status).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await launching).toMatchObject({ ok: true, value: { state: 'open', items: 20_000 } });
    expect(listed).toMatchObject({ ok: true, value: [{ id, state: 'open' }] });
    // The status came while the worker still built the signals (a launch on this thread would have had
    // to end first); the list, read after the launch, shows the campaign open.
    expect(timeline.indexOf('status answered')).toBeLessThan(timeline.indexOf('built 20000'));
    const items = await dispatchOrThrow(core, 'campaigns.items', { campaignId: id, limit: 100 });
    expect(withoutTimes(items)).toEqual(withoutTimes(expectedItems));
  });

  it('refuses a launch in the worker in the same words, and the campaign stays a draft', async () => {
    await workerCore();
    const id = await draftCampaign(core);
    expect(
      await core.dispatch('campaigns.launch', {
        campaignId: id,
        actor: 'someone.else@northwindlogistics.example',
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /Only the campaign owner/ } });
    expect(await dispatchOrThrow(core, 'campaigns.get', { campaignId: id })).toMatchObject({
      state: 'draft',
    });
  });
});

describe('an evidence export in a worker thread', () => {
  type TaskProgress = CoreEvent<'task.progress'>['payload'];

  /** A vault with a signer and an open campaign over 5,000 identities: drawing its pack takes a while. */
  async function openCampaign(target: Core): Promise<number> {
    await dispatchOrThrow(target, 'signer.create', { name: 'Dana Whitfield', email: OWNER });
    const id = await draftCampaign(target, 5_000);
    await dispatchOrThrow(target, 'campaigns.launch', { campaignId: id, actor: OWNER });
    return id;
  }

  /** Resolves with the first report of drawing, once the worker is surely under way. */
  const firstDrawingReport = (target: Core) =>
    new Promise<TaskProgress>((resolve) => {
      const stop = target.onEvent((event) => {
        if (event.name !== 'task.progress') return;
        const progress = event.payload as TaskProgress;
        if (progress.label !== 'Drawing the evidence pack') return;
        stop();
        resolve(progress);
      });
    });

  it('draws and signs the pack off this thread, which answers meanwhile, and the pack verifies', async () => {
    await workerCore();
    const campaignId = await openCampaign(core);
    const folder = tempFolder();
    const pdfPath = join(folder, 'q1 evidence.pdf');
    const xlsxPath = join(folder, 'q1 workpapers.xlsx');
    const reports: TaskProgress[] = [];
    core.onEvent((event) => {
      if (event.name === 'task.progress') reports.push(event.payload as TaskProgress);
    });
    const drawing = firstDrawingReport(core);
    const exporting = core.dispatch('evidence.export', { campaignId, pdfPath, xlsxPath, taskId: 'pack' });
    const report = await drawing;
    // The worker is drawing: this thread answers what needs no database, and the rest says why not.
    expect(await core.dispatch('app.info', {})).toMatchObject({ ok: true });
    expect(await core.dispatch('identities.list', { limit: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BUSY', message: /An evidence pack is being written/ },
    });
    const written = await exporting;
    expect(report.done).toBeLessThan(report.total!);
    expect(written).toMatchObject({ ok: true, value: { pdfPath, xlsxPath, decisions: 0 } });
    expect(readdirSync(folder).sort()).toEqual(['q1 evidence.pdf', 'q1 workpapers.xlsx']);
    // Every step is named as it starts, so the window never shows the save dialog's wait meanwhile.
    const steps = reports.map((r) => r.label).filter((label, i, all) => label !== all[i - 1]);
    expect(steps).toEqual([
      'Reading the campaign from the vault',
      'Drawing the evidence pack',
      'Writing the workpapers',
    ]);
    expect(reports.find((r) => r.label === 'Drawing the evidence pack')).toMatchObject({ done: 0 });
    expect(reports.findLast((r) => r.label === 'Drawing the evidence pack')).toMatchObject({
      done: report.total,
    });

    // The vault is back on this thread, and the pack is whole: signature, attachments and log.
    const signer = await dispatchOrThrow(core, 'signer.get', {});
    const verified = await dispatchOrThrow(core, 'evidence.verify', {
      path: pdfPath,
      trust: [signer!.fingerprint],
    });
    expect(verified).toMatchObject({ ok: true });
    expect(await core.dispatch('identities.list', { limit: 1 })).toMatchObject({
      ok: true,
      value: { total: 5_000 },
    });
  });

  it('stops drawing when cancelled mid-pack, though the worker never yields, and writes nothing', async () => {
    await workerCore();
    const campaignId = await openCampaign(core);
    const folder = tempFolder();
    const drawn: number[] = [];
    core.onEvent((event) => {
      const progress = event.payload as TaskProgress;
      if (event.name === 'task.progress' && progress.label === 'Drawing the evidence pack')
        drawn.push(progress.done);
    });
    const drawing = firstDrawingReport(core);
    const exporting = core.dispatch('evidence.export', {
      campaignId,
      pdfPath: join(folder, 'cancelled.pdf'),
      taskId: 'to-cancel',
    });
    const report = await drawing;
    expect(await core.dispatch('evidence.cancel', { taskId: 'to-cancel' })).toMatchObject({
      value: { cancelled: true },
    });
    expect(report.done).toBeLessThan(report.total!);
    expect(await exporting).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED', message: /No file was written/ },
    });
    expect(readdirSync(folder)).toEqual([]);
    // It stopped where it was: a cancel heard only once drawing was done would see every row drawn.
    expect(Math.max(...drawn)).toBeLessThan(report.total!);
    expect(await core.dispatch('campaigns.get', { campaignId })).toMatchObject({
      ok: true,
      value: { state: 'open' },
    });
  });
  it('stops drawing when the vault is locked meanwhile: the lock does not wait for the pack', async () => {
    await workerCore();
    const campaignId = await openCampaign(core);
    const folder = tempFolder();
    const drawing = firstDrawingReport(core);
    const exporting = core.dispatch('evidence.export', { campaignId, pdfPath: join(folder, 'locked.pdf') });
    const report = await drawing;
    const locked = await core.dispatch('vault.lock', {});
    expect(locked).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await exporting).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(report.done).toBeLessThan(report.total!);
    expect(readdirSync(folder)).toEqual([]);
    // The key is gone from this thread: reads say so until the passphrase is given again.
    expect(await core.dispatch('identities.list', { limit: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
  });
});

const OWNER = 'ana.silva@northwindlogistics.example';

/** Imports `identities` identities and drafts a campaign over them, as of a date not yet indexed. */
async function draftCampaign(target: Core, identities = 20_000): Promise<number> {
  await dispatchOrThrow(target, 'imports.run', { paths: [credentialReport(identities)] });
  const campaign = await dispatchOrThrow(target, 'campaigns.create', {
    name: 'Q1 2027 machine identity review',
    asOf: '2027-03-01',
    due: '2027-03-31',
    owner: OWNER,
  });
  return campaign.id;
}

/** Two vaults differ in when things happened, not in what was frozen. */
const withoutTimes = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (key, inner: unknown) =>
      /(At|Seen|importedAt)$/.test(key) && typeof inner === 'string' && inner.includes('T')
        ? '(time)'
        : inner,
    ),
  );
