import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import { z } from 'zod';
import type { z as zod } from 'zod';
import type {
  EVIDENCE_CHECK_IDS,
  evidenceCheckSchema,
  evidenceVerificationSchema,
} from '../../../shared/api/entries/evidence-entries';
import { GENESIS_HASH, recordHash, type DecisionRecord } from '../decisions/decision-log';
import {
  children,
  content,
  DerError,
  expectTag,
  oid,
  raw,
  readElement,
  TAG,
  time,
  type DerElement,
} from './cms-der';
import {
  DECISION_LOG_ATTACHMENT,
  evidenceManifestSchema,
  MANIFEST_ATTACHMENT,
  POPULATION_ATTACHMENT,
  type EvidenceManifest,
} from './evidence-manifest';
import { normalizeFingerprint } from './signer-store';

/**
 * Verifies a signed evidence PDF on its own bytes, without a vault: what an auditor runs. Six checks
 * in order; each one that can run does, and the first that fails is the verdict:
 *
 * 1. structure: exactly one signature whose ByteRange covers the whole file except its Contents hole
 *    (bytes appended after signing, e.g. an incremental update, fail here);
 * 2. signature: the CMS SignedData in Contents: its message-digest attribute is the SHA-256 of the
 *    signed ranges and its signature over the signed attributes verifies with the embedded
 *    certificate's key, within that certificate's validity;
 * 3. trust: the certificate's SHA-256 fingerprint is one the auditor trusts (`--trust`), else
 *    "not checked";
 * 4. attachments: the manifest, decision log and population are embedded once each, the manifest
 *    matches its schema and the other two files match the hashes it states;
 * 5. decision-log: the log recomputes from genesis (contiguous seq, each prevHash the previous hash,
 *    each hash the record's) and ends exactly at the manifest's head (and the Info dictionary's
 *    StewardLogHead when present);
 * 6. counts: the manifest's counts add up, population.csv has one row per item in scope, and the log
 *    (launch, latest decision per item, exceptions, close) yields the same numbers.
 *
 * Hostile input never throws: every parse error is a failed check with a message.
 */

export type EvidenceCheckId = (typeof EVIDENCE_CHECK_IDS)[number];
export type EvidenceCheck = zod.output<typeof evidenceCheckSchema>;
export type EvidenceVerification = zod.output<typeof evidenceVerificationSchema>;

const CHECK_NAMES: Record<EvidenceCheckId, string> = {
  structure: 'Signed range',
  signature: 'Signature',
  trust: 'Trusted certificate',
  attachments: 'Embedded files',
  'decision-log': 'Decision log',
  counts: 'Counts',
};

/** Largest embedded file accepted once inflated: a pack's log of a million decisions stays well under. */
export const MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024;

class CheckFailure extends Error {}

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
} as const;

const DIGESTS: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

const SIGNATURE_ALGORITHMS = new Set<string>([
  OID.rsaEncryption,
  OID.sha256WithRsa,
  OID.sha384WithRsa,
  OID.sha512WithRsa,
  OID.ecdsaWithSha256,
  OID.ecdsaWithSha384,
  OID.ecdsaWithSha512,
]);

interface SignedRange {
  ranges: [number, number, number, number];
  cms: Buffer;
}

interface SignatureFacts {
  name: string;
  email: string | null;
  fingerprint: string;
  signingTime: string | null;
  notBefore: string;
  notAfter: string;
}

interface Attachments {
  manifest: EvidenceManifest;
  decisionLog: Buffer;
  population: Buffer;
  infoLogHead: string | null;
}

/** Verifies `bytes` as a Steward evidence PDF. `trust`: SHA-256 fingerprints in any usual notation. */
export async function verifyEvidencePdf(
  bytes: Buffer,
  options: { trust: string[] },
): Promise<EvidenceVerification> {
  const checks: EvidenceCheck[] = [];
  const record = (id: EvidenceCheckId, status: EvidenceCheck['status'], message: string) =>
    checks.push({ id, name: CHECK_NAMES[id], status, ok: status !== 'failed', message });
  /** Runs one check: its message on success, the CheckFailure's (or a generic one) on failure. */
  const run = async <T>(
    id: EvidenceCheckId,
    work: () => { value: T; message: string } | Promise<{ value: T; message: string }>,
  ): Promise<T | null> => {
    try {
      const { value, message } = await work();
      record(id, 'passed', message);
      return value;
    } catch (error) {
      record(id, 'failed', failureMessage(id, error));
      return null;
    }
  };

  // 1. structure
  const signed = await run('structure', () => {
    const value = findSignedRange(bytes);
    return { value, message: 'One signature covers the whole file except its own contents.' };
  });

  // 2. signature
  let facts: SignatureFacts | null = null;
  if (signed) {
    facts = await run('signature', () => {
      const value = verifyCms(bytes, signed);
      return {
        value,
        message:
          `The CMS signature of ${value.name}${value.email ? ` <${value.email}>` : ''} verifies over the ` +
          `signed bytes; certificate fingerprint ${value.fingerprint}` +
          (value.signingTime ? `, signed at ${value.signingTime} (signer's clock).` : '.'),
      };
    });
  } else {
    record('signature', 'not-checked', 'Not checked: the signed range could not be located.');
  }

  // 3. trust
  const trusted = checkTrust(options.trust, facts, record);

  // 4. attachments
  const attachments = await run('attachments', async () => {
    const value = await readAttachments(bytes);
    return {
      value,
      message:
        `${MANIFEST_ATTACHMENT}, ${DECISION_LOG_ATTACHMENT} and ${POPULATION_ATTACHMENT} are embedded; ` +
        'the log and the population match the hashes in the manifest.',
    };
  });

  // 5. decision log
  let log: DecisionRecord[] | null = null;
  if (attachments) {
    log = await run('decision-log', () => {
      const value = verifyLog(attachments);
      const { seq, hash } = attachments.manifest.logHead;
      return {
        value,
        message: `${value.length} records chain from genesis to the printed head ${seq} (${hash.slice(0, 16)}…).`,
      };
    });
  } else {
    record('decision-log', 'not-checked', 'Not checked: the embedded files could not be read.');
  }

  // 6. counts
  if (attachments && log) {
    const records = log;
    await run('counts', () => ({ value: null, message: reconcileCounts(attachments, records) }));
  } else {
    record('counts', 'not-checked', 'Not checked: the embedded files or the decision log did not hold.');
  }

  const failed = checks.find((check) => check.status === 'failed') ?? null;
  const manifest = attachments?.manifest ?? null;
  return {
    ok: failed === null,
    failedCheck: failed?.id ?? null,
    verdict: failed
      ? `Not verified: ${failed.name.toLowerCase()} check failed: ${failed.message}`
      : `Verified: signed by ${facts?.name ?? 'unknown'} (${
          trusted === null ? 'trust not checked: pass --trust FINGERPRINT' : 'trusted fingerprint'
        }); decision log of ${log?.length ?? 0} records, head ${manifest?.logHead.seq ?? 0}.`,
    checks,
    signer: facts ? { ...facts, trusted } : null,
    campaign: manifest
      ? { id: manifest.campaign.id, name: manifest.campaign.name, state: manifest.campaign.state }
      : null,
    logHead: manifest?.logHead ?? null,
    counts: manifest?.counts ?? null,
  };
}

function failureMessage(id: EvidenceCheckId, error: unknown): string {
  if (error instanceof CheckFailure) return error.message;
  if (error instanceof DerError) return `The signature is not a readable CMS structure (${error.message}).`;
  const detail = error instanceof Error ? error.message : String(error);
  switch (id) {
    case 'attachments':
      return `The PDF's embedded files could not be read (${detail}).`;
    case 'decision-log':
      return `The embedded decision log could not be checked (${detail}).`;
    default:
      return `The ${CHECK_NAMES[id].toLowerCase()} could not be checked (${detail}).`;
  }
}

function checkTrust(
  trust: string[],
  facts: SignatureFacts | null,
  record: (id: EvidenceCheckId, status: EvidenceCheck['status'], message: string) => void,
): boolean | null {
  if (trust.length === 0) {
    record(
      'trust',
      'not-checked',
      'Not checked: pass --trust FINGERPRINT with the fingerprint your organisation published.',
    );
    return null;
  }
  const wanted = trust.map((given) => ({ given, fingerprint: normalizeFingerprint(given) }));
  const malformed = wanted.find((w) => w.fingerprint === null);
  if (malformed) {
    record(
      'trust',
      'failed',
      `"${malformed.given}" is not a SHA-256 fingerprint (64 hex digits, colons optional).`,
    );
    return false;
  }
  if (!facts) {
    record('trust', 'failed', 'The signer cannot be trusted: the signature did not verify.');
    return false;
  }
  const trusted = wanted.some((w) => w.fingerprint === facts.fingerprint);
  record(
    'trust',
    trusted ? 'passed' : 'failed',
    trusted
      ? `The signer's fingerprint ${facts.fingerprint} is among the trusted ones.`
      : `The signer's certificate ${facts.fingerprint} (${facts.name}) is not among the trusted fingerprints: ` +
          'the pack was signed by someone else.',
  );
  return trusted;
}

// ---- 1. structure ----

function findSignedRange(bytes: Buffer): SignedRange {
  const text = bytes.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  // Only complete byte ranges count: the words "/ByteRange" may appear in uncompressed text, and
  // pdfkit's unsigned placeholder has asterisks instead of numbers.
  if (matches.length === 0) {
    throw new CheckFailure(
      /\/ByteRange\s*\[\s*0\s+\/\*+/.test(text)
        ? 'The PDF has a signature placeholder but was never signed.'
        : 'The PDF has no signature (no /ByteRange): it was never signed.',
    );
  }
  if (matches.length > 1) {
    throw new CheckFailure(
      `The PDF has ${matches.length} signature byte ranges; a Steward evidence pack has exactly one. ` +
        'It was signed again or changed after signing.',
    );
  }
  const ranges = matches[0]!.slice(1, 5).map(Number) as [number, number, number, number];
  const [start, holeStart, holeEnd, tailLength] = ranges;
  if (start !== 0 || holeStart <= 0 || holeEnd <= holeStart || tailLength < 0) {
    throw new CheckFailure(
      `The signature's byte range [${ranges.join(' ')}] does not start at the beginning of the file.`,
    );
  }
  if (holeEnd + tailLength !== bytes.length) {
    throw new CheckFailure(
      holeEnd + tailLength < bytes.length
        ? `The file was changed after signing: ${bytes.length - holeEnd - tailLength} bytes follow the signed range.`
        : 'The signature byte range reaches past the end of the file: the file was cut short after signing.',
    );
  }
  if (bytes[holeStart] !== 0x3c || bytes[holeEnd - 1] !== 0x3e) {
    throw new CheckFailure('The part of the file left out of the signature is not the signature contents.');
  }
  const hex = bytes.subarray(holeStart + 1, holeEnd - 1).toString('latin1');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) {
    throw new CheckFailure(
      'The signature contents are not hex digits: something other than the signature is unsigned.',
    );
  }
  // The Contents hole must be the /Contents of the same signature dictionary (right after /ByteRange).
  const contentsKey = text.lastIndexOf('/Contents', holeStart);
  if (contentsKey < 0 || text.slice(contentsKey + '/Contents'.length, holeStart).trim() !== '') {
    throw new CheckFailure('The unsigned part of the file is not the /Contents of the signature.');
  }
  const cms = Buffer.from(hex, 'hex');
  if (cms.length === 0 || cms.every((b) => b === 0)) {
    throw new CheckFailure(
      'The signature contents are empty: the PDF has a placeholder but was never signed.',
    );
  }
  return { ranges, cms };
}

// ---- 2. signature ----

function signedBytes(bytes: Buffer, { ranges }: SignedRange): Buffer[] {
  return [bytes.subarray(0, ranges[1]), bytes.subarray(ranges[2], ranges[2] + ranges[3])];
}

function verifyCms(bytes: Buffer, signed: SignedRange): SignatureFacts {
  const contentInfo = expectTag(readElement(signed.cms), TAG.SEQUENCE, 'ContentInfo');
  const [contentType, wrapped] = children(contentInfo);
  if (!contentType || oid(contentType) !== OID.signedData) {
    throw new CheckFailure('The signature contents are not a CMS SignedData.');
  }
  const signedData = expectTag(
    children(expectTag(wrapped, TAG.CONTEXT_0, 'SignedData'))[0],
    TAG.SEQUENCE,
    'SignedData',
  );
  const parts = children(signedData);
  const certificatesElement = parts.find((p) => p.tag === TAG.CONTEXT_0);
  const signerInfos = expectTag(parts[parts.length - 1], TAG.SET, 'signerInfos');
  const infos = children(signerInfos);
  if (infos.length !== 1)
    throw new CheckFailure(`The CMS signature has ${infos.length} signers; expected one.`);
  const certificates = certificatesElement
    ? children(certificatesElement).filter((c) => c.tag === TAG.SEQUENCE)
    : [];

  const info = children(expectTag(infos[0], TAG.SEQUENCE, 'SignerInfo'));
  const sid = info[1];
  const digestAlgorithm = oid(
    expectTag(children(expectTag(info[2], TAG.SEQUENCE, 'digestAlgorithm'))[0], TAG.OID, 'digest algorithm'),
  );
  const signedAttrs = info[3];
  if (!signedAttrs || signedAttrs.tag !== TAG.CONTEXT_0) {
    throw new CheckFailure(
      'The CMS signature has no signed attributes; Steward signatures always have them.',
    );
  }
  const signatureAlgorithm = oid(children(expectTag(info[4], TAG.SEQUENCE, 'signatureAlgorithm'))[0]!);
  const signatureValue = content(expectTag(info[5], TAG.OCTET_STRING, 'signature value'));

  const digest = DIGESTS[digestAlgorithm];
  if (!digest) {
    throw new CheckFailure(
      `The signature uses digest ${digestAlgorithm}; only SHA-256, SHA-384 and SHA-512 are accepted.`,
    );
  }
  if (!SIGNATURE_ALGORITHMS.has(signatureAlgorithm)) {
    throw new CheckFailure(
      `The signature algorithm ${signatureAlgorithm} is not supported (RSA PKCS#1 v1.5 or ECDSA).`,
    );
  }

  const certificate = findSignerCertificate(certificates, sid);
  const x509 = new X509Certificate(raw(certificate));

  // Signed attributes: content-type data, message-digest = digest of the signed ranges, signing-time.
  const attributes = new Map<string, DerElement[]>();
  for (const attribute of children(signedAttrs)) {
    const [type, values] = children(expectTag(attribute, TAG.SEQUENCE, 'attribute'));
    const key = oid(type!);
    if (attributes.has(key)) throw new CheckFailure(`The signed attribute ${key} appears twice.`);
    attributes.set(key, children(expectTag(values, TAG.SET, 'attribute values')));
  }
  const attributeContentType = attributes.get(OID.contentType)?.[0];
  if (!attributeContentType || oid(attributeContentType) !== OID.data) {
    throw new CheckFailure('The signature does not declare that it signs data (content-type attribute).');
  }
  const messageDigest = attributes.get(OID.messageDigest)?.[0];
  if (!messageDigest || messageDigest.tag !== TAG.OCTET_STRING) {
    throw new CheckFailure('The signature has no message-digest attribute.');
  }
  const hash = createHash(digest);
  for (const part of signedBytes(bytes, signed)) hash.update(part);
  if (!hash.digest().equals(content(messageDigest))) {
    throw new CheckFailure(
      'The document was changed after it was signed: the digest of the signed bytes differs from the one the signature states.',
    );
  }
  // RFC 5652 5.4: the signature covers the DER of the attributes with a SET OF tag, not the [0] tag.
  const attributesDer = Buffer.from(raw(signedAttrs));
  attributesDer[0] = TAG.SET;
  const holds = verifySignature(digest, attributesDer, x509.publicKey, signatureValue);
  if (!holds) {
    throw new CheckFailure(
      "The signature value does not verify with the certificate's public key: the signature was altered or forged.",
    );
  }

  const signingTimeElement = attributes.get(OID.signingTime)?.[0];
  const signingTime = signingTimeElement ? time(signingTimeElement) : null;
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  if (signingTime && (signingTime < notBefore || signingTime > notAfter)) {
    throw new CheckFailure(
      `The stated signing time ${signingTime.toISOString()} is outside the certificate's validity ` +
        `(${notBefore.toISOString()} to ${notAfter.toISOString()}).`,
    );
  }
  const subject = parseSubject(x509.subject);
  return {
    name: subject.get('CN') ?? x509.subject.replace(/\n/g, ', '),
    email: subject.get('emailAddress') ?? /email:([^,\s]+)/.exec(x509.subjectAltName ?? '')?.[1] ?? null,
    fingerprint: x509.fingerprint256.toUpperCase(),
    signingTime: signingTime?.toISOString() ?? null,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  };
}

/** The certificate the SignerInfo's sid names (issuer and serial number, or subject key identifier). */
function findSignerCertificate(certificates: DerElement[], sid: DerElement | undefined): DerElement {
  if (!sid) throw new CheckFailure('The CMS signer does not say which certificate signed.');
  for (const certificate of certificates) {
    const tbs = children(expectTag(children(certificate)[0], TAG.SEQUENCE, 'tbsCertificate'));
    const offset = tbs[0]?.tag === TAG.CONTEXT_0 ? 1 : 0;
    const serial = tbs[offset];
    const issuer = tbs[offset + 2];
    if (!serial || !issuer) continue;
    if (sid.tag === TAG.SEQUENCE) {
      const [sidIssuer, sidSerial] = children(sid);
      if (
        sidIssuer &&
        sidSerial &&
        raw(sidIssuer).equals(raw(issuer)) &&
        raw(sidSerial).equals(raw(serial))
      ) {
        return certificate;
      }
    } else if (sid.tag === TAG.CONTEXT_0_PRIMITIVE) {
      throw new CheckFailure(
        'The CMS signer names its certificate by key identifier; Steward signatures name it by issuer and serial.',
      );
    }
  }
  throw new CheckFailure('The certificate that made the signature is not embedded in it.');
}

function parseSubject(subject: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of subject.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !fields.has(line.slice(0, at))) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

// ---- 4. attachments ----

async function readAttachments(bytes: Buffer): Promise<Attachments> {
  let pdf: PDFDocument;
  try {
    // Read-only: nothing is written back, so leave the metadata as it is.
    pdf = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch (error) {
    throw new CheckFailure(
      `The PDF could not be parsed (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const files = embeddedFiles(pdf);
  const one = (name: string): Buffer => {
    const found = files.filter((f) => f.name === name);
    if (found.length === 0)
      throw new CheckFailure(`The PDF has no embedded ${name}: it is not a Steward evidence pack.`);
    if (found.length > 1)
      throw new CheckFailure(`The PDF embeds ${name} ${found.length} times; a pack embeds it once.`);
    return found[0]!.read();
  };
  const manifestBytes = one(MANIFEST_ATTACHMENT);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw new CheckFailure(`The embedded ${MANIFEST_ATTACHMENT} is not valid JSON.`);
  }
  const parsed = evidenceManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckFailure(
      `The embedded ${MANIFEST_ATTACHMENT} does not match the evidence format` +
        (issue ? ` (${issue.path.join('.') || 'root'}: ${issue.message}).` : '.'),
    );
  }
  const manifest = parsed.data;
  const decisionLog = one(DECISION_LOG_ATTACHMENT);
  const population = one(POPULATION_ATTACHMENT);
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  if (sha256(decisionLog) !== manifest.attachments.decisionLog) {
    throw new CheckFailure(
      `The embedded ${DECISION_LOG_ATTACHMENT} is not the one the manifest describes (SHA-256 differs).`,
    );
  }
  if (sha256(population) !== manifest.attachments.population) {
    throw new CheckFailure(
      `The embedded ${POPULATION_ATTACHMENT} is not the one the manifest describes (SHA-256 differs).`,
    );
  }
  return { manifest, decisionLog, population, infoLogHead: infoLogHead(pdf) };
}

interface EmbeddedFile {
  name: string;
  read(): Buffer;
}

function embeddedFiles(pdf: PDFDocument): EmbeddedFile[] {
  const names = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  if (!tree) throw new CheckFailure('The PDF has no embedded files: it is not a Steward evidence pack.');
  const files: EmbeddedFile[] = [];
  const seen = new Set<PDFDict>();
  const walk = (node: PDFDict, depth: number): void => {
    if (depth > 32 || seen.has(node))
      throw new CheckFailure('The PDF embedded-files tree is malformed (a loop or too deep).');
    seen.add(node);
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i += 1) walk(kids.lookup(i, PDFDict), depth + 1);
    const pairs = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (!pairs) return;
    for (let i = 0; i + 1 < pairs.size(); i += 2) {
      const key = pairs.lookup(i);
      const spec = pairs.lookup(i + 1);
      if (!(spec instanceof PDFDict)) continue;
      files.push({ name: textOf(key) ?? fileSpecName(spec) ?? '', read: () => fileSpecBytes(spec) });
    }
  };
  walk(tree, 0);
  return files;
}

function textOf(value: PDFObject | undefined): string | null {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return null;
}

function fileSpecName(spec: PDFDict): string | null {
  return textOf(spec.lookup(PDFName.of('UF'))) ?? textOf(spec.lookup(PDFName.of('F')));
}

function fileSpecBytes(spec: PDFDict): Buffer {
  const ef = spec.lookupMaybe(PDFName.of('EF'), PDFDict);
  const stream = ef?.lookup(PDFName.of('F'));
  if (!(stream instanceof PDFRawStream)) throw new CheckFailure('An embedded file has no data stream.');
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filters = filter === undefined ? [] : filter instanceof PDFArray ? filter.asArray() : [filter];
  const contents = Buffer.from(stream.contents);
  if (filters.length === 0) return contents;
  if (filters.length === 1 && filters[0] instanceof PDFName && filters[0].asString() === '/FlateDecode') {
    try {
      return inflateSync(contents, { maxOutputLength: MAX_ATTACHMENT_BYTES });
    } catch (error) {
      throw new CheckFailure(
        error instanceof RangeError
          ? `An embedded file inflates to more than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB; it is refused.`
          : 'An embedded file is not valid FlateDecode data.',
      );
    }
  }
  throw new CheckFailure('An embedded file uses a compression other than FlateDecode.');
}

function infoLogHead(pdf: PDFDocument): string | null {
  const infoRef = pdf.context.trailerInfo.Info;
  const info =
    infoRef instanceof PDFRef
      ? pdf.context.lookupMaybe(infoRef, PDFDict)
      : infoRef instanceof PDFDict
        ? infoRef
        : undefined;
  return info ? textOf(info.lookup(PDFName.of('StewardLogHead'))) : null;
}

// ---- 5. decision log ----

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
const recordSchema = z
  .object({
    seq: z.number().int().positive(),
    ts: z.string(),
    actor: z.string(),
    action: z.string(),
    payload: z.record(z.string(), z.unknown()),
    prevHash: sha256HexSchema,
    hash: sha256HexSchema,
  })
  .strict();

function verifyLog({ manifest, decisionLog, infoLogHead: printed }: Attachments): DecisionRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(decisionLog.toString('utf8'));
  } catch {
    throw new CheckFailure(`The embedded ${DECISION_LOG_ATTACHMENT} is not valid JSON.`);
  }
  if (!Array.isArray(json))
    throw new CheckFailure(`The embedded ${DECISION_LOG_ATTACHMENT} is not a list of records.`);
  const records: DecisionRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (const [index, item] of json.entries()) {
    const parsed = recordSchema.safeParse(item);
    const at = `Record ${index + 1} of the embedded log`;
    if (!parsed.success)
      throw new CheckFailure(
        `${at} is not a decision record (${parsed.error.issues[0]?.message ?? 'bad shape'}).`,
      );
    const record = parsed.data as DecisionRecord;
    if (record.seq !== index + 1) {
      throw new CheckFailure(`${at} has seq ${record.seq}: the log skips or reorders records.`);
    }
    if (record.prevHash !== prevHash) {
      throw new CheckFailure(
        `Record ${record.seq} does not follow the record before it: a record was removed, inserted or moved.`,
      );
    }
    let recomputed: string | null;
    try {
      recomputed = recordHash(record);
    } catch {
      recomputed = null;
    }
    if (recomputed !== record.hash) {
      throw new CheckFailure(
        `Record ${record.seq} was changed after it was written: its content no longer matches its hash.`,
      );
    }
    prevHash = record.hash;
    records.push(record);
  }
  const head =
    records.length > 0
      ? { seq: records[records.length - 1]!.seq, hash: prevHash }
      : { seq: 0, hash: GENESIS_HASH };
  if (head.seq !== manifest.logHead.seq || head.hash !== manifest.logHead.hash) {
    throw new CheckFailure(
      `The embedded log ends at record ${head.seq} (${head.hash.slice(0, 16)}…) but the printed head is record ` +
        `${manifest.logHead.seq} (${manifest.logHead.hash.slice(0, 16)}…): the log is not the one the pack states.`,
    );
  }
  if (printed !== null && printed !== `${manifest.logHead.seq}:${manifest.logHead.hash}`) {
    throw new CheckFailure(`The document's StewardLogHead (${printed}) differs from the manifest's head.`);
  }
  return records;
}

// ---- 6. counts ----

function reconcileCounts({ manifest, population }: Attachments, log: DecisionRecord[]): string {
  const c = manifest.counts;
  const fail = (message: string): never => {
    throw new CheckFailure(message);
  };
  if (c.inScope !== c.decided + c.exceptions + c.pending) {
    fail(
      `The counts do not add up: ${c.inScope} in scope, but ${c.decided} decided + ${c.exceptions} exceptions + ${c.pending} pending = ${c.decided + c.exceptions + c.pending}.`,
    );
  }
  if (c.decided !== c.certify + c.revoke + c.reassign) {
    fail(
      `The counts do not add up: ${c.decided} decided, but ${c.certify} certify + ${c.revoke} revoke + ${c.reassign} reassign = ${c.certify + c.revoke + c.reassign}.`,
    );
  }
  if (manifest.campaign.state === 'closed' && c.pending !== 0) {
    fail(`The campaign is closed but ${c.pending} items are stated as pending.`);
  }

  const rows = csvRecords(population.toString('utf8'));
  const header = rows.shift();
  if (!header)
    fail(`The embedded ${POPULATION_ATTACHMENT} is empty; it should have a header and one row per item.`);
  if (rows.length !== c.inScope) {
    fail(
      `The embedded ${POPULATION_ATTACHMENT} has ${rows.length} item rows but the pack states ${c.inScope} in scope.`,
    );
  }

  // What the log says about this campaign, up to the head: each item's state after its last record.
  const campaignId = manifest.campaign.id;
  const mine = log.filter((r) => r.payload.campaignId === campaignId);
  const launch = mine.find((r) => r.action === 'campaign.launch');
  const states = itemStatesFromLog(mine);
  const closed = mine.find((r) => r.action === 'campaign.close');
  if (!launch) {
    if (c.inScope !== 0)
      fail(`The log has no launch of campaign ${campaignId}, yet ${c.inScope} items are stated in scope.`);
  } else if (launch.payload.items !== c.inScope) {
    fail(
      `The log launched campaign ${campaignId} with ${String(launch.payload.items)} items but the pack states ${c.inScope} in scope.`,
    );
  }
  const fromLog = { certify: 0, revoke: 0, reassign: 0, exception: 0 };
  for (const state of states.values()) if (state !== 'pending') fromLog[state] += 1;
  for (const kind of ['certify', 'revoke', 'reassign'] as const) {
    if (fromLog[kind] !== c[kind]) {
      fail(
        `The log records ${fromLog[kind]} items decided ${kind} in campaign ${campaignId}; the pack states ${c[kind]}.`,
      );
    }
  }
  if (fromLog.exception !== c.exceptions) {
    fail(
      `The log records ${fromLog.exception} exceptions in campaign ${campaignId}; the pack states ${c.exceptions}.`,
    );
  }
  reconcilePopulationRows(header!, rows, states);
  if (closed && manifest.campaign.state !== 'closed') {
    fail(`The log closed campaign ${campaignId} but the pack states it is ${manifest.campaign.state}.`);
  }
  if (closed && closed.payload.exceptions !== c.exceptions) {
    fail(
      `The log closed campaign ${campaignId} with ${String(closed.payload.exceptions)} exceptions; the pack states ${c.exceptions}.`,
    );
  }
  if (!closed && manifest.campaign.state === 'closed') {
    fail(`The pack states campaign ${campaignId} is closed but the log has no close record for it.`);
  }
  return (
    `${c.inScope} in scope = ${c.decided} decided + ${c.exceptions} exceptions + ${c.pending} pending; ` +
    `${POPULATION_ATTACHMENT} and the log agree.`
  );
}

type ItemState = 'certify' | 'revoke' | 'reassign' | 'exception' | 'pending';
const DECIDED = new Set<string>(['certify', 'revoke', 'reassign']);

/**
 * Each item's state after the campaign's log records, as review-decisions.ts, review-decision-batch.ts
 * and campaigns.ts write them: `decision.<kind>` sets it, `decision.undone` restores the state it
 * names (`restored.decision`, null for undecided), `item.exception` carries it as an exception.
 */
function itemStatesFromLog(records: DecisionRecord[]): Map<number, ItemState> {
  const states = new Map<number, ItemState>();
  for (const r of records) {
    const itemId = r.payload.itemId;
    if (typeof itemId !== 'number') continue;
    if (r.action === 'item.exception') {
      states.set(itemId, 'exception');
    } else if (r.action === 'decision.undone') {
      const restored = r.payload.restored;
      const decision =
        restored !== null && typeof restored === 'object' && !Array.isArray(restored)
          ? restored.decision
          : null;
      states.set(
        itemId,
        typeof decision === 'string' && DECIDED.has(decision) ? (decision as ItemState) : 'pending',
      );
    } else if (r.action.startsWith('decision.')) {
      const decision = r.payload.decision;
      if (typeof decision === 'string' && DECIDED.has(decision)) states.set(itemId, decision as ItemState);
    }
  }
  return states;
}

/**
 * When population.csv has `item_id` and `decision` columns (the pack writer's layout), every row's
 * decision must be the item's state in the log, and every item the log decided must have a row.
 */
function reconcilePopulationRows(header: string[], rows: string[][], states: Map<number, ItemState>): void {
  const idColumn = header.indexOf('item_id');
  const decisionColumn = header.indexOf('decision');
  if (idColumn < 0 || decisionColumn < 0) return;
  const seen = new Set<number>();
  for (const [index, row] of rows.entries()) {
    const idText = row[idColumn] ?? '';
    const itemId = /^\d+$/.test(idText) ? Number(idText) : NaN;
    if (!Number.isSafeInteger(itemId)) {
      throw new CheckFailure(
        `Row ${index + 1} of ${POPULATION_ATTACHMENT} has no item id ("${idText.slice(0, 40)}").`,
      );
    }
    if (seen.has(itemId)) throw new CheckFailure(`Item ${itemId} appears twice in ${POPULATION_ATTACHMENT}.`);
    seen.add(itemId);
    const stated = row[decisionColumn] || 'pending';
    const logged = states.get(itemId) ?? 'pending';
    if (stated !== logged) {
      throw new CheckFailure(
        `Item ${itemId} is "${stated}" in ${POPULATION_ATTACHMENT} but "${logged}" in the decision log.`,
      );
    }
  }
  const missing = [...states.keys()].find((itemId) => !seen.has(itemId));
  if (missing !== undefined) {
    throw new CheckFailure(
      `The decision log decides item ${missing}, which is not in ${POPULATION_ATTACHMENT}.`,
    );
  }
}

/** Records of RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks); a final newline ends no record. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
