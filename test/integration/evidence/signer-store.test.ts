import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { loadActiveSigner, signPdf } from '../../../electron/core/evidence/pdf-signing';
import { generateSigner, importSignerPkcs12 } from '../../../electron/core/evidence/signer-material';
import {
  activeSigner,
  normalizeFingerprint,
  signerHistory,
} from '../../../electron/core/evidence/signer-store';
import { verifyEvidencePdf } from '../../../electron/core/evidence/verify-evidence';
import { packParts, unsignedPack, writeCampaignLog } from '../../support/evidence-fixture';
import { tempFolder } from '../../support/temp-folder';
import { unlockedVault } from '../../support/unlocked-vault';

const P12_PASSWORD = 'p12-Secret-4711';

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A CA and a leaf signed by it, exported as PKCS#12 by OpenSSL 3 (AES-256, PBKDF2, SHA-256 MAC). */
function opensslPkcs12(folder: string, options: { keyType?: 'rsa' | 'ec'; noKey?: boolean } = {}): Buffer {
  const newKey =
    options.keyType === 'ec'
      ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
      : ['-newkey', 'rsa:2048'];
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '60',
      '-subj',
      '/CN=Northwind Issuing CA',
    ],
    folder,
  );
  openssl(
    [
      'req',
      '-new',
      ...newKey,
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/CN=Northwind Evidence Signer/emailAddress=evidence@northwind.example',
    ],
    folder,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '30',
    ],
    folder,
  );
  openssl(
    [
      'pkcs12',
      '-export',
      ...(options.noKey ? ['-nokeys'] : ['-inkey', 'leaf.key']),
      '-in',
      'leaf.pem',
      '-certfile',
      'ca.pem',
      '-out',
      'signer.p12',
      '-passout',
      `pass:${P12_PASSWORD}`,
    ],
    folder,
  );
  return readFileSync(join(folder, 'signer.p12'));
}

/** A PKCS#12 made by node-forge (Triple DES, SHA-1 MAC: what older PKIs still export). */
function forgePkcs12(validity: { notBefore: Date; notAfter: Date }): Buffer {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  const subject = [{ name: 'commonName', value: 'Old Signer' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, cert, P12_PASSWORD, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

async function expectAppError(work: () => unknown, code: string, message: RegExp): Promise<AppError> {
  let caught: unknown;
  try {
    await work();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  expect((caught as AppError).message).toMatch(message);
  expect((caught as AppError).message).not.toContain(P12_PASSWORD);
  return caught as AppError;
}

describe('normalizeFingerprint', () => {
  it('accepts upper or lower case, with or without colons, and refuses anything else', () => {
    const upper = Array.from({ length: 32 }, (_, i) =>
      (i * 7).toString(16).padStart(2, '0').toUpperCase(),
    ).join(':');
    expect(normalizeFingerprint(upper)).toBe(upper);
    expect(normalizeFingerprint(upper.toLowerCase().replace(/:/g, ''))).toBe(upper);
    expect(normalizeFingerprint(`sha256:${upper.toLowerCase()}`)).toBe(upper);
    expect(normalizeFingerprint(upper.slice(3))).toBeNull();
    expect(normalizeFingerprint('zz'.repeat(32))).toBeNull();
  });
});

describe('generated signer', () => {
  it('is a self-signed RSA certificate for the name and email, valid five years, with its SHA-256 fingerprint', async () => {
    const vault = await unlockedVault();
    const db = vault.database;
    expect(activeSigner(db)).toBeNull();
    const summary = await generateSigner(db, {
      name: 'Dana Whitfield',
      email: 'dana.whitfield@northwind.example',
    });
    const loaded = loadActiveSigner(db);
    const x509 = new X509Certificate(loaded.certificatePem);
    expect(x509.subject).toContain('CN=Dana Whitfield');
    expect(x509.subject).toContain('emailAddress=dana.whitfield@northwind.example');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa');
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(x509.checkPrivateKey(createPrivateKey(loaded.privateKeyPem))).toBe(true);

    // The fingerprint is OpenSSL's SHA-256 of the DER certificate.
    const folder = tempFolder();
    writeFileSync(join(folder, 'cert.pem'), loaded.certificatePem);
    const text = openssl(['x509', '-in', 'cert.pem', '-noout', '-fingerprint', '-sha256', '-text'], folder);
    expect(text).toContain(`sha256 Fingerprint=${summary.fingerprint}`);
    expect(text).toMatch(/Digital Signature, Non Repudiation/);
    expect(text).toMatch(/E-mail Protection/);
    expect(text).toMatch(/CA:FALSE/);

    const years = (Date.parse(summary.notAfter) - Date.parse(summary.notBefore)) / (365.25 * 86_400_000);
    expect(Math.round(years)).toBe(5);
    expect(summary).toMatchObject({ name: 'Dana Whitfield', origin: 'generated' });
    expect(activeSigner(db)).toEqual(summary);
    vault.lock();
  });

  it('refuses an empty name and a malformed email', async () => {
    const vault = await unlockedVault();
    await expectAppError(
      () => generateSigner(vault.database, { name: ' ', email: 'a@b.example' }),
      'INVALID_INPUT',
      /name/,
    );
    await expectAppError(
      () => generateSigner(vault.database, { name: 'Dana', email: 'dana' }),
      'INVALID_INPUT',
      /email/,
    );
    expect(activeSigner(vault.database)).toBeNull();
    vault.lock();
  });

  it('a replaced signer stays in the history with its key erased; only one is active', async () => {
    const vault = await unlockedVault();
    const db = vault.database;
    const first = await generateSigner(db, { name: 'First Signer', email: 'first@northwind.example' });
    const second = await generateSigner(db, { name: 'Second Signer', email: 'second@northwind.example' });
    expect(first.fingerprint).not.toBe(second.fingerprint);
    expect(activeSigner(db)!.fingerprint).toBe(second.fingerprint);
    const history = signerHistory(db);
    expect(history.map((s) => [s.name, s.active, s.retiredAt !== null])).toEqual([
      ['Second Signer', true, false],
      ['First Signer', false, true],
    ]);
    const keys = db
      .prepare('SELECT name, private_key_pem IS NULL AS erased FROM evidence_signers ORDER BY id')
      .all();
    expect(keys).toEqual([
      { name: 'First Signer', erased: 1 },
      { name: 'Second Signer', erased: 0 },
    ]);
    vault.lock();
  });

  it('loadActiveSigner says what to do when there is none', async () => {
    const vault = await unlockedVault();
    await expectAppError(
      () => loadActiveSigner(vault.database),
      'NOT_AVAILABLE',
      /Create or import a signing certificate first/,
    );
    vault.lock();
  });
});

describe('imported PKCS#12 signer', () => {
  it('imports an OpenSSL 3 PKCS#12 with its chain, and packs it signs verify (pdfsig and steward verify)', async () => {
    const vault = await unlockedVault();
    const db = vault.database;
    const folder = tempFolder();
    const p12 = opensslPkcs12(folder);
    const summary = importSignerPkcs12(db, p12, P12_PASSWORD);
    expect(summary).toMatchObject({
      name: 'Northwind Evidence Signer',
      email: 'evidence@northwind.example',
      origin: 'imported',
    });
    expect(openssl(['x509', '-in', 'leaf.pem', '-noout', '-fingerprint', '-sha256'], folder)).toContain(
      summary.fingerprint,
    );
    const loaded = loadActiveSigner(db);
    expect(loaded.chainPem).toHaveLength(1);
    expect(new X509Certificate(loaded.chainPem[0]!).subject).toBe('CN=Northwind Issuing CA');

    const pdf = await signPdf(await unsignedPack(packParts(writeCampaignLog(db))), loaded);
    writeFileSync(join(folder, 'pack.pdf'), pdf);
    const report = execFileSync('pdfsig', [join(folder, 'pack.pdf')], { encoding: 'utf8' });
    expect(report).toContain('Signature is Valid.');
    expect(report).toContain('Total document signed');
    const result = await verifyEvidencePdf(pdf, { trust: [summary.fingerprint] });
    expect(result.ok).toBe(true);
    expect(result.signer).toMatchObject({ name: 'Northwind Evidence Signer', trusted: true });
    vault.lock();
  });

  it('imports a Triple DES PKCS#12 made by node-forge', async () => {
    const vault = await unlockedVault();
    const now = Date.now();
    const p12 = forgePkcs12({
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 30 * 86_400_000),
    });
    expect(importSignerPkcs12(vault.database, p12, P12_PASSWORD)).toMatchObject({
      name: 'Old Signer',
      email: null,
    });
    vault.lock();
  });

  it('refuses a wrong password, an expired certificate, no key, an ECDSA key and a file that is not PKCS#12', async () => {
    const vault = await unlockedVault();
    const db = vault.database;
    const p12 = opensslPkcs12(tempFolder());
    await expectAppError(
      () => importSignerPkcs12(db, p12, 'wrong-password'),
      'INVALID_INPUT',
      /password does not open/,
    );

    const now = Date.now();
    const expired = forgePkcs12({
      notBefore: new Date(now - 400 * 86_400_000),
      notAfter: new Date(now - 86_400_000),
    });
    await expectAppError(() => importSignerPkcs12(db, expired, P12_PASSWORD), 'INVALID_INPUT', /expired on/);

    const noKey = opensslPkcs12(tempFolder(), { noKey: true });
    await expectAppError(
      () => importSignerPkcs12(db, noKey, P12_PASSWORD),
      'INVALID_INPUT',
      /no private key/,
    );

    const ec = opensslPkcs12(tempFolder(), { keyType: 'ec' });
    await expectAppError(() => importSignerPkcs12(db, ec, P12_PASSWORD), 'INVALID_INPUT', /not RSA/);

    await expectAppError(
      () => importSignerPkcs12(db, randomBytes(600), P12_PASSWORD),
      'INVALID_FILE',
      /not a readable PKCS#12/,
    );
    expect(activeSigner(db)).toBeNull();
    vault.lock();
  });
});
