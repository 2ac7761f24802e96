import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Db } from '../../electron/core/db/open-database';
import { appendDecision, type DecisionRecord } from '../../electron/core/decisions/decision-log';
import {
  DECISION_LOG_ATTACHMENT,
  EVIDENCE_FORMAT,
  MANIFEST_ATTACHMENT,
  POPULATION_ATTACHMENT,
  type EvidenceManifest,
} from '../../electron/core/evidence/evidence-manifest';
import {
  addSignaturePlaceholder,
  loadActiveSigner,
  signPdf,
  SIGNED_PDF_VERSION,
} from '../../electron/core/evidence/pdf-signing';

/**
 * A hand-made evidence PDF for the verifier's tests, independent of the evidence-pack writer: a real
 * decision log appended to a real vault, the three attachments of evidence-manifest.ts embedded with
 * pdfkit's doc.file, signed with the vault's active signer through pdf-signing.ts.
 */

interface PdfKitDoc {
  info: Record<string, unknown>;
  text(text: string): PdfKitDoc;
  file(data: Buffer, options: { name: string; type?: string; description?: string }): PdfKitDoc;
  on(event: 'data', listener: (chunk: Buffer) => void): PdfKitDoc;
  on(event: 'end', listener: () => void): PdfKitDoc;
  end(): void;
}

const requireCjs = createRequire(import.meta.url);
// pdfkit ships no types: the little used here is declared above.
const PDFDocument = requireCjs('pdfkit') as new (options: Record<string, unknown>) => PdfKitDoc;

export const CAMPAIGN_ID = 7;

/**
 * Appends the life of campaign 7 to the vault's log: created, launched with 5 items, decisions (item 2
 * revoked then changed to certify; item 4 revoked, changed to certify and that change undone), one
 * reassign, one exception, sign-off and close; plus
 * records of another campaign interleaved, which the counts must ignore.
 */
export function writeCampaignLog(db: Db): DecisionRecord[] {
  const owner = 'dana.whitfield@northwind.example';
  const reviewer = 'sam.okafor@northwind.example';
  const add = (actor: string, action: string, payload: DecisionRecord['payload']) =>
    appendDecision(db, { actor, action, payload });
  add(owner, 'campaign.create', {
    campaignId: 6,
    name: 'Earlier',
    asOf: '2026-06-30',
    due: null,
    scope: {},
    owner,
  });
  add(owner, 'campaign.create', {
    campaignId: CAMPAIGN_ID,
    name: 'Q4 2026 machine identities',
    asOf: '2026-12-01',
    due: '2026-12-15',
    scope: { sources: ['aws:prod'] },
    owner,
  });
  add(owner, 'campaign.launch', { campaignId: 6, asOf: '2026-06-30', items: 2, policy: {} });
  add(owner, 'campaign.launch', { campaignId: CAMPAIGN_ID, asOf: '2026-12-01', items: 5, policy: {} });
  const decide = (itemId: number, decision: string, previous: string | null) =>
    add(reviewer, `decision.${decision}`, {
      campaignId: CAMPAIGN_ID,
      itemId,
      identityId: 100 + itemId,
      identity: `aws:prod/svc-${itemId}`,
      decision,
      target: decision === 'revoke' ? { type: 'identity', ref: null } : null,
      newOwner: decision === 'reassign' ? 'lee.chen@northwind.example' : null,
      justification: decision === 'certify' ? null : 'No longer used by the billing pipeline',
      previous,
    });
  decide(1, 'certify', null);
  decide(2, 'revoke', null);
  add(reviewer, 'decision.certify', {
    campaignId: 6,
    itemId: 900,
    identityId: 1,
    identity: 'aws:prod/old',
    decision: 'certify',
    target: null,
    newOwner: null,
    justification: null,
    previous: null,
  });
  decide(2, 'certify', 'revoke');
  decide(3, 'reassign', null);
  decide(4, 'revoke', null);
  // Changed to certify, then taken back: the undo restores the revoke (review-decision-batch.ts).
  const changed = decide(4, 'certify', 'revoke');
  add(reviewer, 'decision.undone', {
    campaignId: CAMPAIGN_ID,
    itemId: 4,
    identityId: 104,
    identity: 'aws:prod/svc-4',
    undone: 'certify',
    undoneSeq: changed.seq,
    restored: {
      decision: 'revoke',
      target: { type: 'identity', ref: null },
      newOwner: null,
      justification: 'No longer used by the billing pipeline',
      decidedBy: reviewer,
      decidedAt: '2026-12-05T10:00:00.000Z',
    },
  });
  add(reviewer, 'review.signoff', { campaignId: CAMPAIGN_ID, reviewer, items: 4 });
  add(owner, 'item.exception', {
    campaignId: CAMPAIGN_ID,
    itemId: 5,
    reason: 'Owner on leave until January',
  });
  add(owner, 'campaign.close', { campaignId: CAMPAIGN_ID, exceptions: 1 });
  return db
    .prepare(
      'SELECT seq, ts, actor, action, payload, prev_hash AS prevHash, hash FROM decision_log ORDER BY seq',
    )
    .all()
    .map((row) => {
      const r = row as Omit<DecisionRecord, 'payload'> & { payload: string };
      return { ...r, payload: JSON.parse(r.payload) as DecisionRecord['payload'] };
    });
}

export const POPULATION_CSV =
  'item_id,source,identity,kind,reviewer,decision\r\n' +
  '1,aws:prod,svc-1,iam-user,sam.okafor@northwind.example,certify\r\n' +
  '2,aws:prod,svc-2,iam-role,sam.okafor@northwind.example,certify\r\n' +
  '3,aws:prod,"svc-3, ""legacy""",iam-user,sam.okafor@northwind.example,reassign\r\n' +
  '4,aws:prod,"svc-4\nsecond line",iam-user,sam.okafor@northwind.example,revoke\r\n' +
  '5,aws:prod,svc-5,iam-user,sam.okafor@northwind.example,exception\r\n';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export function manifestFor(log: DecisionRecord[], logJson: string, population: string): EvidenceManifest {
  const head = log[log.length - 1]!;
  return {
    format: EVIDENCE_FORMAT,
    stewardVersion: '0.1.0-test',
    generatedAt: '2026-12-16T10:00:00.000Z',
    campaign: {
      id: CAMPAIGN_ID,
      name: 'Q4 2026 machine identities',
      period: '2026-Q4',
      asOf: '2026-12-01',
      due: '2026-12-15',
      owner: 'dana.whitfield@northwind.example',
      state: 'closed',
      launchedAt: '2026-12-01T09:00:00.000Z',
      closedAt: '2026-12-16T09:00:00.000Z',
    },
    logHead: { seq: head.seq, hash: head.hash },
    counts: { inScope: 5, decided: 4, exceptions: 1, pending: 0, certify: 2, revoke: 1, reassign: 1 },
    snapshots: [],
    attachments: { decisionLog: sha256(logJson), population: sha256(population) },
  };
}

export interface PackParts {
  manifest: EvidenceManifest;
  logJson: string;
  population: string;
  /** The Info dictionary's StewardLogHead; undefined writes the manifest's head. */
  infoLogHead?: string | null;
}

/** The parts of a consistent pack for the log in the vault; tests change them to tamper. */
export function packParts(log: DecisionRecord[]): PackParts {
  const logJson = JSON.stringify(log);
  return { manifest: manifestFor(log, logJson, POPULATION_CSV), logJson, population: POPULATION_CSV };
}

/** The unsigned PDF with the placeholder, as pdfkit writes it. */
export async function unsignedPack(parts: PackParts, signerName = 'Dana Whitfield'): Promise<Buffer> {
  const doc = new PDFDocument({ pdfVersion: SIGNED_PDF_VERSION, compress: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', resolve));
  const head =
    parts.infoLogHead === undefined
      ? `${parts.manifest.logHead.seq}:${parts.manifest.logHead.hash}`
      : parts.infoLogHead;
  if (head !== null) doc.info.StewardLogHead = head;
  doc.text(`Evidence of campaign ${parts.manifest.campaign.name}. Log head ${head ?? '-'}.`);
  doc.file(Buffer.from(JSON.stringify(parts.manifest, null, 2)), {
    name: MANIFEST_ATTACHMENT,
    type: 'application/json',
    description: 'Evidence manifest',
  });
  doc.file(Buffer.from(parts.logJson), { name: DECISION_LOG_ATTACHMENT, type: 'application/json' });
  doc.file(Buffer.from(parts.population), { name: POPULATION_ATTACHMENT, type: 'text/csv' });
  addSignaturePlaceholder(doc, {
    signerName,
    reason: 'Evidence of the Q4 2026 access review',
    location: 'Leeds',
  });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** A signed pack made from `parts` with the vault's active signer. */
export async function signedPack(db: Db, parts: PackParts): Promise<Buffer> {
  return signPdf(await unsignedPack(parts), loadActiveSigner(db));
}

/** The offsets of the signature's /Contents hex (between < and >) and the signed ranges. */
export function byteRangeOf(pdf: Buffer): [number, number, number, number] {
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.toString('latin1'));
  if (!match) throw new Error('no ByteRange');
  return match.slice(1, 5).map(Number) as [number, number, number, number];
}
