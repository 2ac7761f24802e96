import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { AppError } from '../../../shared/api/errors';
import type { Db } from '../db/open-database';
import { activeSignerMaterial } from './signer-store';

/**
 * Signing evidence PDFs: pdfkit writes the document with a signature placeholder, then @signpdf fills
 * the placeholder with a CMS signature over the whole file except the placeholder itself.
 *
 * What the signature is, exactly: a detached CMS SignedData (RFC 5652), SubFilter
 * `adbe.pkcs7.detached`, SHA-256 with RSASSA-PKCS1-v1_5, carrying the signer's certificate (and the
 * issuer certificates imported with it) and three signed attributes: content-type, signing-time (the
 * computer's clock when signing) and message-digest. It has no ESS signing-certificate-v2 attribute
 * and no RFC 3161 timestamp, so it is not a PAdES baseline (B-B / B-T) signature and its signing time
 * is the signer's claim, not a third party's. It proves that the PDF was not changed since it was
 * signed with the key of the certificate whose SHA-256 fingerprint the verifier reports; auditors
 * trust that certificate by comparing the fingerprint with the one the organisation published.
 */

/** PDF version of documents to be signed (pdfkit defaults to 1.3); pass as `new PDFDocument({ pdfVersion })`. */
export const SIGNED_PDF_VERSION = '1.7';
/** SubFilter of the signature dictionary. */
export const SIGNATURE_SUBFILTER = SUBFILTER_ADOBE_PKCS7_DETACHED;
/**
 * Bytes reserved for the CMS signature (written as twice as many hex digits). A 3072-bit RSA
 * signature with its certificate takes about 2 KB; the rest leaves room for an imported PKI chain.
 */
export const SIGNATURE_RESERVED_BYTES = 16_384;

/** A pdfkit `PDFDocument` (pdfkit ships no TypeScript types, so it is taken as an object). */
export type PdfKitDocument = object;

export interface SignatureAppearance {
  /** Printed in the signature dictionary's /Name. */
  signerName: string;
  /** Why the document is signed, e.g. "Evidence of the Q3 2026 access review". */
  reason: string;
  location?: string;
  contactInfo?: string;
}

/**
 * Adds the signature placeholder (an invisible signature field on the current page) to a pdfkit
 * document created with `pdfVersion: SIGNED_PDF_VERSION`; call once, just before `doc.end()`.
 */
export function addSignaturePlaceholder(doc: PdfKitDocument, appearance: SignatureAppearance): void {
  pdfkitAddPlaceholder({
    pdf: doc,
    pdfBuffer: Buffer.alloc(0),
    reason: appearance.reason,
    contactInfo: appearance.contactInfo ?? '',
    name: appearance.signerName,
    location: appearance.location ?? '',
    signatureLength: SIGNATURE_RESERVED_BYTES,
    subFilter: SIGNATURE_SUBFILTER,
    appName: 'Steward',
  });
}

/** The active signer as the PDF signer needs it. */
export interface LoadedSigner {
  certificatePem: string;
  /** Issuer certificates to embed after the signer's own (empty for a generated certificate). */
  chainPem: string[];
  /** PKCS#8 PEM, from the encrypted vault. Keep it in memory only. */
  privateKeyPem: string;
  /** `AB:CD:...`, SHA-256 of the DER certificate. */
  fingerprint: string;
  name: string;
  email: string | null;
}

/** The vault's active signer, or AppError('NOT_AVAILABLE', ...) when none was created or imported. */
export function loadActiveSigner(db: Db): LoadedSigner {
  const material = activeSignerMaterial(db);
  if (!material) {
    throw new AppError(
      'NOT_AVAILABLE',
      'Create or import a signing certificate first: `steward signer create --name NAME --email EMAIL`, or ' +
        '`steward signer import FILE.p12` (the Evidence page in the app).',
    );
  }
  return {
    certificatePem: material.certificatePem,
    chainPem: material.chainPem,
    privateKeyPem: material.privateKeyPem,
    fingerprint: material.fingerprint,
    name: material.name,
    email: material.email,
  };
}

/** An @signpdf signer that signs with a key and certificate from the vault (no PKCS#12 round trip). */
class VaultKeySigner extends Signer {
  constructor(private readonly signer: LoadedSigner) {
    super();
  }

  override async sign(signedBytes: Buffer, signingTime?: Date): Promise<Buffer> {
    const key = forge.pki.privateKeyFromPem(this.signer.privateKeyPem);
    const certificate = forge.pki.certificateFromPem(this.signer.certificatePem);
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(signedBytes.toString('binary'));
    p7.addCertificate(certificate);
    for (const pem of this.signer.chainPem) p7.addCertificate(forge.pki.certificateFromPem(pem));
    p7.addSigner({
      key,
      certificate,
      digestAlgorithm: forge.pki.oids.sha256 as string,
      // This order (content-type, signing-time, message-digest) is the one @signpdf's P12 signer uses.
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType as string, value: forge.pki.oids.data as string },
        { type: forge.pki.oids.signingTime as string, value: signingTime ?? new Date() },
        { type: forge.pki.oids.messageDigest as string },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

/**
 * Signs PDF bytes produced by pdfkit with the placeholder and returns the signed PDF. The signing time
 * is now. A certificate outside its validity period is refused: the signature would not verify.
 */
export async function signPdf(pdf: Buffer, signer: LoadedSigner): Promise<Buffer> {
  const now = new Date();
  const certificate = forge.pki.certificateFromPem(signer.certificatePem);
  if (certificate.validity.notAfter.getTime() <= now.getTime()) {
    throw new AppError(
      'NOT_AVAILABLE',
      `The signing certificate expired on ${certificate.validity.notAfter.toISOString()}. Create or import ` +
        'a new one (`steward signer create` or `steward signer import`).',
    );
  }
  try {
    // The class, not the package's default instance: a CommonJS bundle (the CLI, the app) reads the
    // default export as the whole module, whose `sign` is undefined.
    return await new SignPdf().sign(pdf, new VaultKeySigner(signer), now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'INTERNAL',
      `The PDF could not be signed (${message}). It must come from pdfkit with addSignaturePlaceholder().`,
    );
  }
}
