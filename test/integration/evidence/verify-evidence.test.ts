import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordHash, type DecisionRecord } from '../../../electron/core/decisions/decision-log';
import { generateSigner } from '../../../electron/core/evidence/signer-material';
import { verifyEvidencePdf } from '../../../electron/core/evidence/verify-evidence';
import {
  byteRangeOf,
  packParts,
  signedPack,
  unsignedPack,
  writeCampaignLog,
  type PackParts,
} from '../../support/evidence-fixture';
import { tempFolder } from '../../support/temp-folder';
import { unlockedVault } from '../../support/unlocked-vault';

/** A vault with a signer and campaign 7's log; `pack(parts)` signs with it. */
async function signedSetup() {
  const vault = await unlockedVault();
  const db = vault.database;
  const signer = await generateSigner(db, {
    name: 'Dana Whitfield',
    email: 'dana.whitfield@northwind.example',
  });
  const log = writeCampaignLog(db);
  const parts = packParts(log);
  const pack = (p: PackParts = parts) => signedPack(db, p);
  return { vault, db, signer, log, parts, pack };
}

function pdfsig(pdf: Buffer): string {
  const file = join(tempFolder(), 'pack.pdf');
  writeFileSync(file, pdf);
  // pdfsig exits 0 whether or not the signature holds: its text is the verdict.
  return execFileSync('pdfsig', [file], { encoding: 'utf8' });
}

function failedCheck(result: Awaited<ReturnType<typeof verifyEvidencePdf>>) {
  return { ok: result.ok, failedCheck: result.failedCheck };
}

/** Recomputes every hash of a log from genesis, as someone with the vault key could. */
function rechain(log: DecisionRecord[]): DecisionRecord[] {
  let prevHash = '0'.repeat(64);
  return log.map((record) => {
    const unhashed = { ...record, prevHash };
    const hash = recordHash(unhashed);
    prevHash = hash;
    return { ...unhashed, hash };
  });
}

describe('signed evidence PDFs', () => {
  it('pdfsig reports the signature valid over the total document, and a one-byte change invalid', async () => {
    const { vault, pack } = await signedSetup();
    const pdf = await pack();
    const report = pdfsig(pdf);
    expect(report).toContain('Signature is Valid.');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signer Certificate Common Name: Dana Whitfield');
    expect(report).toContain('adbe.pkcs7.detached');

    // One byte in the middle of the first signed range changed (bit flip).
    const changed = Buffer.from(pdf);
    const at = Math.floor(byteRangeOf(pdf)[1] / 2);
    changed[at] = changed[at]! ^ 0x01;
    const tampered = pdfsig(changed);
    expect(tampered).not.toContain('Signature is Valid.');
    expect(tampered).toContain('Digest Mismatch.');
    expect(failedCheck(await verifyEvidencePdf(changed, { trust: [] }))).toEqual({
      ok: false,
      failedCheck: 'signature',
    });
    vault.lock();
  });

  it('openssl cms -verify accepts the CMS over the signed ranges and rejects a changed range', async () => {
    const { vault, pack } = await signedSetup();
    const pdf = await pack();
    const [, holeStart, holeEnd, tail] = byteRangeOf(pdf);
    const folder = tempFolder();
    const cms = Buffer.from(pdf.subarray(holeStart + 1, holeEnd - 1).toString('latin1'), 'hex');
    writeFileSync(join(folder, 'sig.der'), cms);
    const content = Buffer.concat([pdf.subarray(0, holeStart), pdf.subarray(holeEnd, holeEnd + tail)]);
    writeFileSync(join(folder, 'content.bin'), content);
    const verify = () =>
      spawnSync(
        'openssl',
        [
          'cms',
          '-verify',
          '-binary',
          '-inform',
          'DER',
          '-in',
          'sig.der',
          '-content',
          'content.bin',
          '-noverify',
          '-out',
          '/dev/null',
        ],
        { cwd: folder, encoding: 'utf8' },
      );
    expect(verify().status).toBe(0);
    content[content.length - 10] = content[content.length - 10]! ^ 0x01;
    writeFileSync(join(folder, 'content.bin'), content);
    expect(verify().status).not.toBe(0);
    vault.lock();
  });
});

describe('verifyEvidencePdf', () => {
  it('passes a fresh pack: every check holds, the signer and the log head are reported', async () => {
    const { vault, pack, signer, log } = await signedSetup();
    const result = await verifyEvidencePdf(await pack(), { trust: [] });
    expect(result.ok).toBe(true);
    expect(result.failedCheck).toBeNull();
    expect(result.checks.map((c) => [c.id, c.status])).toEqual([
      ['structure', 'passed'],
      ['signature', 'passed'],
      ['trust', 'not-checked'],
      ['attachments', 'passed'],
      ['decision-log', 'passed'],
      ['counts', 'passed'],
    ]);
    expect(result.checks.find((c) => c.id === 'trust')!.message).toMatch(/pass --trust FINGERPRINT/);
    expect(result.signer).toMatchObject({
      name: 'Dana Whitfield',
      email: 'dana.whitfield@northwind.example',
      fingerprint: signer.fingerprint,
      trusted: null,
    });
    // The signing time is the real time of signing, inside the certificate's validity.
    expect(Math.abs(Date.parse(result.signer!.signingTime!) - Date.now())).toBeLessThan(10 * 60_000);
    expect(result.logHead).toEqual({ seq: log.length, hash: log[log.length - 1]!.hash });
    expect(result.campaign).toEqual({ id: 7, name: 'Q4 2026 machine identities', state: 'closed' });
    vault.lock();
  });

  it('accepts the trusted fingerprint in either notation and fails an untrusted certificate', async () => {
    const { vault, pack, signer } = await signedSetup();
    const pdf = await pack();
    const lowerBare = signer.fingerprint.replace(/:/g, '').toLowerCase();
    const trusted = await verifyEvidencePdf(pdf, { trust: [lowerBare] });
    expect(trusted.ok).toBe(true);
    expect(trusted.signer!.trusted).toBe(true);
    expect(trusted.checks.find((c) => c.id === 'trust')!.status).toBe('passed');

    const other = 'AB:'.repeat(31) + 'AB';
    const untrusted = await verifyEvidencePdf(pdf, { trust: [other] });
    expect(failedCheck(untrusted)).toEqual({ ok: false, failedCheck: 'trust' });
    expect(untrusted.verdict).toContain(signer.fingerprint);
    expect(untrusted.signer!.trusted).toBe(false);

    const malformed = await verifyEvidencePdf(pdf, { trust: ['not-a-fingerprint'] });
    expect(failedCheck(malformed)).toEqual({ ok: false, failedCheck: 'trust' });
    vault.lock();
  });

  it('fails the signature when a byte of the CMS signature changes', async () => {
    const { vault, pack } = await signedSetup();
    const pdf = Buffer.from(await pack());
    const [, holeStart] = byteRangeOf(pdf);
    const cms = Buffer.from(pdf.subarray(holeStart + 1, byteRangeOf(pdf)[2] - 1).toString('latin1'), 'hex');
    // The RSA signature value is the last non-zero stretch of the DER: flip a byte inside it.
    let end = cms.length;
    while (end > 0 && cms[end - 1] === 0) end -= 1;
    const hexAt = holeStart + 1 + (end - 20) * 2;
    pdf[hexAt] = pdf[hexAt] === 0x30 ? 0x31 : 0x30;
    const result = await verifyEvidencePdf(pdf, { trust: [] });
    expect(failedCheck(result)).toEqual({ ok: false, failedCheck: 'signature' });
    expect(result.checks.find((c) => c.id === 'signature')!.message).toMatch(
      /does not verify|not a readable/,
    );
    vault.lock();
  });

  it('fails the structure when bytes are appended after signing, or the PDF was never signed', async () => {
    const { vault, pack, parts } = await signedSetup();
    const appended = Buffer.concat([await pack(), Buffer.from('\n% appended\n')]);
    const result = await verifyEvidencePdf(appended, { trust: [] });
    expect(failedCheck(result)).toEqual({ ok: false, failedCheck: 'structure' });
    expect(result.verdict).toMatch(/the file was changed after signing/i);
    expect(pdfsig(appended)).not.toContain('Total document signed');

    const unsigned = await verifyEvidencePdf(await unsignedPack(parts), { trust: [] });
    expect(failedCheck(unsigned)).toEqual({ ok: false, failedCheck: 'structure' });
    expect(unsigned.verdict).toContain('has a signature placeholder but was never signed');

    // Signed twice (an incremental update with a second signature): not the one signature of a pack.
    const pdf = await pack();
    const second = Buffer.concat([
      pdf,
      Buffer.from('\n5 0 obj\n<< /Type /Sig /ByteRange [0 10 20 30] >>\nendobj\n'),
    ]);
    const twice = await verifyEvidencePdf(second, { trust: [] });
    expect(failedCheck(twice)).toEqual({ ok: false, failedCheck: 'structure' });
    expect(twice.verdict).toContain('2 signature byte ranges');
    vault.lock();
  });

  it('fails the decision log when a record was edited before signing, even with a matching manifest', async () => {
    const { vault, pack, log } = await signedSetup();
    // Someone with the key edits a decision and rebuilds the pack around the edited log: the
    // signature and the attachment hashes hold, the chain does not.
    const edited = log.map((r) =>
      r.action === 'decision.revoke' && r.payload.itemId === 4
        ? { ...r, payload: { ...r.payload, decision: 'certify' } }
        : r,
    );
    const result = await verifyEvidencePdf(await pack(packParts(edited)), { trust: [] });
    expect(failedCheck(result)).toEqual({ ok: false, failedCheck: 'decision-log' });
    const seq = log.find((r) => r.action === 'decision.revoke' && r.payload.itemId === 4)!.seq;
    expect(result.checks.find((c) => c.id === 'decision-log')!.message).toBe(
      `Record ${seq} was changed after it was written: its content no longer matches its hash.`,
    );
    vault.lock();
  });

  it('fails the decision log for a recomputed chain against the printed head, and a removed record', async () => {
    const { vault, pack, log, parts } = await signedSetup();
    const recomputed = rechain(
      log.map((r) =>
        r.payload.itemId === 4 && r.action === 'decision.revoke' ? { ...r, actor: 'mallory@example.com' } : r,
      ),
    );
    const logJson = JSON.stringify(recomputed);
    const withOldHead: PackParts = {
      ...parts,
      logJson,
      manifest: {
        ...parts.manifest,
        attachments: { ...parts.manifest.attachments, decisionLog: sha(logJson) },
      },
    };
    const result = await verifyEvidencePdf(await pack(withOldHead), { trust: [] });
    expect(failedCheck(result)).toEqual({ ok: false, failedCheck: 'decision-log' });
    expect(result.checks.find((c) => c.id === 'decision-log')!.message).toMatch(/printed head/);

    const otherPrinted = await verifyEvidencePdf(
      await pack({ ...parts, infoLogHead: `1:${'0'.repeat(64)}` }),
      {
        trust: [],
      },
    );
    expect(failedCheck(otherPrinted)).toEqual({ ok: false, failedCheck: 'decision-log' });
    expect(otherPrinted.checks.find((c) => c.id === 'decision-log')!.message).toMatch(/StewardLogHead/);

    const removed = log.filter((r) => r.seq !== 3);
    const gap = await verifyEvidencePdf(await pack(packParts(removed)), { trust: [] });
    expect(failedCheck(gap)).toEqual({ ok: false, failedCheck: 'decision-log' });
    vault.lock();
  });

  it('fails the attachments when the log is not the one the manifest hashes, and when one is missing', async () => {
    const { vault, pack, parts } = await signedSetup();
    const swapped = await verifyEvidencePdf(await pack({ ...parts, logJson: `${parts.logJson} ` }), {
      trust: [],
    });
    expect(failedCheck(swapped)).toEqual({ ok: false, failedCheck: 'attachments' });
    expect(swapped.checks.find((c) => c.id === 'decision-log')!.status).toBe('not-checked');

    const badManifest = await verifyEvidencePdf(
      await pack({
        ...parts,
        manifest: { ...parts.manifest, format: 'something-else' as 'steward-evidence/1' },
      }),
      { trust: [] },
    );
    expect(failedCheck(badManifest)).toEqual({ ok: false, failedCheck: 'attachments' });
    vault.lock();
  });

  it('fails the counts when the stated numbers do not add up or disagree with the log and population', async () => {
    const { vault, pack, parts } = await signedSetup();
    const counts = parts.manifest.counts;
    const cases: Array<[Partial<typeof counts>, RegExp]> = [
      [{ inScope: 6 }, /do not add up/],
      [{ certify: 3, revoke: 0 }, /log records 2 items decided certify/],
      [{ exceptions: 0, pending: 1 }, /closed but 1 items are stated as pending|exceptions/],
    ];
    for (const [change, message] of cases) {
      const manifest = { ...parts.manifest, counts: { ...counts, ...change } };
      const result = await verifyEvidencePdf(await pack({ ...parts, manifest }), { trust: [] });
      expect(failedCheck(result)).toEqual({ ok: false, failedCheck: 'counts' });
      expect(result.checks.find((c) => c.id === 'counts')!.message).toMatch(message);
    }
    // A row whose decision is not the item's state in the log (item 4: the undo restored the revoke).
    const wrongRow = parts.population.replace(
      'svc-4\nsecond line",iam-user,sam.okafor@northwind.example,revoke',
      'svc-4\nsecond line",iam-user,sam.okafor@northwind.example,certify',
    );
    expect(wrongRow).not.toBe(parts.population);
    const wrongRowResult = await verifyEvidencePdf(
      await pack({
        ...parts,
        population: wrongRow,
        manifest: {
          ...parts.manifest,
          attachments: { ...parts.manifest.attachments, population: sha(wrongRow) },
        },
      }),
      { trust: [] },
    );
    expect(failedCheck(wrongRowResult)).toEqual({ ok: false, failedCheck: 'counts' });
    expect(wrongRowResult.checks.find((c) => c.id === 'counts')!.message).toBe(
      'Item 4 is "certify" in population.csv but "revoke" in the decision log.',
    );

    const shortPopulation = parts.population.split('\r\n').slice(0, -2).join('\r\n') + '\r\n';
    const manifest = {
      ...parts.manifest,
      attachments: { ...parts.manifest.attachments, population: sha(shortPopulation) },
    };
    const rows = await verifyEvidencePdf(await pack({ ...parts, population: shortPopulation, manifest }), {
      trust: [],
    });
    expect(failedCheck(rows)).toEqual({ ok: false, failedCheck: 'counts' });
    expect(rows.checks.find((c) => c.id === 'counts')!.message).toMatch(
      /has 4 item rows but the pack states 5/,
    );
    vault.lock();
  });

  it('turns hostile input into a failed check, never an exception', async () => {
    const inputs = [
      Buffer.alloc(0),
      Buffer.from('%PDF-1.7\n/ByteRange [0 10 20 5]\n'),
      Buffer.from('%PDF-1.7\n/ByteRange [0 9 14 3] /Contents <3082ffff> xyz'),
      Buffer.from('not a pdf at all'),
    ];
    for (const input of inputs) {
      const result = await verifyEvidencePdf(input, { trust: [] });
      expect(result.ok).toBe(false);
      expect(result.checks).toHaveLength(6);
      expect(result.checks.every((c) => typeof c.message === 'string' && c.message.length > 0)).toBe(true);
    }
  });
});

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
