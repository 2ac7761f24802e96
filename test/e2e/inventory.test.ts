import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract';
import { tempFolder } from '../support/temp-folder';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';
import {
  AWS_REPORT,
  ENTRA_EXPORT,
  HR_ROSTER,
  KUBERNETES_PAIR,
  generatedName,
  writeChangedAwsReport,
  writeGeneratedAwsReport,
} from './support/import-fixtures';
import type { StewardSession } from './support/steward-page';

const GENERATED = 100_000;

async function list(steward: StewardSession, input: Partial<MethodInput<'identities.list'>>) {
  const listed = await steward.core.dispatch('identities.list', { offset: 0, limit: 1, ...input });
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value;
}

async function seed(steward: StewardSession, input: MethodInput<'imports.run'>): Promise<void> {
  const imported = await steward.core.dispatch('imports.run', input);
  if (!imported.ok) throw new Error(imported.error.message);
}

/** The rows the list holds in the DOM right now, as [aria-rowindex, name]. */
async function renderedRows(page: Page): Promise<Array<[number, string]>> {
  return page
    .locator('.inventory-scroll [role="row"]')
    .evaluateAll((rows) =>
      rows.map((row) => [
        Number(row.getAttribute('aria-rowindex')),
        row.querySelector('.cell-name')?.textContent ?? '',
      ]),
    );
}

async function focusedIs(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector);
}

describe('inventory', () => {
  const launch = stewardLauncher();

  it('says there is nothing yet and leads to Imports', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();
    await page.getByRole('heading', { level: 1, name: 'Inventory' }).waitFor();
    await page.getByRole('heading', { name: 'No identities yet' }).waitFor();
    await steward.screenshot('inventory-empty');
    await page.getByRole('button', { name: 'Go to Imports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
    await expectCleanPage(steward);
  });

  it('scrolls, sorts, filters and searches 100,000 identities, and opens one with its history', async () => {
    const steward = await launch();
    const { page, core } = steward;
    const folder = tempFolder('steward-inventory-');
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);

    // A large account of its own, then the fixture's account twice (a quarter apart), Kubernetes,
    // Entra ID and the roster: several sources, kinds, owners, and a history to show.
    const big = join(folder, 'generated_credential_report.csv');
    await writeGeneratedAwsReport(big, GENERATED);
    await seed(steward, { paths: [big] });
    const before = join(folder, 'iam_credential_report.csv');
    copyFileSync(AWS_REPORT, before);
    await seed(steward, { paths: [before] });
    const after = join(folder, 'iam_credential_report_next_quarter.csv');
    writeChangedAwsReport(after);
    await seed(steward, { paths: [after] });
    await seed(steward, { paths: KUBERNETES_PAIR });
    await seed(steward, { paths: ENTRA_EXPORT });
    expect((await core.dispatch('people.import', { path: HR_ROSTER })).ok).toBe(true);
    const everyone = await list(steward, {});
    expect(everyone.total).toBeGreaterThan(GENERATED);

    await steward.load();
    await page.getByRole('heading', { level: 1, name: 'Inventory' }).waitFor();
    const grid = page.getByRole('grid', { name: 'Identities' });
    const body = page.locator('.inventory-scroll');
    const count = page.locator('.inventory-count');
    await eventually(() => count.textContent()).toBe(`${everyone.total.toLocaleString('en-US')} identities`);
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(everyone.total + 1));
    const first = await list(steward, { sort: 'name', direction: 'asc' });
    await eventually(async () => (await renderedRows(page))[0]).toEqual([2, first.items[0]!.name]);
    await steward.screenshot('inventory-list');

    // Keyboard: from the search box, Tab walks the filters to the column headers and into the rows.
    await page.keyboard.press('/');
    expect(await focusedIs(page, 'input[type="search"]')).toBe(true);
    const stops: string[] = [];
    for (let presses = 0; presses < 16 && !(await focusedIs(page, '.inventory-scroll')); presses += 1) {
      await page.keyboard.press('Tab');
      stops.push(
        await page.evaluate(() => {
          const element = document.activeElement as HTMLInputElement | null;
          return (element?.labels?.[0]?.textContent ?? element?.textContent ?? '').trim();
        }),
      );
    }
    expect(await focusedIs(page, '.inventory-scroll')).toBe(true);
    // Each filter, then the sortable column headers, then the rows (the date field has a stop per part).
    const distinct = stops.slice(0, -1).filter((stop, index, all) => stop !== all[index - 1]);
    expect(distinct).toEqual([
      'Source',
      'Kind',
      'Environment',
      'Owner',
      'Signal',
      'As of',
      'Name',
      'Kind',
      'Source',
      'Last used',
    ]);

    // End goes to the last of 100,000+ rows: it is rendered with its name, and only a window of rows exists.
    await page.keyboard.press('End');
    const last = await list(steward, { sort: 'name', direction: 'asc', offset: everyone.total - 1 });
    await eventually(async () => (await renderedRows(page)).at(-1)).toEqual([
      everyone.total + 1,
      last.items[0]!.name,
    ]);
    expect((await renderedRows(page)).length).toBeLessThan(200);
    expect(
      await page.locator(`[role="row"][aria-rowindex="${everyone.total + 1}"]`).getAttribute('aria-selected'),
    ).toBe('true');
    // Scrolling the container by hand lands in the middle, where the generated rows are in index order.
    await body.evaluate((element) => {
      element.scrollTop = element.scrollHeight / 2;
    });
    // The rows are read once, in the poll that saw them loaded: a second read could land mid re-render.
    let middle: Array<[number, string]> = [];
    await eventually(async () => {
      middle = (await renderedRows(page)).filter(([, name]) => name.startsWith('svc-gen-'));
      const consecutive = middle.slice(0, 10).every(([index], offset) => index === middle[0]![0] + offset);
      return middle.length >= 10 && consecutive && Number(middle[0]![1].slice('svc-gen-'.length)) > 0;
    }).toBe(true);
    const expected = await list(steward, { sort: 'name', direction: 'asc', offset: middle[0]![0] - 2 });
    expect(middle[0]![1]).toBe(expected.items[0]!.name);
    // Neighbouring rows hold neighbouring identities: no page was skipped or shown twice.
    const firstNumber = Number(middle[0]![1].slice('svc-gen-'.length));
    expect(middle.slice(0, 10).map(([, name]) => name)).toEqual(
      Array.from({ length: 10 }, (_, offset) => generatedName(firstNumber + offset)),
    );
    expect((await renderedRows(page)).length).toBeLessThan(200);

    // Sort by name, descending (it was ascending): the server sorts, the header says so.
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    const nameHeader = page.getByRole('columnheader', { name: 'Name' });
    await eventually(() => nameHeader.getAttribute('aria-sort')).toBe('descending');
    const descending = await list(steward, { sort: 'name', direction: 'desc' });
    await eventually(async () => (await renderedRows(page))[0]).toEqual([2, descending.items[0]!.name]);

    // Filter by kind: the count follows the filter.
    await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Kubernetes SA (73)' });
    await eventually(() => count.textContent()).toBe('73 identities match the filters');
    await eventually(() => grid.getAttribute('aria-rowcount')).toBe('74');
    expect(await page.locator('.inventory-scroll .col-kind').first().textContent()).toBe('Kubernetes SA');
    await steward.screenshot('inventory-filtered');
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // Filter by risk signal: the same identities the core lists for it, each row showing its badges.
    const old = await list(steward, { signal: 'credential-old' });
    expect(old.total).toBeGreaterThan(0);
    await page
      .getByLabel('Signal', { exact: true })
      .selectOption({ label: `Old credential (${old.total.toLocaleString('en-US')})` });
    await eventually(() => count.textContent()).toBe(
      `${old.total.toLocaleString('en-US')} ${old.total === 1 ? 'identity matches' : 'identities match'} the filters`,
    );
    // The filtered signal comes first in every row's badges.
    await eventually(() =>
      page
        .locator('.inventory-scroll [role="row"]')
        .first()
        .locator('.col-signals .badge')
        .first()
        .textContent(),
    ).toBe('Old credential');
    await steward.screenshot('inventory-signal-filter');
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // Search, debounced: one identity, with its credentials, entitlements and history in the panel.
    await page.getByLabel('Search').fill('backup-bot');
    await eventually(() => count.textContent()).toBe('1 identity matches the filters');
    const row = page.getByRole('row', { name: /backup-bot/ });
    await row.waitFor();
    await body.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: 'backup-bot' });
    await panel.waitFor();
    const credentials = panel.getByRole('region', { name: /Credentials/ });
    await credentials.getByText('Access key').waitFor();
    await credentials.getByText('Inactive').waitFor();
    await panel.getByRole('region', { name: /Entitlements/ }).waitFor();
    // Every signal the core computed, with its reason and OWASP NHI risk.
    const signals = panel.getByRole('region', { name: /Risk signals/ });
    const expectedSignals = (await list(steward, { search: 'backup-bot' })).items[0]!.signals;
    expect(expectedSignals.length).toBeGreaterThan(0);
    for (const signal of expectedSignals) await signals.getByText(signal.reason, { exact: true }).waitFor();
    await signals
      .getByText(/NHI1 Improper Offboarding/)
      .first()
      .waitFor();
    const history = panel.getByRole('region', { name: /History/ });
    await history.getByText('Changed').waitFor();
    await history.getByText('First imported').waitFor();
    expect(await history.locator('.change-removed').first().textContent()).toContain('active');
    expect(await history.locator('.change-added').first().textContent()).toContain('inactive');
    await steward.screenshot('inventory-detail');
    await history.evaluate((section) => section.scrollIntoView({ block: 'end' }));
    await steward.screenshot('inventory-detail-history');

    // Escape closes the panel; the list keeps the focus.
    await page.keyboard.press('Escape');
    await eventually(() => panel.count()).toBe(0);
    expect(await focusedIs(page, '.inventory-scroll')).toBe(true);

    // Another as-of date: its risk signals are computed for every identity, off the thread that answers
    // the window, and the page says how far that is until the list comes back for that date.
    await page.getByLabel('Search').fill('');
    await eventually(() => count.textContent()).toBe(`${everyone.total.toLocaleString('en-US')} identities`);
    await page.getByLabel('As of').fill('2025-01-15');
    const computing = page.getByRole('progressbar', { name: /Computing the risk signals as of/ });
    await computing.waitFor();
    expect(await computing.getAttribute('aria-valuetext')).toMatch(
      new RegExp(`^[\\d,]+ of ${everyone.total.toLocaleString('en-US')} identities$`),
    );
    // Every page waits for it, so the top bar says so whatever page is open.
    await page
      .getByRole('banner')
      .getByRole('status')
      .getByText(/^Computing risk signals as of Jan 15, 2025/)
      .waitFor();
    await steward.screenshot('inventory-computing-signals');
    await computing.waitFor({ state: 'detached', timeout: 120_000 });
    await eventually(() => count.textContent()).toBe(`${everyone.total.toLocaleString('en-US')} identities`);
    const signalsThen = await list(steward, { asOf: '2025-01-15', search: 'backup-bot' });
    expect(signalsThen.asOf).toBe('2025-01-15');
    // The signal filter counts at that date too (credentials were younger then), and the list agrees.
    const oldThen = await list(steward, { asOf: '2025-01-15', signal: 'credential-old' });
    expect(oldThen.total).not.toBe(old.total);
    await page
      .getByLabel('Signal', { exact: true })
      .selectOption({ label: `Old credential (${oldThen.total.toLocaleString('en-US')})` });
    await eventually(() => count.textContent()).toBe(
      `${oldThen.total.toLocaleString('en-US')} ${oldThen.total === 1 ? 'identity matches' : 'identities match'} the filters`,
    );
    await expectCleanPage(steward);
  }, 300_000);

  it('moves the selection with the arrow keys and follows it in the detail panel', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await seed(steward, { paths: ENTRA_EXPORT });
    expect((await core.dispatch('people.import', { path: HR_ROSTER })).ok).toBe(true);
    const firstTwo = await list(steward, { limit: 2, sort: 'name', direction: 'asc' });

    await steward.load();
    const body = page.locator('.inventory-scroll');
    await page.getByRole('row', { name: new RegExp(firstTwo.items[0]!.name) }).waitFor();
    await body.focus();
    expect(await page.locator('[role="row"][aria-selected="true"]').getAttribute('aria-rowindex')).toBe('2');
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: firstTwo.items[0]!.name }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('complementary', { name: firstTwo.items[1]!.name }).waitFor();
    expect(await body.getAttribute('aria-activedescendant')).toBe('inventory-row-1');
    await page.keyboard.press('ArrowUp');
    await page.getByRole('complementary', { name: firstTwo.items[0]!.name }).waitFor();

    // A click opens a row too; the As of date changes who counts as terminated.
    await page.getByRole('row', { name: /Backup Vault Reporter/ }).click();
    const panel = page.getByRole('complementary', { name: 'Backup Vault Reporter' });
    await panel.getByText('Terminated', { exact: true }).waitFor();
    await page.getByLabel('As of').fill('2020-01-01');
    await eventually(() =>
      page
        .getByRole('row', { name: /Backup Vault Reporter/ })
        .locator('.col-owner .badge-danger')
        .count(),
    ).toBe(0);
    await expectCleanPage(steward);
  });
});
