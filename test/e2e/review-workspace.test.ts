import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';
import { AWS_REPORT, ENTRA_EXPORT, HR_ROSTER } from './support/import-fixtures';
import type { StewardSession } from './support/steward-page';
import { tempFolder } from '../support/temp-folder';

const OWNER = 'ana.silva@northwindlogistics.example';
const NAME = 'Q4 2026 machine identity review';

type Item = MethodOutput<'campaigns.items'>['items'][number];

function caller(steward: StewardSession) {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const result = await steward.core.dispatch(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  };
}

/**
 * A warehouse team's register: service accounts whose business owners, Ruth Raman and Chloe Abara,
 * have left (the roster has them terminated, both reporting to Elena Becker). With the Entra
 * identities they left behind, Elena's queue is long enough to move through: some stale, some
 * privileged (a justification to type), one to reassign.
 */
function warehouseRegister(): string {
  const header =
    'Record ID,Account Name,Type,System,Environment,Business Owner,Technical Owner,Last Login,Password Last Set,Privileged (Y/N),Purpose';
  const rows = [
    [
      'WH-0001',
      'svc-scanner-sync',
      'Service Account',
      'Active Directory',
      'production',
      'ruth.raman',
      'N',
      'Handheld scanner sync',
    ],
    [
      'WH-0002',
      'svc-dock-door-api',
      'API Key',
      'Dock doors',
      'production',
      'chloe.abara',
      'Y',
      'Opens dock doors for carriers',
    ],
    [
      'WH-0003',
      'svc-pallet-labels',
      'Service Account',
      'Active Directory',
      'production',
      'ruth.raman',
      'N',
      'Pallet label printing',
    ],
    [
      'WH-0004',
      'svc-yard-cameras',
      'Service Account',
      'Video',
      'production',
      'chloe.abara',
      'N',
      'Yard camera uploads',
    ],
    [
      'WH-0005',
      'svc-wms-admin',
      'Service Account',
      'WMS',
      'production',
      'ruth.raman',
      'Y',
      'WMS administration jobs',
    ],
    [
      'WH-0006',
      'svc-cycle-count',
      'Service Account',
      'WMS',
      'staging',
      'chloe.abara',
      'N',
      'Cycle count tests',
    ],
  ].map(([id, name, type, system, environment, owner, privileged, purpose]) =>
    [
      id,
      name,
      type,
      system,
      environment,
      `${owner}@northwindlogistics.example`,
      '',
      '2025-01-15',
      '2023-06-01',
      privileged,
      purpose,
    ].join(','),
  );
  const path = join(tempFolder(), 'warehouse-register.csv');
  writeFileSync(path, `${[header, ...rows].join('\n')}\n`);
  return path;
}

/** AWS credential report, Entra pages, a warehouse register and the HR roster, and a launched campaign. */
async function seedCampaign(steward: StewardSession): Promise<{ id: number; items: Item[] }> {
  const call = caller(steward);
  await call('vault.create', { passphrase: STRONG_PASSPHRASE });
  await call('people.import', { path: HR_ROSTER });
  await call('imports.run', { paths: [AWS_REPORT] });
  await call('imports.run', { paths: ENTRA_EXPORT });
  await call('imports.run', { paths: [warehouseRegister()], source: 'warehouse-register' });
  const campaign = await call<{ id: number }>('campaigns.create', {
    name: NAME,
    period: '2026-Q4',
    asOf: '2026-11-01',
    due: '2099-12-31',
    owner: OWNER,
  });
  await call('campaigns.launch', { campaignId: campaign.id, actor: OWNER });
  const { items } = await call<{ items: Item[] }>('campaigns.items', {
    campaignId: campaign.id,
    limit: 1000,
  });
  return { id: campaign.id, items };
}

async function openReview(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page
    .getByRole('button', { name: new RegExp(NAME) })
    .first()
    .click();
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Reviewing as').waitFor();
}

const panelTitle = (page: Page) => page.locator('.review-panel-title').textContent();

describe('the review workspace', () => {
  const launch = stewardLauncher();

  it('a reviewer clears their queue with the keyboard only, reassigns a leaver’s identity to the manager, undoes once and signs off', async () => {
    const steward = await launch();
    const { page } = steward;
    const call = caller(steward);
    const { id, items } = await seedCampaign(steward);

    // The reviewer: the manager of a leaver, who receives the leaver's identities (the smallest such queue).
    const orphans = items.filter((i) => i.routing.rule === 'manager-of-leaver');
    expect(orphans.length).toBeGreaterThan(0);
    const queueOf = (reviewer: string) => items.filter((i) => i.reviewer === reviewer);
    // A queue of some length, so the reviewer moves through several items around the orphan.
    const orphan = [...orphans]
      .filter((o) => queueOf(o.reviewer).length <= 25)
      .sort((a, b) => queueOf(b.reviewer).length - queueOf(a.reviewer).length)[0]!;
    expect(queueOf(orphan.reviewer).length).toBeGreaterThanOrEqual(8);
    expect(queueOf(orphan.reviewer).filter((i) => i.highRisk).length).toBeGreaterThan(0);
    const reviewer = orphan.reviewer;
    const leaver = orphan.identity.owners.find((o) => o.status === 'terminated')!;
    const [manager] = await call<Array<{ email: string; name: string }>>('people.search', {
      query: reviewer,
      limit: 1,
    });
    expect(manager!.email).toBe(reviewer);
    const queue = [...queueOf(reviewer)].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id,
    );

    await steward.load();
    await openReview(page);
    await page.getByLabel('Reviewing as').selectOption(reviewer);
    await eventually(() => page.locator('.review-progress-text').textContent()).toMatch(
      new RegExp(`0 of ${queue.length}\\s+decided`),
    );
    await eventually(() => panelTitle(page)).toBe(queue[0]!.name);
    // From here on the keyboard only: the queue takes the focus as a reviewer's Tab would give it.
    await page.locator('.queue-scroll').focus();
    await steward.screenshot('review-queue');

    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.waitFor();
    expect(await shortcuts.getByText('Undo your last decision').isVisible()).toBe(true);
    await steward.screenshot('review-shortcuts');
    await page.keyboard.press('Escape');
    await shortcuts.waitFor({ state: 'detached' });

    const decisionOf = async (itemId: number) =>
      (
        await call<{ items: Item[] }>('campaigns.items', { campaignId: id, reviewer, limit: 1000 })
      ).items.find((i) => i.id === itemId)!.decision;

    const decide = async (item: Item, screenshots: boolean) => {
      if (item.id === orphan.id) {
        await page.keyboard.press('a');
        const picker = page.getByRole('combobox', { name: 'New owner' });
        await eventually(() => picker.evaluate((el) => el === document.activeElement)).toBe(true);
        await page.keyboard.type(manager!.name);
        const listbox = page.getByRole('listbox', { name: 'Active people of the roster' });
        await eventually(() => listbox.getByRole('option').count()).toBe(1);
        const option = page
          .getByRole('listbox', { name: 'Active people of the roster' })
          .getByRole('option', { name: new RegExp(manager!.email) });
        await option.waitFor();
        // Arrow to the manager among the people the search offers.
        for (let step = 0; step < 8; step += 1) {
          if ((await option.getAttribute('aria-selected')) === 'true') break;
          await page.keyboard.press('ArrowDown');
        }
        expect(await option.getAttribute('aria-selected')).toBe('true');
        if (screenshots) await steward.screenshot('review-reassign-picker');
        await page.keyboard.press('Enter');
        await eventually(() =>
          page.evaluate(() => document.activeElement?.id === 'decision-justification'),
        ).toBe(true);
        await page.keyboard.type(`${leaver.email} left; ${manager!.name} runs the team that uses it.`);
        if (screenshots) await steward.screenshot('review-detail');
        await page.keyboard.press('Control+Enter');
      } else if (item.highRisk) {
        await page.keyboard.press('c');
        await eventually(() =>
          page.evaluate(() => document.activeElement?.id === 'decision-justification'),
        ).toBe(true);
        expect(
          await page
            .getByText('Certifying an item with a high-risk signal needs a justification')
            .first()
            .isVisible(),
        ).toBe(true);
        if (screenshots) await steward.screenshot('review-justification');
        await page.keyboard.type('Reviewed with the owning team: still needed as it is.');
        await page.keyboard.press('Control+Enter');
      } else {
        await page.keyboard.press('c');
      }
      await eventually(() => decisionOf(item.id)).toBe(item.id === orphan.id ? 'reassign' : 'certify');
    };

    let highRiskShown = false;
    for (const [index, item] of queue.entries()) {
      await eventually(() => panelTitle(page)).toBe(item.name);
      const shoot = item.id === orphan.id || (item.highRisk && !highRiskShown);
      if (item.highRisk && item.id !== orphan.id) highRiskShown = true;
      await decide(item, shoot);
      if (index < queue.length - 1) await eventually(() => panelTitle(page)).toBe(queue[index + 1]!.name);
      if (index === 0) {
        // Undo once: a new log record puts the item back to undecided, under the cursor; decide it again.
        await page.keyboard.press('u');
        await eventually(() => decisionOf(item.id)).toBe('pending');
        await eventually(() => panelTitle(page)).toBe(item.name);
        await decide(item, false);
        if (index < queue.length - 1) await eventually(() => panelTitle(page)).toBe(queue[index + 1]!.name);
      }
    }

    await eventually(() => page.locator('.review-progress-text').textContent()).toMatch(
      new RegExp(`${queue.length} of ${queue.length}\\s+decided`),
    );
    await page.keyboard.press('s');
    const signOff = page.getByRole('dialog', { name: 'Sign off your review' });
    await signOff.waitFor();
    expect(await signOff.textContent()).toContain(
      `I, ${manager!.name} (${reviewer}), attest that I reviewed the ${queue.length} machine identities assigned to me in ${NAME}`,
    );
    await steward.screenshot('review-signoff');
    await page.keyboard.press('Enter');
    await signOff.waitFor({ state: 'detached' });
    await page.locator('.review-signed').waitFor();

    const status = await call<MethodOutput<'campaigns.status'>>('campaigns.status', { campaignId: id });
    expect(status.byReviewer.find((r) => r.reviewer === reviewer)).toMatchObject({
      total: queue.length,
      decided: queue.length,
      signedOffAt: expect.any(String),
    });
    const decided = (
      await call<{ items: Item[] }>('campaigns.items', { campaignId: id, reviewer, limit: 1000 })
    ).items;
    for (const item of decided) {
      if (item.id === orphan.id)
        expect(item).toMatchObject({
          decision: 'reassign',
          newOwner: reviewer,
          justification: expect.stringContaining('left'),
        });
      else
        expect(item).toMatchObject({
          decision: 'certify',
          justification: item.highRisk ? 'Reviewed with the owning team: still needed as it is.' : null,
        });
    }
    expect(await call('log.verify', {})).toMatchObject({ ok: true, broken: null });
    await expectCleanPage(steward);
  });

  it('decides a filtered selection in bulk after a confirmation naming its signals', async () => {
    const steward = await launch();
    const { page } = steward;
    const call = caller(steward);
    const { id, items } = await seedCampaign(steward);
    const mine = items.filter((i) => i.reviewer === OWNER);
    const stale = mine.filter((i) => i.signals.some((s) => s.code === 'stale'));
    expect(stale.length).toBeGreaterThan(1);

    await steward.load();
    await openReview(page);
    await page.getByLabel('Reviewing as').selectOption(OWNER);
    await eventually(() => page.locator('.review-progress-text').textContent()).toMatch(
      new RegExp(`0 of ${mine.length}\\s+decided`),
    );
    await page.locator('.queue-body-row').nth(5).waitFor();
    await steward.screenshot('review-queue-campaign-owner');
    await page.getByLabel('Signal').selectOption('stale');
    await page.getByRole('button', { name: `Select all ${stale.length} matching` }).click();
    await page.getByRole('button', { name: 'Revoke selected…' }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke ${stale.length} items?` });
    await dialog.waitFor();
    await dialog.getByText('Stale', { exact: true }).waitFor();
    await dialog.getByLabel(/Justification/).fill('Unused for months: removing.');
    await steward.screenshot('review-bulk-confirm');
    await dialog.getByRole('button', { name: `Revoke ${stale.length}` }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(`Decided ${stale.length} items.`).waitFor();
    const after = (
      await call<{ items: Item[] }>('campaigns.items', { campaignId: id, reviewer: OWNER, limit: 1000 })
    ).items;
    for (const item of stale) expect(after.find((i) => i.id === item.id)!.decision).toBe('revoke');
    expect(await call('log.verify', {})).toMatchObject({ ok: true, broken: null });
    await expectCleanPage(steward);
  });
});
