import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSigner } from '../../../electron/core/evidence/signer-material';
import { normalizeFingerprint } from '../../../electron/core/evidence/signer-store';
import { byteRangeOf, packParts, signedPack, writeCampaignLog } from '../../support/evidence-fixture';
import { ensureCliBuilt, runSteward, STEWARD_BIN } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE, unlockedVault } from '../../support/unlocked-vault';

const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE };
const P12_PASSWORD = 'Pkcs12-pass-9931';

beforeAll(() => ensureCliBuilt());

async function newVault(): Promise<string> {
  const data = tempFolder();
  expect((await runSteward(['--data', data, 'init'], env)).code).toBe(0);
  return data;
}

function p12File(validity: { notBefore: Date; notAfter: Date }): string {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  const subject = [
    { name: 'commonName', value: 'Northwind Evidence Signer' },
    { name: 'emailAddress', value: 'evidence@northwind.example' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const der = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(keys.privateKey, cert, P12_PASSWORD)).getBytes();
  const file = join(tempFolder(), 'signer.p12');
  writeFileSync(file, Buffer.from(der, 'binary'));
  return file;
}

/** A signed pack written to a temp file, made in this process with its own vault and signer. */
async function packFile(tamper?: 'edited-log'): Promise<{ file: string; pdf: Buffer; fingerprint: string }> {
  const vault = await unlockedVault();
  const db = vault.database;
  const { fingerprint } = await generateSigner(db, {
    name: 'Dana Whitfield',
    email: 'dana.whitfield@northwind.example',
  });
  let log = writeCampaignLog(db);
  if (tamper === 'edited-log') {
    // Edited before signing by someone holding the key: the signature holds, the chain does not.
    log = log.map((r) => (r.seq === 5 ? { ...r, actor: 'mallory@northwind.example' } : r));
  }
  const pdf = await signedPack(db, packParts(log));
  vault.lock();
  const file = join(tempFolder(), 'evidence.pdf');
  writeFileSync(file, pdf);
  return { file, pdf, fingerprint };
}

describe('steward signer', () => {
  it('creates a signer and prints its fingerprint; show prints it again', async () => {
    const data = await newVault();
    const none = await runSteward(['--data', data, 'signer', 'show'], env);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No signing certificate yet');

    const created = await runSteward(
      [
        '--data',
        data,
        'signer',
        'create',
        '--name',
        'Dana Whitfield',
        '--email',
        'dana@northwind.example',
        '--json',
      ],
      env,
    );
    expect(created.code).toBe(0);
    const signer = JSON.parse(created.stdout);
    expect(signer).toMatchObject({
      name: 'Dana Whitfield',
      email: 'dana@northwind.example',
      origin: 'generated',
    });
    expect(normalizeFingerprint(signer.fingerprint)).toBe(signer.fingerprint);

    const shown = await runSteward(['--data', data, 'signer', 'show'], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`SHA-256 fingerprint: ${signer.fingerprint}`);
  });

  it('imports a PKCS#12 with the password from STEWARD_P12_PASSWORD, never from argv', async () => {
    const data = await newVault();
    const now = Date.now();
    const file = p12File({
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 365 * 86_400_000),
    });

    const wrong = await runSteward(['--data', data, 'signer', 'import', file], {
      ...env,
      STEWARD_P12_PASSWORD: 'not-the-password',
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('The password does not open this PKCS#12 file');
    expect(wrong.stderr + wrong.stdout).not.toContain('not-the-password');

    const missing = await runSteward(['--data', data, 'signer', 'import', file], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('STEWARD_P12_PASSWORD');

    const imported = await runSteward(['--data', data, 'signer', 'import', file, '--json'], {
      ...env,
      STEWARD_P12_PASSWORD: P12_PASSWORD,
    });
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      name: 'Northwind Evidence Signer',
      origin: 'imported',
    });
    expect(imported.stdout + imported.stderr).not.toContain(P12_PASSWORD);

    const expired = p12File({
      notBefore: new Date(now - 400 * 86_400_000),
      notAfter: new Date(now - 86_400_000),
    });
    const refused = await runSteward(['--data', data, 'signer', 'import', expired], {
      ...env,
      STEWARD_P12_PASSWORD: P12_PASSWORD,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/expired on/);
  });
});

describe('steward signer import on a terminal', () => {
  it('asks for the PKCS#12 password at a hidden prompt without echoing it', async () => {
    const data = await newVault();
    const now = Date.now();
    const file = p12File({
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 365 * 86_400_000),
    });
    const childEnv: NodeJS.ProcessEnv = { ...process.env, STEWARD_PASSPHRASE: TEST_PASSPHRASE };
    delete childEnv.STEWARD_P12_PASSWORD;
    // `script` gives the CLI a real pseudo-terminal, as a person at a shell would.
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} ${STEWARD_BIN} --data ${data} signer import ${file}`, '/dev/null'],
      { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let screen = '';
    let answered = false;
    child.stdout.on('data', (chunk) => {
      screen += chunk;
      if (!answered && /PKCS#12 password: $/.test(stripVTControlCharacters(screen))) {
        answered = true;
        child.stdin.write(`${P12_PASSWORD}\r`);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(screen).toContain('Signer: Northwind Evidence Signer');
    expect(screen).not.toContain(P12_PASSWORD);
  });
});

describe('steward verify (no vault needed)', () => {
  it('exits 0 on a fresh pack, one line per check, and reports the trusted fingerprint', async () => {
    const { file, fingerprint } = await packFile();
    const plain = await runSteward(['verify', file]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^✓ Signed range:/m);
    expect(plain.stdout).toMatch(/^✓ Signature: .*Dana Whitfield/m);
    expect(plain.stdout).toMatch(/^- Trusted certificate: Not checked: pass --trust FINGERPRINT/m);
    expect(plain.stdout).toMatch(/^✓ Decision log:/m);
    expect(plain.stdout).toMatch(/^Verified: signed by Dana Whitfield/m);

    const trusted = await runSteward(['verify', file, '--trust', fingerprint.toLowerCase(), '--json']);
    expect(trusted.code).toBe(0);
    const result = JSON.parse(trusted.stdout);
    expect(result).toMatchObject({ ok: true, failedCheck: null, signer: { fingerprint, trusted: true } });
  });

  it('exits 1 naming the signature check when a byte of the CMS signature changed', async () => {
    const { pdf } = await packFile();
    const [, holeStart, holeEnd] = byteRangeOf(pdf);
    const hex = pdf
      .subarray(holeStart + 1, holeEnd - 1)
      .toString('latin1')
      .replace(/(00)+$/, '');
    const at = holeStart + 1 + hex.length - 40; // inside the RSA signature value, the DER's last field
    const changed = Buffer.from(pdf);
    changed[at] = changed[at] === 0x31 ? 0x32 : 0x31;
    const file = join(tempFolder(), 'changed.pdf');
    writeFileSync(file, changed);
    const run = await runSteward(['verify', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ Signature:/m);
    expect(run.stderr).toContain('signature check failed');
  });

  it('exits 1 naming the decision-log check when the embedded log was edited before signing', async () => {
    const { file } = await packFile('edited-log');
    const run = await runSteward(['verify', file, '--json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.failedCheck).toBe('decision-log');
    expect(result.checks.find((c: { id: string }) => c.id === 'signature').status).toBe('passed');
    expect(run.stderr).toContain('decision-log check failed: Record 5 was changed after it was written');
  });

  it('exits 1 naming the trust check for a certificate not among --trust', async () => {
    const { file } = await packFile();
    const run = await runSteward(['verify', file, '--trust', 'ab'.repeat(32)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^✗ Trusted certificate:/m);
    expect(run.stderr).toContain('trust check failed');
  });

  it('exits 2 for a --trust that is not a fingerprint', async () => {
    const { file } = await packFile();
    const run = await runSteward(['verify', file, '--trust', '00:11']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--trust "00:11" is not a SHA-256 fingerprint');
  });

  it('exits 2 for a path that cannot be read', async () => {
    const run = await runSteward(['verify', join(tempFolder(), 'missing.pdf')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not exist/);
  });
});
