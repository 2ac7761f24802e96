import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { evidenceFileStem } from '../../../electron/core/evidence/evidence-handlers';
import type { DialogPort, FilePort } from '../../../electron/core/ports';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { dispatchOrThrow } from '../../support/dispatch';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const OWNER = 'ana.silva@northwindlogistics.example';

/** Save dialogs answered from a script, recording the names they proposed. */
function scriptedDialogs(saves: Array<string | null>) {
  const proposed: string[] = [];
  const port: DialogPort = {
    chooseVaultFolder: async () => null,
    chooseImportFiles: async () => null,
    chooseSavePath: async (defaultName) => {
      proposed.push(defaultName);
      if (saves.length === 0) throw new Error(`No save dialog was expected for ${defaultName}.`);
      return saves.shift() ?? null;
    },
  };
  return { port, proposed };
}

/** A vault with the roster and the AWS report, a campaign decided and closed, and a draft one. */
async function vaultWithCampaigns(core: Core): Promise<{ launched: number; draft: number }> {
  await dispatchOrThrow(core, 'vault.create', { passphrase: TEST_PASSPHRASE });
  await dispatchOrThrow(core, 'people.import', { path: join(FIXTURES, 'hr', 'hr_roster.csv') });
  await dispatchOrThrow(core, 'imports.run', { paths: [join(FIXTURES, 'aws', 'iam_credential_report.csv')] });
  const launched = await dispatchOrThrow(core, 'campaigns.create', {
    name: 'Q4 2026: Machine identities (AWS)',
    asOf: '2026-11-01',
    due: '2026-11-30',
    owner: OWNER,
  });
  await dispatchOrThrow(core, 'campaigns.launch', { campaignId: launched.id, actor: OWNER });
  const { items } = await dispatchOrThrow(core, 'campaigns.items', {
    campaignId: launched.id,
    limit: 1000,
  });
  for (const item of items)
    await dispatchOrThrow(core, 'decisions.record', {
      campaignId: launched.id,
      itemId: item.id,
      actor: item.reviewer,
      decision: 'certify',
      justification: 'Reviewed with the owner: still needed.',
    });
  for (const reviewer of new Set(items.map((item) => item.reviewer)))
    if (reviewer !== OWNER)
      await dispatchOrThrow(core, 'campaigns.signOff', { campaignId: launched.id, actor: reviewer });
  await dispatchOrThrow(core, 'campaigns.close', { campaignId: launched.id, actor: OWNER, exceptions: [] });
  const draft = await dispatchOrThrow(core, 'campaigns.create', {
    name: 'Next quarter',
    asOf: '2026-11-01',
    owner: OWNER,
  });
  return { launched: launched.id, draft: draft.id };
}

describe('evidence entries for the desktop', () => {
  it('names the file after the campaign, in plain lowercase words', () => {
    expect(evidenceFileStem(3, 'Q4 2026: Machine identities (AWS)')).toBe(
      'steward-evidence-q4-2026-machine-identities-aws',
    );
    expect(evidenceFileStem(7, 'Révision « été »')).toBe('steward-evidence-revision-ete');
    expect(evidenceFileStem(9, '***')).toBe('steward-evidence-campaign-9');
  });

  it('exports through the save dialogs: checks first, writes nothing when a dialog is closed, then the PDF and the workpapers', async () => {
    const out = tempFolder('steward-evidence-out-');
    const pdfPath = join(out, 'pack.pdf');
    const xlsxPath = join(out, 'pack.xlsx');
    const dialogs = scriptedDialogs([]);
    const core = createCore({ vaultFolder: tempFolder(), ports: { dialogs: dialogs.port } });
    try {
      const { launched, draft } = await vaultWithCampaigns(core);

      // No signer: refused before any dialog, pointing at the certificate.
      expect(await core.dispatch('evidence.exportWithDialog', { campaignId: launched })).toMatchObject({
        ok: false,
        error: { code: 'NOT_AVAILABLE', message: /no signing certificate/ },
      });
      await dispatchOrThrow(core, 'signer.create', {
        name: 'Dana Whitfield',
        email: 'dana@northwind.example',
      });
      // A draft has no population: refused before any dialog too.
      expect(await core.dispatch('evidence.exportWithDialog', { campaignId: draft })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: /has not been launched/ },
      });
      expect(dialogs.proposed).toEqual([]);

      // A closed PDF dialog, then a closed workpapers dialog: nothing written either time.
      const closedPdf = scriptedDialogs([null]);
      const closedXlsx = scriptedDialogs([pdfPath, null]);
      for (const scripted of [closedPdf, closedXlsx]) {
        Object.assign(dialogs.port, { chooseSavePath: scripted.port.chooseSavePath });
        expect(
          await dispatchOrThrow(core, 'evidence.exportWithDialog', {
            campaignId: launched,
            workpapers: true,
          }),
        ).toEqual({ cancelled: true, export: null });
      }
      expect(closedXlsx.proposed).toEqual([
        'steward-evidence-q4-2026-machine-identities-aws.pdf',
        join(out, 'steward-evidence-q4-2026-machine-identities-aws.xlsx'),
      ]);
      expect(readdirSync(out)).toEqual([]);

      const written = scriptedDialogs([pdfPath, xlsxPath]);
      Object.assign(dialogs.port, { chooseSavePath: written.port.chooseSavePath });
      const progress: string[] = [];
      core.onEvent((event) => {
        if (event.name === 'task.progress') progress.push((event.payload as { taskId: string }).taskId);
      });
      const result = await dispatchOrThrow(core, 'evidence.exportWithDialog', {
        campaignId: launched,
        workpapers: true,
        taskId: 'pack-1',
      });
      expect(result.cancelled).toBe(false);
      const pdf = readFileSync(pdfPath);
      expect(result.export).toMatchObject({ pdfPath, xlsxPath, bytes: pdf.length });
      if (!result.export) throw new Error('evidence.exportWithDialog wrote no pack.');
      expect(result.export.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
      expect(existsSync(xlsxPath)).toBe(true);
      expect(new Set(progress)).toEqual(new Set(['pack-1']));

      const verified = await dispatchOrThrow(core, 'evidence.verify', {
        path: pdfPath,
        trust: [result.export.signerFingerprint],
      });
      expect(verified.ok).toBe(true);
    } finally {
      core.close();
    }
  }, 300_000);

  it('chooses files and opens them through the ports, and says NOT_AVAILABLE where there is no desktop', async () => {
    const opened: string[] = [];
    const files: FilePort = {
      openPath: async (path) => (path.endsWith('.pdf') ? (opened.push(path), null) : `Refused ${path}.`),
      showInFolder: async () => null,
    };
    const desktop = createCore({
      vaultFolder: tempFolder(),
      ports: {
        dialogs: {
          ...scriptedDialogs([]).port,
          chooseSigningCertificate: async () => '/home/dana/signing.p12',
          chooseEvidenceFile: async () => null,
        },
        files,
      },
    });
    const bare = createCore({ vaultFolder: tempFolder(), ports: { dialogs: scriptedDialogs([]).port } });
    try {
      expect(await dispatchOrThrow(desktop, 'signer.chooseFile', {})).toEqual({
        cancelled: false,
        path: '/home/dana/signing.p12',
      });
      expect(await dispatchOrThrow(desktop, 'evidence.chooseFile', {})).toEqual({
        cancelled: true,
        path: null,
      });
      expect(await dispatchOrThrow(desktop, 'evidence.openFile', { path: '/x/pack.pdf' })).toEqual({
        opened: true,
      });
      expect(await dispatchOrThrow(desktop, 'evidence.showFile', { path: '/x/pack.xlsx' })).toEqual({
        shown: true,
      });
      expect(await desktop.dispatch('evidence.openFile', { path: '/x/run.sh' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'Refused /x/run.sh.' },
      });
      expect(opened).toEqual(['/x/pack.pdf']);

      // A dialog port without the optional pickers, and no file port at all.
      for (const method of ['signer.chooseFile', 'evidence.chooseFile'])
        expect(await bare.dispatch(method, {})).toMatchObject({
          ok: false,
          error: { code: 'NOT_AVAILABLE' },
        });
      expect(await bare.dispatch('evidence.openFile', { path: '/x/pack.pdf' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_AVAILABLE' },
      });
    } finally {
      desktop.close();
      bare.close();
    }
  });
});
