import { X509Certificate } from 'node:crypto';
import type { Db } from '../db/open-database';

/**
 * The vault's signing certificate for evidence packs: generated here (self-signed) or imported from the
 * organisation's PKI as PKCS#12 (signer-material.ts makes or reads the certificate and key; this
 * module stores and reads them, and loads no certificate library).
 *
 * Only RSA keys are accepted: the CMS signer (forge's PKCS#7) signs with RSASSA-PKCS1-v1_5 only.
 */

export type SignerOrigin = 'generated' | 'imported';

/** What the vault shows about a signer; never the key. */
export interface SignerSummary {
  name: string;
  email: string | null;
  /** SHA-256 of the DER certificate, uppercase hex pairs joined by colons (`AB:CD:...`). */
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  origin: SignerOrigin;
  createdAt: string;
}

/** The active signer with its key, for signing only. */
export interface SignerMaterial extends SignerSummary {
  certificatePem: string;
  /** Issuer certificates imported with the PKCS#12, leaf's issuer first. */
  chainPem: string[];
  /** PKCS#8 PEM, unencrypted: it exists only inside the encrypted vault and in memory while signing. */
  privateKeyPem: string;
}

/** Years a generated certificate is valid. */
export const GENERATED_VALIDITY_YEARS = 5;
/** RSA modulus of a generated key: 3072 bits stays acceptable past 2030, when the certificate still lives. */
export const GENERATED_KEY_BITS = 3072;

/** `AB:CD:...` from the DER bytes of a certificate. */
export function fingerprintOfCertificate(pem: string): string {
  return new X509Certificate(pem).fingerprint256.toUpperCase();
}

/**
 * A fingerprint as given by a person: uppercase or lowercase hex, with or without colons (or spaces),
 * optionally prefixed `sha256:`. Returns the canonical `AB:CD:...` form, or null when it is not a
 * SHA-256 fingerprint.
 */
export function normalizeFingerprint(input: string): string | null {
  const hex = input
    .trim()
    .replace(/^sha-?256[:=]?/i, '')
    .replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return (hex.toUpperCase().match(/../g) as string[]).join(':');
}

const SIGNER_COLUMNS = `name, email, fingerprint, not_before AS notBefore, not_after AS notAfter, origin,
  created_at AS createdAt`;

/** The active signer, or null when none was created or imported. */
export function activeSigner(db: Db): SignerSummary | null {
  const row = db.prepare(`SELECT ${SIGNER_COLUMNS} FROM evidence_signers WHERE active = 1`).get() as
    SignerSummary | undefined;
  return row ?? null;
}

/** Every signer the vault has had, newest first (the active one and the replaced ones). */
export function signerHistory(db: Db): (SignerSummary & { active: boolean; retiredAt: string | null })[] {
  const rows = db
    .prepare(
      `SELECT ${SIGNER_COLUMNS}, active, retired_at AS retiredAt FROM evidence_signers ORDER BY id DESC`,
    )
    .all() as (SignerSummary & { active: number; retiredAt: string | null })[];
  return rows.map((row) => ({ ...row, active: row.active === 1 }));
}

/** The active signer with its key, or null. */
export function activeSignerMaterial(db: Db): SignerMaterial | null {
  const row = db
    .prepare(
      `SELECT ${SIGNER_COLUMNS}, certificate_pem AS certificatePem, chain_pem AS chainPem,
         private_key_pem AS privateKeyPem
       FROM evidence_signers WHERE active = 1`,
    )
    .get() as (Omit<SignerMaterial, 'chainPem'> & { chainPem: string }) | undefined;
  if (!row) return null;
  return { ...row, chainPem: JSON.parse(row.chainPem) as string[] };
}

export interface NewSigner {
  name: string;
  email: string | null;
  certificatePem: string;
  chainPem: string[];
  privateKeyPem: string;
  origin: SignerOrigin;
  now: Date;
}

/** Retires the active signer (its key is erased, its certificate kept) and makes the new one active. */
export function storeSigner(db: Db, signer: NewSigner): SignerSummary {
  const x509 = new X509Certificate(signer.certificatePem);
  const summary: SignerSummary = {
    name: signer.name,
    email: signer.email,
    fingerprint: fingerprintOfCertificate(signer.certificatePem),
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    origin: signer.origin,
    createdAt: signer.now.toISOString(),
  };
  db.transaction(() => {
    db.prepare(
      `UPDATE evidence_signers SET active = 0, retired_at = ?, private_key_pem = NULL WHERE active = 1`,
    ).run(summary.createdAt);
    db.prepare(
      `INSERT INTO evidence_signers (name, email, fingerprint, certificate_pem, chain_pem, private_key_pem,
         not_before, not_after, origin, created_at, active)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    ).run(
      summary.name,
      summary.email,
      summary.fingerprint,
      signer.certificatePem,
      JSON.stringify(signer.chainPem),
      signer.privateKeyPem,
      summary.notBefore,
      summary.notAfter,
      summary.origin,
      summary.createdAt,
    );
  })();
  return summary;
}
