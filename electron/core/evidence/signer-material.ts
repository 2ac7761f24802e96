import { createPublicKey, generateKeyPair, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../../shared/api/errors';
import type { Db } from '../db/open-database';
import {
  GENERATED_KEY_BITS,
  GENERATED_VALIDITY_YEARS,
  storeSigner,
  type SignerSummary,
} from './signer-store';

/**
 * Making and reading signing certificates, with node-forge (the library @signpdf's own P12 signer is
 * built on) for X.509 and PKCS#12, and node:crypto for key generation. Apart from signer-store.ts so
 * forge loads only when a certificate is made or imported.
 *
 * Only RSA keys are accepted: the CMS signer (forge's PKCS#7) signs with RSASSA-PKCS1-v1_5 only.
 */

/** id-kp-documentSigning (RFC 9336). */
const DOCUMENT_SIGNING_OID = '1.3.6.1.5.5.7.3.36';

/**
 * Makes a new RSA key and a self-signed certificate for it (CN = name, emailAddress = email, key usage
 * digitalSignature + nonRepudiation, extended key usage emailProtection + documentSigning) and makes it
 * the active signer. Auditors trust it by its fingerprint, published out of band.
 */
export async function generateSigner(
  db: Db,
  input: { name: string; email: string },
  now = new Date(),
): Promise<SignerSummary> {
  const name = input.name.trim();
  const email = input.email.trim();
  if (!name) throw new AppError('INVALID_INPUT', 'Give the signer a name: it is printed as the signatory.');
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new AppError('INVALID_INPUT', `"${email}" is not an email address. Give the signer's email.`);
  }
  const privateKey = await newRsaKey(GENERATED_KEY_BITS);
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // A positive serial of 128 random bits (RFC 5280: at most 20 octets, non-negative).
  certificate.serialNumber = '01' + randomBytes(16).toString('hex');
  // Backdated a minute so a verifier whose clock is slightly behind does not see "not yet valid".
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + GENERATED_VALIDITY_YEARS);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  const subject = [
    { name: 'commonName', value: name },
    { name: 'emailAddress', value: email },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'extKeyUsage', emailProtection: true, [DOCUMENT_SIGNING_OID]: true },
    { name: 'subjectAltName', altNames: [{ type: 1, value: email }] },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);

  return storeSigner(db, {
    name,
    email,
    certificatePem,
    chainPem: [],
    privateKeyPem,
    origin: 'generated',
    now,
  });
}

/** A new RSA key, generated off the main thread (3072 bits take seconds on a slow machine). */
function newRsaKey(bits: number): Promise<KeyObject> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: bits }, (error, _publicKey, privateKey) =>
      error ? reject(error) : resolve(privateKey),
    ),
  );
}

/**
 * Imports the organisation's certificate and RSA key from a PKCS#12 file and makes it the active signer.
 * Refuses, with a message saying what to do: a wrong password, a file that is not PKCS#12, one without
 * a private key or whose key is not RSA, a certificate that does not match the key, and a certificate
 * outside its validity period. The password is never part of any message.
 */
export function importSignerPkcs12(db: Db, p12: Buffer, password: string, now = new Date()): SignerSummary {
  const bags = readPkcs12(p12, password);
  const keyBag = bags.keys[0];
  if (!keyBag) {
    throw new AppError(
      'INVALID_INPUT',
      bags.unreadableKeys > 0
        ? 'The PKCS#12 file holds a private key that is not RSA (ECDSA, for example). Steward signs with ' +
            'RSA only: ask your PKI for an RSA signing certificate.'
        : 'The PKCS#12 file holds no private key, only certificates. Export the signing certificate ' +
            'together with its private key.',
    );
  }
  const key = keyBag;
  const leaf = bags.certificates.find(
    (cert) => cert.publicKey.n.compareTo(key.n) === 0 && cert.publicKey.e.compareTo(key.e) === 0,
  );
  if (!leaf) {
    throw new AppError(
      'INVALID_INPUT',
      'The PKCS#12 file holds a private key but no certificate for it. Export the signing certificate ' +
        'together with its private key.',
    );
  }
  const { notBefore, notAfter } = leaf.validity;
  if (notAfter.getTime() <= now.getTime()) {
    throw new AppError(
      'INVALID_INPUT',
      `The certificate in the PKCS#12 file expired on ${notAfter.toISOString()}. Import a current ` +
        'certificate from your PKI.',
    );
  }
  if (notBefore.getTime() > now.getTime()) {
    throw new AppError(
      'INVALID_INPUT',
      `The certificate in the PKCS#12 file is not valid before ${notBefore.toISOString()}. Check the ` +
        "computer's clock or import it once it is valid.",
    );
  }
  const certificatePem = forge.pki.certificateToPem(leaf);
  const name = leaf.subject.getField('CN')?.value ?? leaf.subject.attributes.map((a) => a.value).join(', ');
  const email = leaf.subject.getField({ name: 'emailAddress' })?.value ?? subjectAltEmail(certificatePem);
  const privateKeyPem = forge.pki.privateKeyInfoToPem(
    forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)),
  );
  const chainPem = bags.certificates
    .filter((cert) => cert !== leaf)
    .map((c) => forge.pki.certificateToPem(c));
  return storeSigner(db, {
    name: name || 'Unnamed signer',
    email,
    certificatePem,
    chainPem,
    privateKeyPem,
    origin: 'imported',
    now,
  });
}

function subjectAltEmail(certificatePem: string): string | null {
  const san = new X509Certificate(certificatePem).subjectAltName ?? '';
  const match = /email:([^,\s]+)/.exec(san);
  return match?.[1] ?? null;
}

interface Pkcs12Contents {
  keys: forge.pki.RsaPrivateKey[];
  /** Keys forge decrypted but could not read as RSA. */
  unreadableKeys: number;
  certificates: forge.pki.Certificate[];
}

function readPkcs12(p12: Buffer, password: string): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/password/i.test(message)) {
      throw new AppError(
        'INVALID_INPUT',
        'The password does not open this PKCS#12 file. Check the password and try again.',
      );
    }
    if (/OID is not RSA/i.test(message)) {
      throw new AppError(
        'INVALID_INPUT',
        'The PKCS#12 file holds a certificate whose key is not RSA (ECDSA, for example). Steward signs ' +
          'with RSA only: ask your PKI for an RSA signing certificate.',
      );
    }
    if (/unsupported/i.test(message)) {
      throw new AppError(
        'UNSUPPORTED_FILE',
        'The PKCS#12 file uses an encryption Steward cannot read. Export it again with AES-256 or ' +
          'Triple DES (for example `openssl pkcs12 -export ...`).',
      );
    }
    throw new AppError(
      'INVALID_FILE',
      'The file is not a readable PKCS#12 (.p12 / .pfx) file. Export the signing certificate with its ' +
        'private key as PKCS#12.',
    );
  }
  const keys: forge.pki.RsaPrivateKey[] = [];
  let unreadableKeys = 0;
  for (const bagType of [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag]) {
    for (const bag of pfx.getBags({ bagType: bagType as string })[bagType as string] ?? []) {
      if (bag.key) keys.push(bag.key);
      else unreadableKeys += 1;
    }
  }
  const certBag = forge.pki.oids.certBag as string;
  const certificates = (pfx.getBags({ bagType: certBag })[certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => Boolean(cert));
  return { keys, unreadableKeys, certificates };
}
