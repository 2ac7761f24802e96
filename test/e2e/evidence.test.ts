import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import { tempFolder } from '../support/temp-folder';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';
import { AWS_REPORT, HR_ROSTER } from './support/import-fixtures';
import type { StewardSession } from './support/steward-page';

const OWNER = 'ana.silva@northwindlogistics.example';
const P12_PASSWORD = 'Northwind-PKI-2026!';
type Item = MethodOutput<'campaigns.items'>['items'][number];

async function must<T>(steward: StewardSession, method: string, input: unknown): Promise<T> {
  const result = await steward.core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/**
 * The HR roster and the AWS credential report, and a campaign over them carried through its whole
 * life through dispatch: created, launched, every item decided by its reviewer (some revoked, the rest
 * certified), every reviewer signed off, closed. A second campaign is launched and left open.
 */
async function seedCampaigns(steward: StewardSession): Promise<{ closedId: number; items: number }> {
  await must(steward, 'vault.create', { passphrase: STRONG_PASSPHRASE });
  await must(steward, 'people.import', { path: HR_ROSTER });
  await must(steward, 'imports.run', { paths: [AWS_REPORT] });
  const closed = await must<{ id: number }>(steward, 'campaigns.create', {
    name: 'Q4 2026 AWS machine identities',
    period: '2026-Q4',
    asOf: '2026-11-01',
    due: '2026-11-30',
    owner: OWNER,
  });
  await must(steward, 'campaigns.launch', { campaignId: closed.id, actor: OWNER });
  const { items } = await must<{ items: Item[] }>(steward, 'campaigns.items', {
    campaignId: closed.id,
    limit: 1000,
  });
  for (const [index, item] of items.entries()) {
    const base = { campaignId: closed.id, itemId: item.id, actor: item.reviewer };
    await must(
      steward,
      'decisions.record',
      index % 6 === 0
        ? { ...base, decision: 'revoke', justification: 'Not used since the last rotation; remove the key.' }
        : {
            ...base,
            decision: 'certify',
            justification: 'Reviewed with the owner: needed for the nightly settlement job.',
          },
    );
  }
  for (const reviewer of new Set(items.map((item) => item.reviewer))) {
    if (reviewer !== OWNER)
      await must(steward, 'campaigns.signOff', { campaignId: closed.id, actor: reviewer });
  }
  await must(steward, 'campaigns.close', { campaignId: closed.id, actor: OWNER, exceptions: [] });

  const open = await must<{ id: number }>(steward, 'campaigns.create', {
    name: 'Q1 2027 AWS machine identities',
    period: '2027-Q1',
    asOf: '2026-11-01',
    due: '2027-03-31',
    owner: OWNER,
  });
  await must(steward, 'campaigns.launch', { campaignId: open.id, actor: OWNER });
  return { closedId: closed.id, items: items.length };
}

async function openEvidence(steward: StewardSession): Promise<void> {
  await steward.load();
  await steward.page.getByRole('button', { name: 'Evidence', exact: true }).click();
  await steward.page.getByRole('heading', { level: 1, name: 'Evidence' }).waitFor();
}

function region(page: Page, name: string) {
  return page.getByRole('region', { name });
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Scrolls `heading` to the top of the window, so a screenshot shows the state under it. */
async function scrollTo(page: Page, heading: string): Promise<void> {
  await page.getByRole('heading', { name: heading, exact: true }).evaluate((element) => {
    element.scrollIntoView({ block: 'start' });
  });
}

describe('evidence', () => {
  const launch = stewardLauncher();

  it('creates a signer, generates a signed pack through the save dialogs, opens it, and verifies it and a tampered copy', async () => {
    const steward = await launch();
    const { page } = steward;
    const { items } = await seedCampaigns(steward);
    await openEvidence(steward);

    // No signer yet: the card offers both ways, and generation says why it waits.
    const signerCard = region(page, 'Signing certificate');
    await signerCard.getByRole('heading', { name: 'Create a signing certificate' }).waitFor();
    await signerCard.getByRole('heading', { name: 'Import from your PKI (PKCS#12)' }).waitFor();
    const packs = region(page, 'Evidence packs');
    await packs.getByText('Packs are signed, and this vault has no signing certificate.').waitFor();
    const closedRow = packs.getByRole('listitem', { name: /Q4 2026 AWS machine identities/ });
    const openRow = packs.getByRole('listitem', { name: /Q1 2027 AWS machine identities/ });
    expect(await closedRow.getByRole('button', { name: 'Generate evidence pack…' }).isDisabled()).toBe(true);
    // Closed campaigns first; the open one says its pack will show pending items.
    expect(await packs.locator('.pack-title').allTextContents()).toEqual([
      'Q4 2026 AWS machine identities Closed',
      'Q1 2027 AWS machine identities Open',
    ]);
    await openRow.getByText(`Still open: ${items} items are pending.`, { exact: false }).waitFor();
    await steward.screenshot('evidence-no-signer');
    await scrollTo(page, 'Evidence packs');
    await steward.screenshot('evidence-packs-no-signer');
    // The notice leads to the certificate card.
    await packs.getByRole('button', { name: 'Set up the certificate' }).click();
    await eventually(() => page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Signing certificate',
    );

    // A wrong e-mail is refused in the core's words; a right one makes the signer.
    await signerCard.getByLabel('Name').fill('Dana Whitfield');
    await signerCard.getByLabel('E-mail').fill('dana.whitfield@northwindlogistics.example');
    await signerCard.getByRole('button', { name: 'Create certificate' }).click();
    await signerCard.getByText('Generated by Steward').waitFor();
    const signer = await must<{ fingerprint: string; name: string }>(steward, 'signer.get', {});
    expect(signer.name).toBe('Dana Whitfield');
    await signerCard.getByLabel(`SHA-256 fingerprint ${signer.fingerprint}`).waitFor();
    const copy = signerCard.getByRole('button', { name: 'Copy fingerprint' });
    expect(await copy.isVisible()).toBe(true);
    await signerCard.getByText('dana.whitfield@northwindlogistics.example').waitFor();
    await signerCard.getByText('steward verify --trust').waitFor();
    await copy.click();
    await signerCard.getByRole('button', { name: 'Copied' }).waitFor();
    await steward.screenshot('evidence-signer');

    // Generate: the save dialog proposes a name from the campaign; then the workpapers beside it.
    const out = tempFolder('steward-e2e-evidence-');
    const pdfPath = join(out, 'q4-2026-aws.pdf');
    const xlsxPath = join(out, 'q4-2026-aws.xlsx');
    steward.dialogs!.answerNextSave(pdfPath);
    steward.dialogs!.answerNextSave(xlsxPath);
    const held = steward.holdNext('evidence.exportWithDialog');
    await closedRow.getByRole('button', { name: 'Generate evidence pack…' }).click();
    await held.arrived();
    await closedRow.getByRole('progressbar', { name: 'Evidence pack progress' }).waitFor();
    await closedRow.getByRole('button', { name: 'Cancel' }).waitFor();
    await closedRow.getByText('Choose where to save the pack', { exact: false }).waitFor();
    // A progress event of this task (as the core sends while drawing) turns the bar determinate.
    const { taskId } = held.input() as { taskId: string };
    await page.evaluate((event) => window.__stewardDeliverEvent!(event), {
      name: 'task.progress' as const,
      payload: { taskId, label: 'Drawing the evidence pack', done: 5, total: 13 },
    });
    await closedRow.getByText('Drawing the evidence pack…').waitFor();
    expect(
      await closedRow
        .getByRole('progressbar', { name: 'Evidence pack progress' })
        .getAttribute('aria-valuenow'),
    ).toBe('38');
    await scrollTo(page, 'Evidence packs');
    await steward.screenshot('evidence-generating');
    held.release();

    await closedRow.getByText('Signed and saved q4-2026-aws.pdf').waitFor({ timeout: 120_000 });
    expect(steward.dialogs!.proposedSaveNames).toEqual([
      'steward-evidence-q4-2026-aws-machine-identities.pdf',
      join(out, 'steward-evidence-q4-2026-aws-machine-identities.xlsx'),
    ]);
    expect(await closedRow.getByText(sha256(pdfPath), { exact: true }).count()).toBe(1);
    expect(await closedRow.getByText(signer.fingerprint, { exact: true }).count()).toBe(1);
    expect(await closedRow.getByText('q4-2026-aws.xlsx', { exact: false }).count()).toBeGreaterThan(0);
    expect(statSync(xlsxPath).size).toBeGreaterThan(0);
    // The log head shown is the one printed in the pack (read back by the verifier, which needs no vault).
    const printed = await must<{ logHead: { seq: number; hash: string } }>(steward, 'evidence.verify', {
      path: pdfPath,
      trust: [],
    });
    expect(await closedRow.getByText(printed.logHead.hash, { exact: true }).count()).toBe(1);
    await closedRow.getByText(`Record ${printed.logHead.seq}`, { exact: true }).waitFor();
    await scrollTo(page, 'Evidence packs');
    await steward.screenshot('evidence-pack-written');

    // The desktop opens the PDF and shows the workpapers (recorded by the harness, checked by the shell).
    await closedRow.getByRole('button', { name: 'Open PDF' }).click();
    await eventually(() => steward.files!.opened).toEqual([pdfPath]);
    await closedRow.getByRole('button', { name: 'Show workpapers' }).click();
    await eventually(() => steward.files!.shown).toEqual([xlsxPath]);

    // Verify the written pack chosen in the dialog, trusting this vault's certificate: valid, every check passed.
    const verify = region(page, 'Verify an evidence file');
    await verify.getByRole('button', { name: 'Trust this vault’s certificate' }).click();
    expect(await verify.getByLabel(/Trusted fingerprints/).inputValue()).toBe(signer.fingerprint);
    steward.dialogs!.answerNextEvidenceFile(pdfPath);
    await verify.getByRole('button', { name: 'Choose a PDF…' }).click();
    await verify.getByRole('heading', { name: 'Valid evidence pack' }).waitFor({ timeout: 60_000 });
    const checks = verify.getByRole('list', { name: 'Checks' }).getByRole('listitem');
    expect(await checks.count()).toBe(6);
    expect(await verify.locator('.check[data-status="passed"]').count()).toBe(6);
    for (const name of ['Signature', 'Trusted certificate', 'Decision log', 'Counts'])
      await verify.locator('.check-name', { hasText: name }).first().waitFor();
    await verify.getByText('Trusted', { exact: true }).waitFor();
    await scrollTo(page, 'Valid evidence pack');
    await steward.screenshot('evidence-verified');

    // A copy with one byte changed inside the signed range, dropped on the panel: the signature check fails.
    const tampered = join(out, 'q4-2026-aws-tampered.pdf');
    copyFileSync(pdfPath, tampered);
    const bytes = readFileSync(tampered);
    const at = bytes.indexOf(Buffer.from('/Producer'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] = bytes[at + 2]! ^ 0x20;
    writeFileSync(tampered, bytes);
    const zone = verify.locator('.drop-zone');
    const files = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['%PDF'], 'q4-2026-aws-tampered.pdf', { type: 'application/pdf' }));
      return transfer;
    });
    await zone.dispatchEvent('dragenter', { dataTransfer: files });
    await eventually(() => zone.getAttribute('data-active')).toBe('true');
    await zone.dispatchEvent('drop', { dataTransfer: files });
    // What the preload does with the paths it read from the drop.
    expect((await steward.core.dispatch('imports.announceDroppedFiles', { paths: [tampered] })).ok).toBe(
      true,
    );
    const failedTitle = verify.getByRole('heading', { name: /^Not valid: .* failed$/ });
    await failedTitle.waitFor({ timeout: 60_000 });
    const failed = verify.locator('.check[data-status="failed"]');
    expect(await failed.count()).toBeGreaterThan(0);
    const failedName = (await failed.first().locator('.check-name').textContent()) ?? '';
    expect(await failedTitle.textContent()).toContain(failedName.replace(/\s*Failed$/, ''));
    expect(failedName).toMatch(/^(Signed range|Signature)/);
    await verify.getByText('q4-2026-aws-tampered.pdf', { exact: true }).waitFor();
    await failedTitle.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await steward.screenshot('evidence-tampered');

    // "Verify this pack" on the written result verifies the original again: valid.
    await closedRow.getByRole('button', { name: 'Verify this pack' }).click();
    await verify.getByRole('heading', { name: 'Valid evidence pack' }).waitFor({ timeout: 60_000 });
    await verify.getByText('q4-2026-aws.pdf', { exact: true }).waitFor();

    // Replacing the certificate warns first, and can be backed out of.
    await signerCard.getByRole('button', { name: 'Replace the certificate…' }).click();
    await signerCard.getByText('its key is erased', { exact: false }).waitFor();
    await signerCard.getByRole('button', { name: 'Keep the current certificate' }).click();
    expect(await signerCard.getByRole('heading', { name: 'Create a signing certificate' }).count()).toBe(0);

    await expectCleanPage(steward);
  }, 600_000);

  it('says what to do on an empty vault, imports the organisation’s PKCS#12 without keeping its password, and needs a desktop to open files', async () => {
    const steward = await launch();
    const { page } = steward;
    await must(steward, 'vault.create', { passphrase: STRONG_PASSPHRASE });
    await openEvidence(steward);
    await region(page, 'Evidence packs').getByText('No campaign to evidence yet').waitFor();
    await scrollTo(page, 'Evidence packs');
    await steward.screenshot('evidence-empty');
    await scrollTo(page, 'Evidence');

    // The organisation's certificate and RSA key, as its PKI hands them out.
    const pki = tempFolder('steward-e2e-pki-');
    const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'ignore' });
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'signer.key',
      '-out',
      'signer.pem',
      '-days',
      '365',
      '-subj',
      '/CN=Northwind Evidence Signer/emailAddress=evidence@northwindlogistics.example',
    ]);
    openssl([
      'pkcs12',
      '-export',
      '-inkey',
      'signer.key',
      '-in',
      'signer.pem',
      '-out',
      'signer.p12',
      '-passout',
      `pass:${P12_PASSWORD}`,
    ]);
    const signerCard = region(page, 'Signing certificate');
    const password = signerCard.getByLabel('File password');
    steward.dialogs!.answerNextCertificate(join(pki, 'signer.p12'));
    await signerCard.getByRole('button', { name: 'Choose a .p12 file…' }).click();
    await signerCard.getByText('signer.p12', { exact: true }).waitFor();
    await password.fill('not-the-password');
    await signerCard.getByRole('button', { name: 'Import certificate' }).click();
    await signerCard.getByRole('alert').waitFor();
    expect(await signerCard.getByRole('alert').textContent()).not.toContain('not-the-password');
    // Emptied at submit: the password is not kept in the form, right or wrong.
    expect(await password.inputValue()).toBe('');
    await steward.screenshot('evidence-import-wrong-password');
    await password.fill(P12_PASSWORD);
    await signerCard.getByText('signer.p12', { exact: true }).scrollIntoViewIfNeeded();
    await steward.screenshot('evidence-import-p12');
    await signerCard.getByRole('button', { name: 'Import certificate' }).click();
    await signerCard.getByText('Imported from your PKI').waitFor();
    await signerCard.getByText('Northwind Evidence Signer', { exact: true }).waitFor();
    const imported = await must<{ origin: string; fingerprint: string }>(steward, 'signer.get', {});
    expect(imported.origin).toBe('imported');
    const opensslFingerprint = execFileSync(
      'openssl',
      ['x509', '-in', 'signer.pem', '-noout', '-fingerprint', '-sha256'],
      { cwd: pki, encoding: 'utf8' },
    )
      .trim()
      .split('=')[1];
    expect(imported.fingerprint).toBe(opensslFingerprint);
    await signerCard.getByLabel(`SHA-256 fingerprint ${imported.fingerprint}`).waitFor();
    expect(await page.content()).not.toContain(P12_PASSWORD);
    await steward.screenshot('evidence-signer-imported');

    // The harness records opens; the rule lives in the shell (unit-tested), and without a port the core says so.
    const withoutDesktop = await launch({ dialogs: false });
    expect((await withoutDesktop.core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(
      true,
    );
    const refused = await withoutDesktop.core.dispatch('evidence.openFile', { path: '/etc/passwd' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
    await expectCleanPage(steward);
  });
});
