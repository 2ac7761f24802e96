import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, recordHash, type DecisionRecord } from '../../../electron/core/decisions/decision-log';
import { evidenceManifestSchema } from '../../../electron/core/evidence/evidence-manifest';
import type { MethodOutput } from '../../../shared/api/contract';
import {
  CAMPAIGN_OWNER,
  closedEvidenceCampaign,
  mustDispatch,
  type EvidenceCampaign,
} from '../../support/evidence-campaign';
import { runSteward, ensureCliBuilt } from '../../support/run-steward';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

type Exported = MethodOutput<'evidence.export'>;

let folder: string;
let campaign: EvidenceCampaign;
let exported: Exported;
let pdfPath: string;
let text: string;
let pages: string[];

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'steward-evidence-pack-'));
  mkdirSync(join(folder, 'vault'));
  campaign = await closedEvidenceCampaign({ folder: join(folder, 'vault') });
  pdfPath = join(folder, 'q4 evidence.pdf');
  exported = await mustDispatch(campaign.core, 'evidence.export', {
    campaignId: campaign.campaignId,
    pdfPath,
  });
  text = run('pdftotext', ['-layout', pdfPath, '-']);
  pages = text.split('\f');
}, 120_000);

afterAll(() => {
  campaign?.core.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the evidence pack of a closed campaign built from the fixtures', () => {
  it('states the cover facts, the reconciliation and "Page x of y" as selectable text', async () => {
    const pageCount = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [pdfPath]))![1]);
    const info = run('pdfinfo', ['-custom', pdfPath]);
    expect(pageCount).toBe(exported.pages);
    expect(info).toMatch(new RegExp(`StewardLogHead:\\s+${exported.logHead.seq}:${exported.logHead.hash}`));

    const cover = pages[0]!;
    for (const fact of [
      'Q4 2026 machine identity review',
      '2026-Q4',
      '2026-11-01',
      '2026-11-30',
      CAMPAIGN_OWNER,
      'every source; every kind; every environment',
      'Dana Whitfield',
      exported.signerFingerprint.slice(0, 20),
      '0.1.0-test',
      `record ${exported.logHead.seq}`,
      exported.logHead.hash.slice(0, 32),
      exported.logHead.hash.slice(32),
    ])
      expect(cover).toContain(fact);
    const inScope = campaign.items.length;
    expect(cover).toContain(
      `${inScope} in scope = ${inScope - campaign.exceptions.length} decided + ${campaign.exceptions.length} exceptions`,
    );
    expect(cover).toContain('Reconciles: every item is decided or an exception.');
    pages.slice(0, pageCount).forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pageCount}`));
    expect(text).toContain(exported.logHead.hash);
  });

  it('traces the population to every snapshot: files, SHA-256, row counts, by whom', async () => {
    const snapshots = await mustDispatch(campaign.core, 'snapshots.list', {});
    // The AWS report, the Entra pages, the EKS lists, and the HR roster that judged owner status.
    expect(snapshots.map((s) => s.source).sort()).toEqual([
      'HR roster',
      'aws:731846209152',
      'entra',
      'nwl-prod-eks',
    ]);
    const from = pages.findIndex((p) => /^\s*Population completeness and accuracy\s*$/m.test(p));
    const to = pages.findIndex((p) => /^\s*Summary\s*$/m.test(p));
    expect(from).toBeGreaterThan(0);
    const population = pages.slice(from, to).join('\n');
    for (const snapshot of snapshots) {
      expect(population).toContain(`#${snapshot.snapshotId}`);
      expect(population).toContain(snapshot.source);
      for (const file of snapshot.files) {
        expect(text).toContain(file.sha256);
        expect(text).toContain(file.name);
      }
    }
    expect(population).toMatch(/aws-credential-report[\s\S]*\b46\b[\s\S]*\b46\b/);
  });

  it('lists every decision under its reviewer with the table header on every page, and each revocation with what goes', async () => {
    const start = pages.findIndex((p) => /^\s*Decisions\s*$/m.test(p));
    const end = pages.findIndex((p) => /^\s*Revocations\s*$/m.test(p));
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start + 1);
    for (const page of pages.slice(start, end))
      expect(page).toMatch(/Item\s+Identity\s+Source \/ kind\s+Owners/);
    const decisions = pages.slice(start, end).join('\n');
    for (const item of campaign.items) expect(decisions).toContain(item.name.slice(0, 20));

    const items = await mustDispatch(campaign.core, 'campaigns.items', {
      campaignId: campaign.campaignId,
      decision: 'revoke',
      limit: 1000,
    });
    const revocations = pages.slice(end).join('\n');
    const credential = items.items.find((i) => i.target?.type === 'credential')!;
    const entitlement = items.items.find((i) => i.target?.type === 'entitlement')!;
    // The credential's id sits under "credential" in its cell; other columns share the text lines.
    expect(revocations).toContain('credential');
    expect(revocations).toContain(credential.target!.ref!.slice(0, 16));
    expect(revocations).toContain(`entitlement ${entitlement.target!.ref}`);
    expect(revocations).toContain('the whole identity');
    expect(revocations).toContain('Owner on leave until January');
    expect(revocations).toContain('keiko.jensen@');
    expect(text).toMatch(/Reviewer attestations and campaign close/);
    expect(text).toMatch(/Closed by\s+ana\.silva@northwindlogistics\.example \(campaign owner\)/);
  });

  it('embeds the fonts, has an outline, and carries a signature that pdfsig and steward verify accept', async () => {
    const fonts = run('pdffonts', [pdfPath]).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font).toMatch(/DejaVuSans/);
      expect(font).toMatch(/\byes\s+yes\s+yes\b/);
    }

    const pdf = await PDFDocument.load(readFileSync(pdfPath), { updateMetadata: false });
    const outlines = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    const titles: string[] = [];
    const walk = (first: unknown) => {
      for (let node = first as PDFDict | undefined; node;) {
        const title = node.lookup(PDFName.of('Title'));
        if (title instanceof PDFString || title instanceof PDFHexString) titles.push(title.decodeText());
        const child = node.lookup(PDFName.of('First'));
        if (child instanceof PDFDict) walk(child);
        const next = node.lookup(PDFName.of('Next'));
        node = next instanceof PDFDict ? next : undefined;
      }
    };
    walk(outlines.lookup(PDFName.of('First')));
    for (const title of [
      'Cover',
      'Controls this pack evidences',
      'Population completeness and accuracy',
      'Summary',
      'Decisions',
      'Revocations',
      'Reassignments',
      'Exceptions',
      'Reviewer attestations and campaign close',
      'Decision log and attachments',
    ])
      expect(titles).toContain(title);
    expect(titles).toContain('ingrid.osei@northwindlogistics.example');
    expect(
      pdf.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles')),
    ).toBeDefined();
    expect(
      pdf.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray).size(),
    ).toBe(1);

    const signature = run('pdfsig', [pdfPath]);
    expect(signature).toContain('Signature is Valid');
    expect(signature).toContain('Total document signed');
    const verdict = await mustDispatch(campaign.core, 'evidence.verify', {
      path: pdfPath,
      trust: [exported.signerFingerprint],
    });
    expect(verdict.failedCheck).toBeNull();
    expect(verdict.ok).toBe(true);
  });

  it('attaches a decision log whose chain recomputes to the printed head, the population and a manifest that agree', () => {
    expect(run('pdfdetach', ['-list', pdfPath])).toMatch(
      /3 embedded files[\s\S]*decision-log\.json[\s\S]*evidence-manifest\.json[\s\S]*population\.csv/,
    );
    const out = join(folder, 'attachments');
    mkdirSync(out);
    run('pdfdetach', ['-saveall', '-o', out, pdfPath]);
    expect(readdirSync(out).sort()).toEqual([
      'decision-log.json',
      'evidence-manifest.json',
      'population.csv',
    ]);

    const log = JSON.parse(readFileSync(join(out, 'decision-log.json'), 'utf8')) as DecisionRecord[];
    let prevHash = GENESIS_HASH;
    log.forEach((record, i) => {
      expect(record.seq).toBe(i + 1);
      expect(record.prevHash).toBe(prevHash);
      expect(recordHash(record)).toBe(record.hash);
      prevHash = record.hash;
    });
    expect({ seq: log.at(-1)!.seq, hash: log.at(-1)!.hash }).toEqual(exported.logHead);
    expect(text).toContain(`record ${log.at(-1)!.seq}`);

    const manifest = evidenceManifestSchema.parse(
      JSON.parse(readFileSync(join(out, 'evidence-manifest.json'), 'utf8')),
    );
    expect(manifest.logHead).toEqual(exported.logHead);
    expect(manifest.counts).toMatchObject({
      inScope: campaign.items.length,
      exceptions: campaign.exceptions.length,
      pending: 0,
      decided: campaign.items.length - campaign.exceptions.length,
    });
    const sha = (name: string) => run('sha256sum', [join(out, name)]).split(' ')[0];
    expect(manifest.attachments).toEqual({
      decisionLog: sha('decision-log.json'),
      population: sha('population.csv'),
    });

    const csv = readFileSync(join(out, 'population.csv'), 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^\ufeffitem_id,identity_id,source,kind,external_id,name/);
    // One row per item (no field of the fixtures holds a line break).
    expect(lines).toHaveLength(campaign.items.length + 1);
    // The formula payloads among the justifications are inert in the CSV.
    expect(csv).toContain(`'-2+3`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });

  it('stops an export cancelled by its task id, and writes nothing', async () => {
    const out = join(folder, 'cancelled.pdf');
    const pending = campaign.core.dispatch('evidence.export', {
      campaignId: campaign.campaignId,
      pdfPath: out,
      taskId: 'evidence-cancel',
    });
    const cancelled = await mustDispatch(campaign.core, 'evidence.cancel', { taskId: 'evidence-cancel' });
    const result = await pending;
    expect(cancelled).toEqual({ cancelled: true });
    expect(result.ok ? null : result.error.code).toBe('CANCELLED');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('exports through the real CLI with --json and --xlsx, and refuses a campaign that does not exist', async () => {
    ensureCliBuilt();
    campaign.core.close();
    const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE };
    const out = join(folder, 'cli.pdf');
    const xlsx = join(folder, 'cli.xlsx');
    const ok = await runSteward(
      [
        '--data',
        join(folder, 'vault'),
        'evidence',
        'export',
        String(campaign.campaignId),
        '--out',
        out,
        '--xlsx',
        xlsx,
        '--json',
      ],
      env,
    );
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout) as Exported;
    expect(result).toMatchObject({
      pdfPath: out,
      xlsxPath: xlsx,
      logHead: exported.logHead,
      decisions: exported.decisions,
    });
    expect(run('pdfsig', [out])).toContain('Signature is Valid');
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const missing = await runSteward(
      ['--data', join(folder, 'vault'), 'evidence', 'export', '99', '--out', join(folder, 'none.pdf')],
      env,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no campaign 99/);
    const usage = await runSteward(
      ['--data', join(folder, 'vault'), 'evidence', 'export', 'abc', '--out', out],
      env,
    );
    expect(usage.code).toBe(2);
  }, 60_000);
});
