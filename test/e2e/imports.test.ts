import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';
import {
  AWS_REPORT,
  EUROPEAN_REGISTER,
  HR_ROSTER,
  KUBERNETES_PAIR,
  RAGGED_REGISTER,
  ENTRA_EXPORT,
  writeGeneratedAwsReport,
} from './support/import-fixtures';
import type { StewardSession } from './support/steward-page';

async function openImports(steward: StewardSession): Promise<void> {
  const { page, core } = steward;
  expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
  await steward.load();
  await page.getByRole('button', { name: 'Imports', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
}

function importPanel(page: Page) {
  return page.getByRole('region', { name: 'Import an export' });
}

/** Starts importing a generated 100,000-row credential report through the panel, and returns it. */
async function startLargeImport(steward: StewardSession) {
  await openImports(steward);
  const large = join(tempFolder('steward-large-'), 'iam_credential_report_100k.csv');
  await writeGeneratedAwsReport(large, 100_000);
  const panel = importPanel(steward.page);
  steward.dialogs!.answerNextFiles([large]);
  await panel.getByRole('button', { name: 'Choose files…' }).click();
  await panel.getByText('Recognised as').waitFor();
  await panel.getByRole('button', { name: 'Import', exact: true }).click();
  return panel;
}

async function identityTotal(steward: StewardSession): Promise<number> {
  const listed = await steward.core.dispatch('identities.list', { offset: 0, limit: 1 });
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.total;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('imports', () => {
  const launch = stewardLauncher();

  it('imports the AWS credential report chosen in the file dialog, then lists its 46 identities', async () => {
    const steward = await launch();
    const { page } = steward;
    await openImports(steward);
    const panel = importPanel(page);
    await panel.getByText(/CSV, Excel or JSON from AWS/).waitFor();
    await page.getByRole('region', { name: 'Import history' }).getByText('Nothing imported yet').waitFor();
    await steward.screenshot('imports-empty');

    steward.dialogs!.answerNextFiles([AWS_REPORT]);
    await panel.getByRole('button', { name: 'Choose files…' }).click();
    await panel.getByText('Recognised as').waitFor();
    expect(await panel.locator('.detected-label').textContent()).toBe('AWS IAM credential report');
    await panel.getByText('iam_credential_report.csv', { exact: true }).waitFor();
    // The first rows as the file shows them: the header on row 1, backup-bot on row 5.
    const firstRows = panel.getByRole('region', { name: 'First rows of the file' });
    expect(await firstRows.locator('thead th').first().textContent()).toContain('1');
    expect(await firstRows.getByRole('row', { name: /^5 backup-bot/ }).count()).toBe(1);
    // A recognised vendor export needs no column mapping.
    expect(await panel.getByRole('heading', { name: /Column mapping/ }).count()).toBe(0);
    await steward.screenshot('imports-preview-recognised');

    await panel.getByRole('button', { name: 'Import', exact: true }).click();
    await panel.getByText('Imported 46 identities into aws:731846209152.').waitFor();
    const stat = (label: string) =>
      panel.locator('.stat', { has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) });
    expect(await stat('Imported').locator('.stat-value').textContent()).toBe('46');
    expect(await stat('Rejected').locator('.stat-value').textContent()).toBe('0');
    expect(await stat('Added').locator('.stat-value').textContent()).toBe('46');
    expect(await stat('Not seen').locator('.stat-value').textContent()).toBe('0');
    expect(await panel.getByText('Full export', { exact: true }).count()).toBe(1);
    expect(await panel.locator('.hash-text').first().textContent()).toBe(sha256(AWS_REPORT));
    await panel.getByText('Every row was read without a problem.').waitFor();
    expect(await identityTotal(steward)).toBe(46);

    // The history lists the import; its files and hashes open on demand.
    const history = page.getByRole('region', { name: 'Import history' });
    await history.getByRole('cell', { name: 'aws:731846209152' }).waitFor();
    await history.getByRole('button', { name: /Files of snapshot/ }).click();
    await history.getByText(sha256(AWS_REPORT)).waitFor();

    // The inventory follows the import without a reload.
    await page.getByRole('button', { name: 'Inventory', exact: true }).click();
    await page.getByText('46 identities').waitFor();
    await page.getByRole('row', { name: /backup-bot/ }).waitFor();

    // The same file again adds nothing and says so plainly.
    await page.getByRole('button', { name: 'Imports', exact: true }).click();
    await panel.getByRole('button', { name: 'Import other files' }).click();
    steward.dialogs!.answerNextFiles([AWS_REPORT]);
    await panel.getByRole('button', { name: 'Choose files…' }).click();
    await panel.getByRole('button', { name: 'Import', exact: true }).click();
    await panel
      .getByText(/These exact files were imported on .+ as snapshot 1; nothing was added\./)
      .waitFor();
    expect(await identityTotal(steward)).toBe(46);
    await expectCleanPage(steward);
  });

  it('previews the Kubernetes pair dropped on the window and shows the rejects of a ragged register', async () => {
    const steward = await launch();
    const { page, core } = steward;
    await openImports(steward);
    const panel = importPanel(page);
    const zone = panel.locator('.drop-zone');

    // Dragging files over the zone highlights it; the drop itself is the page's to cancel.
    const files = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['{}'], 'serviceaccounts.json', { type: 'application/json' }));
      return transfer;
    });
    await zone.dispatchEvent('dragenter', { dataTransfer: files });
    await zone.dispatchEvent('dragover', { dataTransfer: files });
    expect(await zone.getAttribute('data-active')).toBe('true');
    await zone.dispatchEvent('drop', { dataTransfer: files });
    expect(await zone.getAttribute('data-active')).toBeNull();
    // What the preload does with the paths it read from the drop.
    expect((await core.dispatch('imports.announceDroppedFiles', { paths: KUBERNETES_PAIR })).ok).toBe(true);

    await panel.getByText('Recognised as').waitFor();
    expect(await panel.locator('.detected-label').textContent()).toBe(
      'Kubernetes service accounts (kubectl)',
    );
    const chosen = panel.getByRole('list', { name: 'Chosen files' });
    await chosen.getByText('serviceaccounts.json').waitFor();
    await chosen.getByText('clusterrolebindings.json').waitFor();
    await panel.getByText(/73 identities · 0 rejects · 3 notes/).waitFor();
    await panel.getByRole('button', { name: 'Import 2 files' }).click();
    await panel.getByText('Imported 73 identities into kubernetes.').waitFor();
    const problems = panel.getByRole('region', { name: 'Rejected rows and notes' });
    expect(await problems.getByRole('row').count()).toBe(4);

    // A register with duplicate and ragged rows: each reject says where and why.
    await panel.getByRole('button', { name: 'Import other files' }).click();
    steward.dialogs!.answerNextFiles([RAGGED_REGISTER]);
    await panel.getByRole('button', { name: 'Choose files…' }).click();
    await panel.getByRole('heading', { name: /Column mapping/ }).waitFor();
    await panel.getByRole('button', { name: 'Import', exact: true }).click();
    await panel.getByText(/Imported 18 identities/).waitFor();
    const rejects = panel.getByRole('region', { name: 'Rejected rows and notes' });
    expect(await rejects.getByRole('row').filter({ hasText: 'Rejected' }).count()).toBe(5);
    await panel.getByText('5 rows rejected, 0 notes').waitFor();
    await steward.screenshot('imports-result-rejects');

    const saved = join(tempFolder('steward-rejects-'), 'rejects.csv');
    steward.dialogs!.answerNextSave(saved);
    await panel.getByRole('button', { name: 'Export rejects…' }).click();
    await panel.getByText(`Saved 5 rows to ${saved}`).waitFor();
    expect(readFileSync(saved, 'utf8').split('\n')[0]).toContain('reason');

    const history = page.getByRole('region', { name: 'Import history' });
    await history.getByRole('button', { name: 'Files of snapshot 2' }).click();
    await history.getByText('5 rows rejected, 0 notes').waitFor();
    await history
      .getByRole('heading', { name: 'Import history' })
      .evaluate((heading) => heading.scrollIntoView());
    await steward.screenshot('imports-history');
    await expectCleanPage(steward);
  });

  it('maps the columns of a register no vendor preset knows, and reuses the saved mapping next time', async () => {
    const steward = await launch();
    const { page } = steward;
    await openImports(steward);
    const panel = importPanel(page);

    steward.dialogs!.answerNextFiles([EUROPEAN_REGISTER]);
    await panel.getByRole('button', { name: 'Choose files…' }).click();
    const mapping = panel.getByRole('region', { name: /Column mapping/ });
    await mapping.waitFor();
    await panel
      .getByText(/windows-1252/)
      .first()
      .waitFor();
    await panel.getByText(/separated by semicolons/).waitFor();
    // Steward's proposal, read from the column names.
    const field = (label: string) => mapping.getByLabel(label, { exact: true });
    const selected = (label: string) =>
      field(label).evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text);
    expect(await selected('Account name')).toBe('Account Name');
    expect(await selected('Business owner')).toBe('Owner');
    expect(await selected('Last used')).toBe('Last Login');
    expect(await selected('Privileged (yes/no)')).toBe('Privileged (Y/N)');
    expect(await selected('Description or purpose')).toBe('Not in this file');
    // The German umlauts decoded from cp1252, as the first value of the owner column.
    expect(await mapping.locator('tr[data-field="businessOwner"] .mapping-example').textContent()).toBe(
      'Jürgen Müller',
    );

    // Correct one field: the system column describes what each account is for.
    await field('Description or purpose').selectOption({ label: 'System' });
    await mapping.locator('tr[data-field="description"]').getByText('Your choice').waitFor();
    await mapping.evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await steward.screenshot('imports-mapping');

    await panel.getByRole('button', { name: 'Import', exact: true }).click();
    await panel.getByText(/Imported 45 identities/).waitFor();
    await panel.getByText('Inventory table, your column mapping').waitFor();
    expect(await identityTotal(steward)).toBe(45);

    // The same layout again: the confirmed mapping comes back, correction included.
    await panel.getByRole('button', { name: 'Import other files' }).click();
    steward.dialogs!.answerNextFiles([EUROPEAN_REGISTER]);
    await panel.getByRole('button', { name: 'Choose files…' }).click();
    await panel.getByText('Saved mapping.').waitFor();
    await eventually(() => selected('Description or purpose')).toBe('System');
    expect(await mapping.locator('tr[data-field="description"]').getByText('Saved').count()).toBe(1);
    await expectCleanPage(steward);
  });

  it('imports the HR roster, and the inventory shows which owners have left', async () => {
    const steward = await launch();
    const { page, core } = steward;
    await openImports(steward);
    expect((await core.dispatch('imports.run', { paths: ENTRA_EXPORT })).ok).toBe(true);

    const roster = page.getByRole('region', { name: 'HR roster' });
    steward.dialogs!.answerNextFiles([HR_ROSTER]);
    await roster.getByRole('button', { name: 'Import roster…' }).click();
    await roster.getByText('Roster imported.').waitFor();
    const stat = (label: string) =>
      roster.locator('.stat', { has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) });
    expect(await stat('Active').locator('.stat-value').textContent()).toBe('134');
    expect(await stat('Terminated').locator('.stat-value').textContent()).toBe('16');
    expect(await stat('Rejected').locator('.stat-value').textContent()).toBe('0');
    expect(await roster.locator('.hash-text').textContent()).toBe(sha256(HR_ROSTER));

    await page.getByRole('button', { name: 'Inventory', exact: true }).click();
    await page.getByRole('row', { name: /Backup Vault Reporter/ }).waitFor();
    const terminated = await core.dispatch('identities.list', {
      offset: 0,
      limit: 1,
      ownerStatus: 'terminated',
    });
    if (!terminated.ok) throw new Error(terminated.error.message);
    expect(terminated.value.total).toBeGreaterThan(0);
    await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Terminated' });
    await page.getByText(`${terminated.value.total} identities match the filters`).waitFor();
    const row = page.getByRole('row', { name: /Backup Vault Reporter/ });
    expect(await row.getByText('chloe.abara@northwindlogistics.example').count()).toBe(1);
    const badge = row.locator('.badge-danger', { hasText: 'Terminated' });
    expect(await badge.count()).toBe(1);
    await expectCleanPage(steward);
  });

  it('cancels a running import: nothing is imported and the vault is as it was', async () => {
    const steward = await launch();
    const { page } = steward;
    await openImports(steward);
    const big = join(tempFolder('steward-big-'), 'iam_credential_report_300k.csv');
    await writeGeneratedAwsReport(big, 300_000);
    const before = await identityTotal(steward);

    const panel = importPanel(page);
    steward.dialogs!.answerNextFiles([big]);
    await panel.getByRole('button', { name: 'Choose files…' }).click();
    await panel.getByText('Recognised as').waitFor();
    await panel.getByRole('button', { name: 'Import', exact: true }).click();

    // Progress comes as events: rows read so far and the rate, under an indeterminate bar.
    const progress = panel.getByRole('progressbar', { name: 'Import progress' });
    await progress.waitFor();
    await panel.getByText(/rows a second/).waitFor({ timeout: 30_000 });
    expect(await progress.getAttribute('aria-valuetext')).toMatch(/^Importing rows: [\d,]+ rows read$/);
    await steward.screenshot('imports-progress');

    await panel.getByRole('button', { name: 'Cancel import' }).click();
    await panel
      .getByText('Import cancelled. Nothing was imported; the vault is as it was.')
      .waitFor({ timeout: 30_000 });
    expect(await identityTotal(steward)).toBe(before);
    const snapshots = await steward.core.dispatch('snapshots.list', { limit: 10 });
    expect(snapshots.ok && snapshots.value.length).toBe(0);
    // The preview is back, ready to try again.
    await panel.getByRole('button', { name: 'Import', exact: true }).waitFor();
    await expectCleanPage(steward);
  });

  it('says what a large import still does once its rows are read, and offers no cancel once it is saved', async () => {
    const steward = await launch();
    const panel = await startLargeImport(steward);

    // Computing today's risk signals for 100,000 identities takes seconds, after the commit.
    await panel
      .getByText("Saved. Computing today's risk signals for the inventory…")
      .waitFor({ timeout: 60_000 });
    // That stage has a known length: the bar and the numbers count the identities evaluated.
    const progress = panel.getByRole('progressbar', { name: 'Import progress' });
    await eventually(async () =>
      /of 100,000 identities$/.test((await progress.getAttribute('aria-valuetext')) ?? ''),
    ).toBe(true);
    expect(await progress.getAttribute('aria-valuetext')).toMatch(
      /^Saved\. Computing today's risk signals for the inventory: [\d,]+ of 100,000 identities$/,
    );
    await panel.getByText('100,000 rows imported').waitFor();
    expect(await panel.getByRole('button', { name: 'Cancel import' }).isDisabled()).toBe(true);
    await steward.screenshot('imports-progress-saved');

    await panel.getByText(/^Imported 100,000 identities into /).waitFor({ timeout: 60_000 });
    expect(await identityTotal(steward)).toBe(100_000);
    await expectCleanPage(steward);
  });

  it('while a large import is written, other pages say so, then fill themselves in when it is done', async () => {
    const steward = await launch();
    const { page } = steward;
    const panel = await startLargeImport(steward);
    await panel.getByRole('progressbar', { name: 'Import progress' }).waitFor();

    // The vault is lent to the import: the page's answer is a wait in the import's words, not a failure.
    await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
    const waiting = page.getByRole('status').filter({ hasText: 'An import is being written to the vault.' });
    await waiting.waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // The top bar says what the vault is doing, whatever page is open.
    await page.locator('.background-work').getByText('Writing an import to the vault…').waitFor();
    await steward.screenshot('campaigns-while-importing');

    // Nobody clicks: once the vault is back the page asks again (nothing about an import refreshes
    // campaigns otherwise), and shows what it has to show.
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor({ timeout: 90_000 });
    expect(await waiting.count()).toBe(0);
    expect(await identityTotal(steward)).toBe(100_000);
    await expectCleanPage(steward);
  });

  it('reaches Choose files… from the keyboard and opens the dialog with Enter', async () => {
    const steward = await launch();
    const { page } = steward;
    await openImports(steward);
    const choose = importPanel(page).getByRole('button', { name: 'Choose files…' });
    // From the Imports navigation item, the next stops are the vault, Lock, then the page.
    for (let presses = 0; presses < 10; presses += 1) {
      await page.keyboard.press('Tab');
      if (await choose.evaluate((button) => button === document.activeElement)) break;
    }
    expect(await choose.evaluate((button) => button === document.activeElement)).toBe(true);
    steward.dialogs!.answerNextFiles(null);
    await page.keyboard.press('Enter');
    // A cancelled dialog leaves the page as it was.
    await choose.waitFor();
    expect(await page.getByText('Recognised as').count()).toBe(0);
    await expectCleanPage(steward);
  });
});
