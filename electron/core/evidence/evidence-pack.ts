import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import PDFDocument, { type PDFKit } from 'pdfkit';
import { AppError } from '../../../shared/api/errors';
import type { Db } from '../db/open-database';
import { verifyDecisionLog } from '../decisions/decision-log';
import { ROSTER_SOURCE } from '../people/roster-writer';
import { csvCell } from '../system/csv-export';
import {
  iterateDecisionLogJson,
  iterateItems,
  iterateRejects,
  loadEvidenceHeader,
  stageEvidenceItems,
  type EvidenceHeader,
  type EvidenceItem,
} from './evidence-data';
import {
  DECISION_LOG_ATTACHMENT,
  EVIDENCE_FORMAT,
  MANIFEST_ATTACHMENT,
  POPULATION_ATTACHMENT,
  evidenceManifestSchema,
  type EvidenceManifest,
} from './evidence-manifest';
import { COLOR, DeferredNumber, FONT, PackWriter, registerFonts, type Column } from './pdf-layout';
import { addSignaturePlaceholder, signPdf, SIGNED_PDF_VERSION, type LoadedSigner } from './pdf-signing';

export interface EvidencePackOptions {
  campaignId: number;
  /** Where the PDF goes; written to a temporary file in the same folder, then renamed over it. */
  pdfPath: string;
  stewardVersion: string;
  /** The vault's signer (loadActiveSigner); null writes an unsigned pack that says so on its cover. */
  signer: LoadedSigner | null;
  generatedAt?: Date;
  /** Rows drawn so far of the rows the pack will draw (items are drawn more than once). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface EvidencePackResult {
  pdfPath: string;
  bytes: number;
  sha256: string;
  pages: number;
  decisions: number;
  logHead: { seq: number; hash: string };
  signerFingerprint: string | null;
  manifest: EvidenceManifest;
}

/** Reviewers in the summary's chart; the table beside it lists every one. */
const CHART_REVIEWERS = 40;

/** Rejected rows printed in the PDF; all of them are in the workpapers. */
const PDF_REJECT_LIMIT = 500;

const DECISION_LABEL: Record<EvidenceItem['decision'], string> = {
  certify: 'Certify',
  revoke: 'Revoke',
  reassign: 'Reassign',
  exception: 'Exception',
  pending: 'Pending',
};

const decisionColor = (text: string): string | undefined => {
  const word = text.split(/[\s:]/)[0]?.toLowerCase();
  return word && word in COLOR ? (COLOR as Record<string, string>)[word] : undefined;
};

export const POPULATION_COLUMNS = [
  'item_id',
  'identity_id',
  'source',
  'kind',
  'external_id',
  'name',
  'environment',
  'identity_status',
  'description',
  'owners',
  'signals',
  'high_risk',
  'reviewer',
  'routing_rule',
  'self_review',
  'decision',
  'revoke_target',
  'new_owner',
  'justification',
  'decided_by',
  'decided_at',
  'log_seq',
] as const;

export function ownersText(item: EvidenceItem): string {
  return item.owners.map((o) => `${o.email} (${o.role}, ${o.status})`).join('; ');
}

export function targetText(item: EvidenceItem): string {
  if (!item.target) return '';
  if (item.target.type === 'identity') return 'the whole identity';
  return `${item.target.type} ${item.target.ref ?? ''}`.trim();
}

export function populationRow(item: EvidenceItem): Array<string | number | null> {
  return [
    item.id,
    item.identityId,
    item.source,
    item.kind,
    item.externalId,
    item.name,
    item.environment,
    item.identityStatus,
    item.description,
    ownersText(item),
    item.signals.map((s) => s.code).join(' '),
    item.highRisk ? 'yes' : 'no',
    item.reviewer,
    item.routingRule,
    item.selfReview ? 'yes' : 'no',
    item.decision,
    targetText(item),
    item.newOwner,
    item.justification,
    item.decidedBy,
    item.decidedAt,
    item.logSeq,
  ];
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
}

/** A time in a table cell, whose header says UTC. */
function stamp(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.length > 10 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso;
}

const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

function scopeText(scope: EvidenceHeader['campaign']['scope']): string {
  const parts = [
    scope.sources.length ? `sources ${scope.sources.join(', ')}` : 'every source',
    scope.kinds.length ? `kinds ${scope.kinds.join(', ')}` : 'every kind',
    scope.environments.length ? `environments ${scope.environments.join(', ')}` : 'every environment',
  ];
  if (scope.signals.length) parts.push(`only identities with signal ${scope.signals.join(' or ')}`);
  return parts.join('; ');
}

function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const n = (value: number) => value.toLocaleString('en-US');

/** The controls this pack is evidence for, and which parts carry it: stated plainly, not claimed. */
const CONTROLS: Array<[string, string, string]> = [
  [
    'PCI DSS v4.0.1 7.2.5.1',
    'All access by application and system accounts and their privileges is reviewed periodically, inappropriate access is addressed, and management acknowledges that access remains appropriate.',
    'Decisions (every in-scope account reviewed), Revocations and Reassignments (inappropriate access addressed), Reviewer attestations and Campaign close (acknowledgement).',
  ],
  [
    'PCI DSS v4.0.1 8.6.1–8.6.3',
    'Application and system accounts are managed: interactive use is prevented or controlled, passwords are not hard-coded, credentials are protected and changed periodically.',
    'Population (each account with its credentials as exported), the signals interactive-login, credential-old, credential-no-expiry and credential-expired-but-active in the Summary and Decisions, and the decision taken on each flagged account.',
  ],
  [
    'SOX ITGC — user access review',
    'Periodic review of logical access to in-scope systems by appropriate reviewers, over a complete and accurate population (IPE), with evidence of review and of follow-up.',
    'Population completeness and accuracy (source files, SHA-256, row counts reconciled to the population), Decisions by reviewer with routing, Revocations, Attestations, the hash-chained decision log.',
  ],
  [
    'SOC 2 CC6.2',
    'Access is authorised before it is granted and removed when no longer authorised.',
    'Decisions (owner status at the as-of date, owner-terminated signals), Revocations with exactly what is to be removed, Reassignments to an active owner.',
  ],
  [
    'SOC 2 CC6.3',
    'Access is authorised, modified or removed based on roles and responsibilities, with least privilege and segregation of duties.',
    'Decisions on privileged identities (privileged signal), self-review flags (a reviewer is never the only owner of what they review), Revocations of single entitlements.',
  ],
  [
    'ISO/IEC 27001:2022 A.5.18',
    'Access rights are provisioned, reviewed, modified and removed in accordance with the access control policy, and reviewed at planned intervals.',
    'The whole pack: the campaign period and as-of date, the review of every right in scope, the changes decided, and the comparison with the previous campaign over the same scope.',
  ],
];

/**
 * Writes the evidence pack of a launched campaign: a signed PDF with the cover, controls, population
 * evidence, summary charts, every decision by reviewer, revocations, reassignments, exceptions,
 * attestations and the decision log head, with the decision log (JSON), the population (CSV) and a
 * manifest embedded as attachments. Items are streamed from the vault and drawn row by row.
 */
export async function writeEvidencePack(db: Db, options: EvidencePackOptions): Promise<EvidencePackResult> {
  const generatedAt = options.generatedAt ?? new Date();
  const header = loadEvidenceHeader(db, options.campaignId);
  const unstage = stageEvidenceItems(db, options.campaignId);
  try {
    return await renderPack(db, options, header, generatedAt);
  } finally {
    unstage();
  }
}

async function renderPack(
  db: Db,
  options: EvidencePackOptions,
  header: EvidenceHeader,
  generatedAt: Date,
): Promise<EvidencePackResult> {
  const { campaign, counts, logHead } = header;
  const check = () => {
    if (options.signal?.aborted)
      throw new AppError('CANCELLED', 'The evidence export was cancelled. No file was written.');
  };

  // Attachments first: their hashes go into the manifest and onto the log page.
  const populationParts: string[] = ['\ufeff' + POPULATION_COLUMNS.join(',') + '\r\n'];
  for (const item of iterateItems(db, campaign.id))
    populationParts.push(populationRow(item).map(csvCell).join(',') + '\r\n');
  const population = Buffer.from(populationParts.join(''), 'utf8');
  populationParts.length = 0;
  const decisionLog = Buffer.from([...iterateDecisionLogJson(db, logHead.seq)].join(''), 'utf8');
  const verification = verifyDecisionLog(db, logHead);
  check();

  const manifest = evidenceManifestSchema.parse({
    format: EVIDENCE_FORMAT,
    stewardVersion: options.stewardVersion,
    generatedAt: generatedAt.toISOString(),
    campaign: {
      id: campaign.id,
      name: campaign.name,
      period: campaign.period,
      asOf: campaign.asOf,
      due: campaign.due,
      owner: campaign.owner,
      state: campaign.state,
      launchedAt: campaign.launchedAt,
      closedAt: campaign.closedAt,
    },
    logHead,
    counts,
    snapshots: header.snapshots.map((s) => ({
      id: s.id,
      source: s.source,
      format: s.format,
      files: s.files,
      rowsRead: s.rowsRead,
      imported: s.imported,
      rejected: s.rejected,
      importedAt: s.importedAt,
      importedBy: s.importedBy,
    })),
    attachments: { decisionLog: sha256(decisionLog), population: sha256(population) },
  });
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');

  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 40, bottom: 42, left: 40, right: 40 },
    pdfVersion: SIGNED_PDF_VERSION,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: `Access review evidence: ${campaign.name}`,
      Author: options.signer ? options.signer.name : campaign.owner,
      Subject: `Campaign ${campaign.id}, as of ${campaign.asOf}: population, decisions, attestations and decision log`,
      Keywords: 'access review, PCI DSS 7.2.5.1, SOX ITGC, SOC 2 CC6.2 CC6.3, ISO 27001 A.5.18',
      Creator: `Steward ${options.stewardVersion}`,
      Producer: `Steward ${options.stewardVersion} (pdfkit)`,
      CreationDate: generatedAt,
      StewardLogHead: `${logHead.seq}:${logHead.hash}`,
      StewardCampaign: String(campaign.id),
      StewardFormat: EVIDENCE_FORMAT,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  registerFonts(doc);

  // Rows are streamed from the vault and drawn; each page is written out when the next begins. The
  // page count and the pages on the cover's contents are placed as numbers filled in at the end.
  const totalRows = counts.inScope + counts.revoke + counts.reassign + counts.exceptions;
  options.onProgress?.(0, totalRows);
  let drawn = 0;
  const onRow = () => {
    drawn += 1;
    if (drawn % 250 === 0) {
      check();
      options.onProgress?.(drawn, totalRows);
    }
  };
  const w = new PackWriter(doc, {
    title: `Access review evidence · Campaign ${campaign.id}: ${campaign.name} · as of ${campaign.asOf}`,
  });
  const outline = doc.outline;
  const contents = drawCover(w, outline, header, options, generatedAt, verification.ok);
  drawControls(w, outline);
  drawPopulation(w, outline, db, header);
  drawSummary(w, outline, header);
  drawDecisions(w, outline, db, header, onRow);
  drawSubsets(w, outline, db, header, onRow);
  drawAttestations(w, outline, header);
  drawLog(w, outline, header, verification, {
    decisionLog,
    population,
    manifest: manifestBytes,
  });
  check();
  const pages = w.page + 1;
  w.totalPages.resolve(pages);
  for (const section of w.sections) contents.get(section.title)?.resolve(section.page + 1);

  const attach = (data: Buffer, name: string, type: string, description: string) =>
    doc.file(data, {
      name,
      type,
      description,
      creationDate: generatedAt,
      modifiedDate: generatedAt,
      relationship: 'Data',
    });
  attach(manifestBytes, MANIFEST_ATTACHMENT, 'application/json', 'What the pack states, for machines');
  attach(
    decisionLog,
    DECISION_LOG_ATTACHMENT,
    'application/json',
    `Decision log, records 1 to ${logHead.seq}`,
  );
  attach(
    population,
    POPULATION_ATTACHMENT,
    'text/csv',
    `The ${counts.inScope} review items of campaign ${campaign.id}`,
  );

  if (options.signer) {
    addSignaturePlaceholder(doc, {
      signerName: options.signer.name,
      reason: `Evidence of access review campaign ${campaign.id} (${campaign.name}), log head ${logHead.seq}:${logHead.hash}`,
      contactInfo: options.signer.email ?? '',
      location: 'Steward',
    });
  }
  doc.end();
  await ended;
  let pdf: Buffer = Buffer.concat(chunks);
  chunks.length = 0;
  check();
  if (options.signer) pdf = await signPdf(pdf, options.signer);
  check();
  writeAtomically(options.pdfPath, pdf);
  options.onProgress?.(totalRows, totalRows);
  return {
    pdfPath: options.pdfPath,
    bytes: pdf.length,
    sha256: sha256(pdf),
    pages,
    decisions: counts.decided + counts.exceptions,
    logHead,
    signerFingerprint: options.signer?.fingerprint ?? null,
    manifest,
  };
}

/** Temp file beside the target, fsync, rename: a crash never leaves half a pack under the name. */
export function writeAtomically(path: string, data: Buffer): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'wx', 0o600);
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC' || code === 'EROFS')
      throw new AppError(
        'INVALID_INPUT',
        `The evidence could not be written to ${path} (${code}): choose a folder that exists and that you can write to.`,
      );
    throw error;
  }
}

// ---- Sections ----

function drawCover(
  w: PackWriter,
  outline: PDFKit.Outline,
  header: EvidenceHeader,
  options: EvidencePackOptions,
  generatedAt: Date,
  logOk: boolean,
): Map<string, DeferredNumber> {
  const { campaign, counts, logHead } = header;
  outline.addItem('Cover');
  const doc = w.doc;
  doc.save().rect(0, 0, doc.page.width, 8).fill(COLOR.accent).restore();
  w.line('ACCESS REVIEW EVIDENCE', w.left, w.y + 4, FONT.bold, 9, COLOR.muted);
  w.y += 22;
  for (const text of w.measure.wrap(campaign.name, w.width, FONT.bold, 24)) {
    w.line(text, w.left, w.y, FONT.bold, 24, COLOR.accent);
    w.y += 30;
  }
  w.line(
    'Periodic review of machine and non-human identities: population, decisions, attestations',
    w.left,
    w.y,
    FONT.regular,
    11,
    COLOR.muted,
  );
  w.y += 30;

  const top = w.y;
  const leftWidth = w.width * 0.56;
  w.keyValues(
    [
      ['Campaign', `#${campaign.id} · ${campaign.state}`],
      ['Period', campaign.period ?? '—'],
      ['As-of date', campaign.asOf],
      ['Due', campaign.due ?? '—'],
      ['Scope', scopeText(campaign.scope)],
      ['Campaign owner', campaign.owner],
      ['Launched', when(campaign.launchedAt)],
      ['Closed', campaign.closedAt ? when(campaign.closedAt) : 'not closed'],
      ['Generated at', when(generatedAt.toISOString())],
      ['Steward version', options.stewardVersion],
      [
        'Signed by',
        options.signer
          ? `${options.signer.name}${options.signer.email ? ` <${options.signer.email}>` : ''}`
          : 'NOT SIGNED: this copy carries no signature',
      ],
      ['Certificate SHA-256', options.signer ? options.signer.fingerprint : '—'],
    ],
    { width: leftWidth, labelWidth: 110, size: 9.5 },
  );
  const leftBottom = w.y;

  // Reconciliation panel on the right.
  const x = w.left + leftWidth + 24;
  const width = w.right - x;
  let y = top;
  doc.save().roundedRect(x, y, width, 150, 4).fill(COLOR.zebra).restore();
  w.line('Population reconciliation', x + 12, y + 10, FONT.bold, 10, COLOR.accent);
  y += 30;
  const cells: Array<[string, number, string]> = [
    ['In scope', counts.inScope, COLOR.accent],
    ['Decided', counts.decided, COLOR.certify],
    ['Exceptions', counts.exceptions, COLOR.exception],
    ['Pending', counts.pending, COLOR.pending],
  ];
  const cellWidth = (width - 24) / cells.length;
  cells.forEach(([label, value, color], i) => {
    const cx = x + 12 + i * cellWidth;
    w.line(n(value), cx, y, FONT.bold, 20, color);
    w.line(label, cx, y + 25, FONT.regular, 8.5, COLOR.muted);
  });
  y += 48;
  const reconciles = counts.inScope === counts.decided + counts.exceptions + counts.pending;
  const equation = `${n(counts.inScope)} in scope = ${n(counts.decided)} decided + ${n(counts.exceptions)} exceptions${counts.pending ? ` + ${n(counts.pending)} pending` : ''}`;
  w.line(equation, x + 12, y, FONT.regular, 9, COLOR.ink);
  y += 14;
  w.line(
    reconciles && counts.pending === 0
      ? 'Reconciles: every item is decided or an exception.'
      : reconciles
        ? 'Reconciles; items are still pending.'
        : 'DOES NOT RECONCILE',
    x + 12,
    y,
    FONT.bold,
    9,
    reconciles && counts.pending === 0 ? COLOR.certify : COLOR.revoke,
  );
  y += 14;
  w.line(
    `certify ${n(counts.certify)} · revoke ${n(counts.revoke)} · reassign ${n(counts.reassign)}`,
    x + 12,
    y,
    FONT.regular,
    8.5,
    COLOR.muted,
  );

  y = top + 162;
  doc.save().roundedRect(x, y, width, 92, 4).fill(COLOR.zebra).restore();
  w.line('Decision log head', x + 12, y + 10, FONT.bold, 10, COLOR.accent);
  w.line(`record ${logHead.seq}`, x + 12, y + 28, FONT.regular, 9);
  const hashLines = [logHead.hash.slice(0, 32), logHead.hash.slice(32)];
  hashLines.forEach((text, i) => w.line(text, x + 12, y + 43 + i * 11, FONT.mono, 8.5));
  w.line(
    logOk
      ? 'Chain recomputed from genesis at export: intact.'
      : 'Chain recomputed at export: BROKEN (see the log page).',
    x + 12,
    y + 47 + hashLines.length * 11,
    FONT.regular,
    8.5,
    logOk ? COLOR.certify : COLOR.revoke,
  );

  w.y = Math.max(leftBottom, y + 100) + 8;
  w.paragraph(
    `This document is ${options.signer ? 'signed with the certificate above; any change to it, including to the three attached files, breaks the signature' : 'NOT signed'}. ` +
      'The decision log (decision-log.json), the population (population.csv) and a manifest of the figures printed here (evidence-manifest.json) are attached to this PDF. ' +
      'Recompute the chain of the attached log and compare its last hash with the head above; `steward verify FILE.pdf` does all of this offline.',
    { size: 8.5, color: COLOR.muted },
  );
  return drawContents(w, w.y + 6);
}

/** The sections of the pack, in order: the cover lists them with their pages. */
const SECTIONS = [
  'Controls this pack evidences',
  'Population completeness and accuracy',
  'Summary',
  'Decisions',
  'Revocations',
  'Reassignments',
  'Exceptions',
  'Reviewer attestations and campaign close',
  'Decision log and attachments',
];

/** The cover's list of sections; the page each starts on is filled in once it is drawn. */
function drawContents(w: PackWriter, top: number): Map<string, DeferredNumber> {
  w.line('Contents', w.left, top, FONT.bold, 10, COLOR.accent);
  const lineHeight = 13;
  const perColumn = Math.max(1, Math.floor((w.bottom - top - 18) / lineHeight));
  const columnWidth = 300;
  const numbers = new Map<string, DeferredNumber>();
  SECTIONS.forEach((title, i) => {
    const x = w.left + Math.floor(i / perColumn) * (columnWidth + 40);
    const y = top + 18 + (i % perColumn) * lineHeight;
    w.line(title, x, y, FONT.regular, 9);
    const number = new DeferredNumber(w.doc, `StewardSection${i + 1}`, 9);
    number.place(x + columnWidth - 24, y, COLOR.muted);
    numbers.set(title, number);
  });
  w.resetState();
  return numbers;
}

function drawControls(w: PackWriter, outline: PDFKit.Outline): void {
  w.heading('Controls this pack evidences', 1, outline);
  w.paragraph(
    'Which requirement each part of this pack is evidence for. The pack shows what was reviewed, by whom, with what outcome and over which population; whether that satisfies a control in your environment is for the control owner and the auditor to judge.',
    { size: 9, color: COLOR.muted, gap: 8 },
  );
  w.table(
    [
      { header: 'Requirement', width: 150, font: FONT.bold },
      { header: 'What it asks', width: 300 },
      { header: 'Where this pack evidences it', width: 330 },
    ],
    CONTROLS.map((c) => [...c]),
    { size: 8.5 },
  );
}

function drawPopulation(w: PackWriter, outline: PDFKit.Outline, db: Db, header: EvidenceHeader): void {
  const { campaign, counts } = header;
  const section = w.heading('Population completeness and accuracy', 1, outline);
  w.paragraph(
    `At launch (${when(campaign.launchedAt)}), Steward listed every identity known from the snapshots below as of ${campaign.asOf}, ` +
      `left out identities their source no longer listed by that date, applied the scope (${scopeText(campaign.scope)}) ` +
      `and froze the ${n(counts.inScope)} identities that remained as review items, each with its owners, their status at the as-of date and its risk signals. ` +
      'Later imports do not change the items. Each snapshot records the files it was read from with their SHA-256, so the population can be traced to the exports.',
    { gap: 8 },
  );
  section.addItem('Snapshots');
  w.line('Snapshots of the in-scope sources up to the launch', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  w.table(
    [
      { header: 'Snapshot', width: 50, align: 'right' },
      { header: 'Source', width: 120 },
      { header: 'Format', width: 125 },
      { header: 'Imported at (UTC)', width: 105 },
      { header: 'Imported by', width: 95 },
      { header: 'Rows read', width: 55, align: 'right' },
      { header: 'Imported', width: 55, align: 'right' },
      { header: 'Rejected', width: 55, align: 'right' },
      { header: 'Notes', width: 45, align: 'right' },
      { header: 'Population', width: 80 },
    ],
    header.snapshots.map((s) => [
      `#${s.id}`,
      s.source,
      s.preset ?? s.format,
      stamp(s.importedAt),
      s.importedBy,
      n(s.rowsRead),
      n(s.imported),
      n(s.rejected),
      n(s.notes),
      s.source === ROSTER_SOURCE
        ? 'owner status'
        : `${s.full ? 'full' : 'partial'}${s.latestBeforeLaunch ? ', latest' : ''}`,
    ]),
    { size: 8, empty: 'No snapshot of an in-scope source was imported before the launch.' },
  );

  section.addItem('Source files and SHA-256');
  w.ensure(60);
  w.line('Source files and their SHA-256', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  w.table(
    [
      { header: 'Snapshot', width: 50, align: 'right' },
      { header: 'Source', width: 120 },
      { header: 'File', width: 190 },
      { header: 'Size', width: 60, align: 'right' },
      { header: 'SHA-256', width: 342, font: FONT.mono },
    ],
    header.snapshots.flatMap((s) =>
      s.files.map((f) => [`#${s.id}`, s.source, f.name, bytesText(f.bytes), f.sha256]),
    ),
    { size: 8 },
  );

  section.addItem('From snapshots to population');
  w.ensure(80);
  w.line('From snapshots to population', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  const latest = new Map(header.snapshots.filter((s) => s.latestBeforeLaunch).map((s) => [s.source, s]));
  w.table(
    [
      { header: 'Source', width: 200 },
      { header: 'Latest snapshot before launch', width: 180 },
      { header: 'Rows imported by it', width: 130, align: 'right' },
      { header: 'Review items from this source', width: 170, align: 'right' },
    ],
    header.bySource.map((s) => {
      const snapshot = latest.get(s.source);
      return [
        s.source,
        snapshot ? `#${snapshot.id}, ${when(snapshot.importedAt)}` : '—',
        snapshot ? n(snapshot.imported) : '—',
        n(s.items),
      ];
    }),
    { size: 8.5 },
  );
  w.ensure(120);
  w.table(
    [
      { header: 'Reconciliation', width: 420 },
      { header: 'Items', width: 120, align: 'right' },
    ],
    [
      ['In scope (frozen at launch)', n(counts.inScope)],
      ['  Certified', n(counts.certify)],
      ['  Revoked', n(counts.revoke)],
      ['  Reassigned', n(counts.reassign)],
      ['  Exceptions carried at close', n(counts.exceptions)],
      ['  Pending', n(counts.pending)],
      [
        `Decided + exceptions + pending = ${n(counts.decided)} + ${n(counts.exceptions)} + ${n(counts.pending)}`,
        n(counts.decided + counts.exceptions + counts.pending),
      ],
    ],
    { size: 8.5 },
  );
  w.paragraph(
    `Owners' status (active, left, not in the roster) is judged at ${campaign.asOf} against the HR roster: ${n(header.roster.people)} people, last imported ${when(header.roster.lastImportedAt)}.`,
    { size: 8.5, color: COLOR.muted },
  );

  const rejected = header.snapshots.reduce((sum, s) => sum + s.rejected + s.notes, 0);
  if (rejected > 0) {
    section.addItem('Rejected rows and notes');
    w.ensure(80);
    w.line('Rejected rows and notes', w.left, w.y, FONT.bold, 10, COLOR.accent);
    w.y += 14;
    w.paragraph(
      rejected > PDF_REJECT_LIMIT
        ? `The first ${PDF_REJECT_LIMIT} of ${n(rejected)} rows; the workpapers (sheet "Rejected rows") list all of them.`
        : 'Rows of the source files that did not become identities, and facts about the files an auditor should read.',
      { size: 8.5, color: COLOR.muted },
    );
    let shown = 0;
    const rows = (function* () {
      for (const r of iterateRejects(
        db,
        header.snapshots.map((s) => s.id),
      )) {
        if (shown >= PDF_REJECT_LIMIT) return;
        shown += 1;
        yield [`#${r.snapshotId}`, r.source, r.file, String(r.row), r.kind, r.reason];
      }
    })();
    w.table(
      [
        { header: 'Snapshot', width: 50, align: 'right' },
        { header: 'Source', width: 100 },
        { header: 'File', width: 150 },
        { header: 'Row', width: 40, align: 'right' },
        { header: 'Kind', width: 50 },
        { header: 'Reason', width: 390 },
      ],
      rows,
      { size: 7.5 },
    );
  }
}

function drawSummary(w: PackWriter, outline: PDFKit.Outline, header: EvidenceHeader): void {
  const { counts } = header;
  const section = w.heading('Summary', 1, outline);
  const legend = [
    { label: 'certify', color: COLOR.certify },
    { label: 'revoke', color: COLOR.revoke },
    { label: 'reassign', color: COLOR.reassign },
    { label: 'exception', color: COLOR.exception },
    { label: 'pending', color: COLOR.pending },
  ];
  const segments = (r: {
    certify: number;
    revoke: number;
    reassign: number;
    exception: number;
    pending?: number;
  }) => [
    { value: r.certify, color: COLOR.certify },
    { value: r.revoke, color: COLOR.revoke },
    { value: r.reassign, color: COLOR.reassign },
    { value: r.exception, color: COLOR.exception },
    { value: r.pending ?? 0, color: COLOR.pending },
  ];

  section.addItem('Decisions by type');
  w.line('Decisions by type', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  w.barChart(
    (
      [
        ['Certify', counts.certify, COLOR.certify],
        ['Revoke', counts.revoke, COLOR.revoke],
        ['Reassign', counts.reassign, COLOR.reassign],
        ['Exception', counts.exceptions, COLOR.exception],
        ['Pending', counts.pending, COLOR.pending],
      ] as const
    ).map(([label, value, color]) => ({ label, segments: [{ value, color }] })),
    { labelWidth: 120 },
  );

  section.addItem('Decisions by reviewer');
  w.ensure(60);
  // A chart of thousands of bars says nothing: it shows the reviewers with most items, the table all.
  const charted = [...header.byReviewer].sort((a, b) => b.items - a.items).slice(0, CHART_REVIEWERS);
  w.line(
    header.byReviewer.length > CHART_REVIEWERS
      ? `Decisions by reviewer: the ${CHART_REVIEWERS} with most items (all ${n(header.byReviewer.length)} in the table)`
      : 'Decisions by reviewer',
    w.left,
    w.y,
    FONT.bold,
    10,
    COLOR.accent,
  );
  w.y += 16;
  w.barChart(
    charted.map((r) => ({ label: r.reviewer, segments: segments(r) })),
    { legend },
  );
  w.table(
    [
      { header: 'Reviewer', width: 220 },
      { header: 'Items', width: 55, align: 'right' },
      { header: 'Certify', width: 55, align: 'right' },
      { header: 'Revoke', width: 55, align: 'right' },
      { header: 'Reassign', width: 55, align: 'right' },
      { header: 'Exception', width: 60, align: 'right' },
      { header: 'Pending', width: 55, align: 'right' },
      { header: 'Signed off', width: 150 },
    ],
    header.byReviewer.map((r) => [
      r.reviewer,
      n(r.items),
      n(r.certify),
      n(r.revoke),
      n(r.reassign),
      n(r.exception),
      n(r.pending),
      r.signedOffAt ? when(r.signedOffAt) : 'not signed off',
    ]),
    { size: 8 },
  );

  section.addItem('Decisions by signal');
  w.ensure(80);
  w.line('Items by risk signal, and what was decided', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  if (header.bySignal.length === 0) w.paragraph('No item carried a risk signal.', { color: COLOR.muted });
  else
    w.barChart(
      header.bySignal.map((s) => ({ label: s.code, segments: segments(s) })),
      { legend },
    );

  section.addItem('Since the previous campaign');
  w.ensure(90);
  w.line(
    'What changed since the previous campaign over the same scope',
    w.left,
    w.y,
    FONT.bold,
    10,
    COLOR.accent,
  );
  w.y += 16;
  const comparison = header.comparison;
  if (!comparison) {
    w.paragraph('This is the first campaign over this scope: there is nothing to compare with.', {
      color: COLOR.muted,
    });
    return;
  }
  w.keyValues(
    [
      [
        'Previous campaign',
        `#${comparison.previous.id} ${comparison.previous.name}, as of ${comparison.previous.asOf}, ${n(comparison.previous.items)} items${comparison.previous.closedAt ? `, closed ${when(comparison.previous.closedAt)}` : ', not closed'}`,
      ],
      ['New in this population', n(comparison.added)],
      ['Gone since', n(comparison.removed)],
      ['Reviewed in both', n(comparison.kept)],
      ['Decided differently', n(comparison.decisionChanged)],
      [
        'Revoked then, still here',
        comparison.revokedStillPresent.length === 0
          ? 'none: every identity revoked last time is gone'
          : `${comparison.revokedStillPresent.length}${comparison.revokedStillPresent.length >= 200 ? '+' : ''}: revoked in the previous campaign and still in this population (listed below)`,
      ],
    ],
    { labelWidth: 150 },
  );
  if (comparison.revokedStillPresent.length > 0) {
    w.y += 6;
    w.table(
      [
        { header: 'Identity revoked in the previous campaign and still present', width: 400 },
        { header: 'Source', width: 200 },
        { header: 'Revoked at (UTC)', width: 160 },
      ],
      comparison.revokedStillPresent.map((r) => [r.name, r.source, stamp(r.previousDecidedAt)]),
      { size: 8 },
    );
  }
}

/** The decision table's columns (exported for the benchmark's reference, which draws the same table). */
export const DECISION_COLUMNS: Column[] = [
  { header: 'Item', width: 26, align: 'right' },
  { header: 'Identity', width: 134 },
  { header: 'Source / kind', width: 84 },
  { header: 'Owners (role, status)', width: 140 },
  { header: 'Signals', width: 92 },
  { header: 'Decision', width: 96, color: decisionColor },
  { header: 'Justification', width: 114 },
  { header: 'Decided at (UTC)', width: 76 },
];

function decisionCell(item: EvidenceItem): string {
  const label = DECISION_LABEL[item.decision];
  if (item.decision === 'revoke') return `${label}: ${targetText(item)}`;
  if (item.decision === 'reassign') return `${label} to\n${item.newOwner ?? ''}`;
  return label;
}

function identityCell(item: EvidenceItem): string {
  const parts = [item.name];
  if (item.externalId && item.externalId !== item.name) parts.push(item.externalId);
  if (item.environment) parts.push(`env ${item.environment}`);
  if (item.selfReview) parts.push('(reviewer is also an owner)');
  return parts.join('\n');
}

/** One item's cells in the decision table. */
export function decisionRow(item: EvidenceItem): string[] {
  return [
    String(item.id),
    identityCell(item),
    `${item.source}\n${item.kind}`,
    item.owners.length
      ? item.owners.map((o) => `${o.email} (${o.role}, ${o.status})`).join('\n')
      : 'no owner',
    item.signals.map((s) => (s.severity === 'high' ? `${s.code} (high)` : s.code)).join('\n'),
    decisionCell(item),
    item.justification ?? '',
    // Within a reviewer's table the decider is the reviewer; anyone else (the owner carrying an
    // exception) is named.
    item.decidedBy && item.decidedBy !== item.reviewer
      ? `${stamp(item.decidedAt)}\nby ${item.decidedBy}`
      : stamp(item.decidedAt),
  ];
}

function drawDecisions(
  w: PackWriter,
  outline: PDFKit.Outline,
  db: Db,
  header: EvidenceHeader,
  onRow: () => void,
): void {
  const section = w.heading('Decisions', 1, outline);
  w.paragraph(
    'Every review item, grouped by the reviewer it was routed to: the identity as frozen at launch, its owners and their status at the as-of date, its risk signals, and the decision with its justification. A changed decision shows its final state; every change is in the decision log.',
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  // One pass over the items ordered by reviewer; a reviewer's heading starts their part.
  let current: string | null = null;
  let buffered: EvidenceItem | null = null;
  const items = iterateItems(db, header.campaign.id);
  const reviewers = new Map(header.byReviewer.map((r) => [r.reviewer, r]));
  const startReviewer = (reviewer: string) => {
    const summary = reviewers.get(reviewer);
    if (current !== null) w.ensure(90);
    section.addItem(reviewer);
    w.ensure(70);
    w.line(reviewer, w.left, w.y, FONT.bold, 11, COLOR.accent);
    w.y += 15;
    w.line(
      `${plural(summary?.items ?? 0, 'item')} · ${summary?.signedOffAt ? `signed off ${when(summary.signedOffAt)}` : 'not signed off'}`,
      w.left,
      w.y,
      FONT.regular,
      8.5,
      COLOR.muted,
    );
    w.y += 14;
  };
  const rowsOfReviewer = function* (): Generator<string[]> {
    while (buffered && buffered.reviewer === current) {
      yield decisionRow(buffered);
      onRow();
      const next = items.next();
      buffered = next.done ? null : next.value;
    }
  };
  try {
    const first = items.next();
    buffered = first.done ? null : first.value;
    if (!buffered) w.paragraph('The campaign has no items.', { color: COLOR.muted });
    while (buffered) {
      current = buffered.reviewer;
      startReviewer(current);
      w.table(DECISION_COLUMNS, rowsOfReviewer(), { size: 7 });
    }
  } finally {
    // Read by hand, not by for-of: a cancel thrown mid-table must still end the query, or the
    // connection stays busy and cleaning up after the cancel fails in its place.
    items.return(undefined);
  }
}

function drawSubsets(
  w: PackWriter,
  outline: PDFKit.Outline,
  db: Db,
  header: EvidenceHeader,
  onRow: () => void,
): void {
  const id = header.campaign.id;
  const mapRows = function* (
    decision: EvidenceItem['decision'],
    row: (item: EvidenceItem) => string[],
  ): Generator<string[]> {
    for (const item of iterateItems(db, id, decision)) {
      yield row(item);
      onRow();
    }
  };

  w.heading('Revocations', 1, outline);
  w.paragraph(
    `${n(header.counts.revoke)} revocations: what exactly is to be removed, on which system, and why. These are the changes to carry out and confirm in each source.`,
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  w.table(
    [
      { header: 'Item', width: 28, align: 'right' },
      { header: 'Identity', width: 140 },
      { header: 'Source / id', width: 146 },
      { header: 'Remove', width: 130, font: FONT.bold, color: () => COLOR.revoke },
      { header: 'Decided by', width: 118 },
      { header: 'Justification', width: 116 },
      { header: 'Decided at (UTC)', width: 84 },
    ],
    mapRows('revoke', (item) => [
      String(item.id),
      item.name,
      `${item.source}\n${item.externalId}`,
      targetText(item),
      item.decidedBy ?? item.reviewer,
      item.justification ?? '',
      stamp(item.decidedAt),
    ]),
    { size: 7.5, empty: 'No revocations.' },
  );

  w.heading('Reassignments', 1, outline);
  w.paragraph(
    `${n(header.counts.reassign)} reassignments of ownership, with the owners before and the new owner.`,
    {
      size: 8.5,
      color: COLOR.muted,
      gap: 6,
    },
  );
  w.table(
    [
      { header: 'Item', width: 28, align: 'right' },
      { header: 'Identity', width: 130 },
      { header: 'Source', width: 80 },
      { header: 'Old owner(s) (role, status)', width: 150 },
      { header: 'New owner', width: 120, font: FONT.bold },
      { header: 'Decided by', width: 116 },
      { header: 'Justification', width: 106 },
      { header: 'Decided at (UTC)', width: 84 },
    ],
    mapRows('reassign', (item) => [
      String(item.id),
      item.name,
      item.source,
      item.owners.length
        ? item.owners.map((o) => `${o.email} (${o.role}, ${o.status})`).join('\n')
        : 'no owner',
      item.newOwner ?? '',
      item.decidedBy ?? '',
      item.justification ?? '',
      stamp(item.decidedAt),
    ]),
    { size: 7.5, empty: 'No reassignments.' },
  );

  w.heading('Exceptions', 1, outline);
  w.paragraph(
    `${n(header.counts.exceptions)} items were not decided by their reviewer and were carried past the close by the campaign owner, each with a reason.`,
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  w.table(
    [
      { header: 'Item', width: 30, align: 'right' },
      { header: 'Identity', width: 150 },
      { header: 'Source', width: 100 },
      { header: 'Reviewer (undecided)', width: 130 },
      { header: 'Reason', width: 220 },
      { header: 'Carried by / at (UTC)', width: 120 },
    ],
    mapRows('exception', (item) => [
      String(item.id),
      item.name,
      item.source,
      item.reviewer,
      item.justification ?? '',
      `${item.decidedBy ?? ''}\n${stamp(item.decidedAt)}`,
    ]),
    { size: 7.5, empty: 'No exceptions.' },
  );
}

function drawAttestations(w: PackWriter, outline: PDFKit.Outline, header: EvidenceHeader): void {
  const { campaign, close } = header;
  w.heading('Reviewer attestations and campaign close', 1, outline);
  w.paragraph(
    'By signing off, each reviewer attested that they reviewed every item routed to them and that the access they certified remains appropriate. Their decisions could not change afterwards. Each sign-off is a record of the decision log.',
    { size: 8.5, color: COLOR.muted, gap: 6 },
  );
  w.table(
    [
      { header: 'Reviewer', width: 260 },
      { header: 'Items', width: 70, align: 'right' },
      { header: 'Signed off at', width: 180 },
      { header: 'Decision log record', width: 120, align: 'right' },
    ],
    header.byReviewer.map((r) => [
      r.reviewer,
      n(r.items),
      r.signedOffAt ? when(r.signedOffAt) : 'NOT SIGNED OFF',
      r.signoffSeq ? `#${r.signoffSeq}` : '—',
    ]),
    { size: 8.5 },
  );
  w.ensure(80);
  w.line('Campaign close', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  if (close) {
    w.keyValues([
      ['Closed at', when(close.ts)],
      ['Closed by', `${close.actor} (campaign owner)`],
      ['Exceptions carried', n(close.exceptions)],
      ['Decision log record', `#${close.seq}`],
    ]);
    w.paragraph(
      'The campaign owner closed the campaign with every item decided or carried as an exception with a reason. A closed campaign is read-only.',
      { size: 8.5, color: COLOR.muted },
    );
  } else {
    w.paragraph(
      `Campaign ${campaign.id} is ${campaign.state}: it has not been closed, and ${n(header.counts.pending)} items are still pending. This pack is an interim view.`,
      { color: COLOR.revoke },
    );
  }
}

function drawLog(
  w: PackWriter,
  outline: PDFKit.Outline,
  header: EvidenceHeader,
  verification: ReturnType<typeof verifyDecisionLog>,
  files: { decisionLog: Buffer; population: Buffer; manifest: Buffer },
): void {
  const { logHead, campaignLog } = header;
  w.heading('Decision log and attachments', 1, outline);
  w.paragraph(
    "Every decision, sign-off, exception, launch and close is appended to the vault's decision log. Each record carries the SHA-256 of its canonical JSON (RFC 8785) chained to the previous record's hash, from a genesis of 64 zeros; the log cannot be updated or deleted through Steward. The head below is the last record when this pack was made: a log recomputed later must reach the same hash at this record.",
    { size: 8.5, color: COLOR.muted, gap: 8 },
  );
  w.keyValues(
    [
      ['Head record', String(logHead.seq)],
      ['Head hash', logHead.hash],
      ['Records in the log', n(verification.records)],
      [
        'This campaign’s records',
        campaignLog.records
          ? `${n(campaignLog.records)} records, #${campaignLog.first} to #${campaignLog.last}${header.launchSeq ? `; launch #${header.launchSeq}` : ''}${header.close ? `; close #${header.close.seq}` : ''}`
          : 'none',
      ],
      [
        'Verification at export',
        verification.ok
          ? `intact: recomputed from genesis to record ${verification.head.seq}`
          : `BROKEN: ${verification.broken?.message ?? 'unknown'}`,
      ],
    ],
    { labelWidth: 150 },
  );
  w.y += 8;
  w.line('Attached files', w.left, w.y, FONT.bold, 10, COLOR.accent);
  w.y += 16;
  w.table(
    [
      { header: 'Attachment', width: 130 },
      { header: 'Content', width: 250 },
      { header: 'Size', width: 60, align: 'right' },
      { header: 'SHA-256', width: 322, font: FONT.mono },
    ],
    [
      [
        DECISION_LOG_ATTACHMENT,
        `The decision log, records 1 to ${logHead.seq}, as JSON`,
        bytesText(files.decisionLog.length),
        sha256(files.decisionLog),
      ],
      [
        POPULATION_ATTACHMENT,
        `The ${n(header.counts.inScope)} review items with their decisions, as CSV`,
        bytesText(files.population.length),
        sha256(files.population),
      ],
      [
        MANIFEST_ATTACHMENT,
        'The figures of this pack, for machines',
        bytesText(files.manifest.length),
        sha256(files.manifest),
      ],
    ],
    { size: 8 },
  );
}
