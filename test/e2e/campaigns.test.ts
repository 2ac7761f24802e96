import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';
import { AWS_REPORT, ENTRA_EXPORT, HR_ROSTER } from './support/import-fixtures';

const OWNER = 'ana.silva@northwindlogistics.example';
const NAME = 'Q4 2026 Entra app review';
const AS_OF = '2026-11-01';

type Item = MethodOutput<'campaigns.items'>['items'][number];

function dayFromToday(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

describe('campaigns: the campaign owner’s screens', () => {
  const launch = stewardLauncher();

  it('creates a scoped campaign with a preview, launches it, follows it, reassigns a queue, extends the due date and closes it with an exception', async () => {
    const steward = await launch();
    const { page, core } = steward;
    const call = async <T>(method: string, input: unknown): Promise<T> => {
      const result = await core.dispatch(method, input);
      if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
      return result.value as T;
    };
    await call('vault.create', { passphrase: STRONG_PASSPHRASE });
    await call('people.import', { path: HR_ROSTER });
    await call('imports.run', { paths: [AWS_REPORT] });
    await call('imports.run', { paths: ENTRA_EXPORT });
    await steward.load();

    // The empty list says what a campaign is and offers to start one.
    await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'No campaigns yet' }).waitFor();
    await steward.screenshot('campaigns-empty');

    // Create: name, dates, owner, a scope of the Entra source; the preview counts what launch would freeze.
    await page.getByRole('button', { name: 'New campaign' }).click();
    const dialog = page.getByRole('dialog', { name: 'New campaign' });
    await dialog.getByLabel('Name').fill(NAME);
    await dialog.getByLabel('As of').fill(AS_OF);
    const due = dayFromToday(20);
    await dialog.getByLabel('Due').fill(due);
    await dialog.getByLabel('Campaign owner').fill(OWNER);
    const expectedAll = await call<MethodOutput<'campaigns.previewScope'>>('campaigns.previewScope', {
      scope: {},
      asOf: AS_OF,
    });
    const preview = dialog.getByRole('complementary', { name: 'Scope preview' });
    await eventually(() => preview.locator('.preview-number').textContent()).toBe(
      String(expectedAll.identities),
    );
    await dialog.getByRole('checkbox', { name: /^entra/ }).check();
    const expected = await call<MethodOutput<'campaigns.previewScope'>>('campaigns.previewScope', {
      scope: { sources: ['entra'] },
      asOf: AS_OF,
      owner: OWNER,
    });
    expect(expected.identities).toBeLessThan(expectedAll.identities);
    await eventually(() => preview.locator('.preview-number').textContent()).toBe(
      String(expected.identities),
    );
    await eventually(() => preview.getByText('High risk').locator('..').locator('dd').textContent()).toBe(
      String(expected.highRisk),
    );
    expect(await dialog.getByText('Nobody reviews an identity they alone own').isVisible()).toBe(true);
    await steward.screenshot('campaign-create');

    // Launch asks first, and says what launching freezes.
    await dialog.getByRole('button', { name: 'Review and launch…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Launch this campaign?' });
    await confirm
      .getByText(
        `freezes the population: ${expected.identities} identities, their owners, credentials, entitlements and signals as of`,
      )
      .waitFor();
    expect(await confirm.getByText('Later imports do not change this campaign.').isVisible()).toBe(true);
    await steward.screenshot('campaign-launch-confirm');
    await confirm.getByRole('button', { name: 'Launch campaign' }).click();

    // The launched campaign opens; its Overview shows progress by reviewer, decision and signal.
    await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
    const [campaign] = await call<MethodOutput<'campaigns.list'>>('campaigns.list', {});
    expect(campaign).toMatchObject({ name: NAME, state: 'open', items: expected.identities, owner: OWNER });
    expect(campaign!.scope.sources).toEqual(['entra']);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByText(`Acting as`).waitFor();
    expect(await page.getByText('(campaign owner)').isVisible()).toBe(true);
    const reviewers = page.getByRole('region', { name: 'Progress by reviewer' });
    for (const { reviewer } of expected.reviewers)
      expect(await reviewers.getByRole('rowheader', { name: reviewer }).isVisible()).toBe(true);
    const byDecision = page.getByRole('figure', { name: /By decision/ });
    expect(
      await byDecision.getByRole('img', { name: `Undecided: ${expected.identities} items` }).isVisible(),
    ).toBe(true);
    const bySignal = page.getByRole('figure', { name: /By signal/ });
    const signalBars = await bySignal.getByRole('img').count();
    expect(signalBars).toBe(expected.bySignal.length);
    await steward.screenshot('campaign-overview');
    await bySignal.scrollIntoViewIfNeeded();
    await steward.screenshot('campaign-overview-charts');

    // Reassign one reviewer's whole undecided queue to another person of the roster.
    const from = expected.reviewers.find((r) => r.reviewer !== OWNER && r.count > 1)!;
    await reviewers.getByRole('button', { name: `Reassign the undecided items of ${from.reviewer}` }).click();
    const reassign = page.getByRole('dialog', { name: 'Reassign reviews' });
    expect(await reassign.getByLabel('From reviewer').inputValue()).toBe(from.reviewer);
    await reassign.getByRole('searchbox', { name: 'To' }).fill('Aisha Torres');
    await reassign.getByRole('radio', { name: /Aisha Torres/ }).check();
    await reassign.getByLabel('Reason').fill('Elena is on leave until January; Aisha covers the Entra apps.');
    await steward.screenshot('campaign-reassign');
    await reassign.getByRole('button', { name: `Move ${from.count} items` }).click();
    await page
      .getByRole('status')
      .getByText(`Moved ${from.count} items from ${from.reviewer} to aisha.torres`)
      .waitFor();
    await reviewers.getByRole('rowheader', { name: 'aisha.torres@northwindlogistics.example' }).waitFor();
    expect(await reviewers.getByRole('rowheader', { name: from.reviewer }).count()).toBe(0);
    const moved = await call<{ items: Item[] }>('campaigns.items', {
      campaignId: campaign!.id,
      reviewer: 'aisha.torres@northwindlogistics.example',
      limit: 1000,
    });
    expect(moved.items).toHaveLength(from.count);

    // Extend the due date, with a reason. Acting as somebody else, the core refuses and says who may.
    const keiko = 'keiko.jensen@northwindlogistics.example';
    await page.getByRole('button', { name: `Change who you act as (now ${OWNER})` }).click();
    await page.getByRole('textbox', { name: 'Acting as' }).fill(keiko);
    await page.getByRole('button', { name: 'Use' }).click();
    await page.getByText('(not the campaign owner)').waitFor();
    const later = dayFromToday(45);
    const extendAs = async () => {
      await page.getByRole('button', { name: 'Extend due date…' }).click();
      const extend = page.getByRole('dialog', { name: 'Extend the due date' });
      await extend.getByLabel('New due date').fill(later);
      await extend.getByLabel('Reason').fill('Two reviewers are out for the year-end freeze.');
      await extend.getByRole('button', { name: 'Extend' }).click();
      return extend;
    };
    const refused = await extendAs();
    await refused.getByRole('alert').getByText(`Only the campaign owner (${OWNER})`).waitFor();
    await refused.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: `Change who you act as (now ${keiko})` }).click();
    await page.getByRole('textbox', { name: 'Acting as' }).fill(OWNER);
    await page.getByRole('button', { name: 'Use' }).click();
    await page.getByText('(campaign owner)').waitFor();
    await extendAs();
    await page.getByRole('status').getByText('The due date is now').waitFor();
    expect((await call<{ due: string }>('campaigns.get', { campaignId: campaign!.id })).due).toBe(later);

    // Every reviewer decides their items but one, which the owner carries past the close as an exception.
    const { items } = await call<{ items: Item[] }>('campaigns.items', {
      campaignId: campaign!.id,
      limit: 1000,
    });
    const [kept, ...rest] = items;
    for (const item of rest)
      await call('decisions.record', {
        campaignId: campaign!.id,
        itemId: item.id,
        decision: 'certify',
        justification: 'Still in use by its team; owner confirmed.',
        actor: item.reviewer,
      });
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Close campaign…' }).click();
    const close = page.getByRole('dialog', { name: 'Close the campaign' });
    await close.getByText('1 item is still undecided.', { exact: false }).waitFor();
    expect(await close.getByText(/reviewers have not signed off/).isVisible()).toBe(true);
    const closeButton = close.getByRole('button', { name: 'Close with 1 exception' });
    expect(await closeButton.isDisabled()).toBe(true);
    const reason = 'Owner on leave until January; risk accepted by the CISO.';
    await close.getByLabel(`Exception reason for ${kept!.name}`).fill(reason);
    await steward.screenshot('campaign-close');
    await closeButton.click();

    // Closed: read-only, said so, no owner actions left.
    await page.getByText('This campaign is read-only').waitFor();
    await page.getByText('Read-only', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Close campaign…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reassign…' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Extend due date…' }).count()).toBe(0);
    expect(
      await page
        .getByRole('figure', { name: /By decision/ })
        .getByRole('img', { name: 'Exception: 1 items' })
        .isVisible(),
    ).toBe(true);
    const after = await call<{ items: Item[] }>('campaigns.items', {
      campaignId: campaign!.id,
      decision: 'exception',
      limit: 10,
    });
    expect(after.items.map((i) => [i.id, i.justification])).toEqual([[kept!.id, reason]]);
    expect(await call<{ ok: boolean }>('log.verify', {})).toMatchObject({ ok: true });
    await steward.screenshot('campaign-closed');

    // The list: state, dates and progress of each campaign, an overdue one and a draft among them.
    const overdue = await call<{ id: number }>('campaigns.create', {
      name: 'Q3 2026 AWS IAM users',
      period: '2026-Q3',
      asOf: '2026-09-30',
      due: '2026-10-31',
      owner: OWNER,
      scope: { kinds: ['iam-user'] },
    });
    await call('campaigns.launch', { campaignId: overdue.id, actor: OWNER });
    await call('campaigns.create', {
      name: 'Q1 2027 privileged identities',
      period: '2027-Q1',
      asOf: '2027-01-02',
      due: '2027-01-31',
      owner: OWNER,
      scope: { signals: ['privileged', 'third-party'] },
    });
    await page.getByRole('button', { name: 'All campaigns' }).click();
    // Made through the core, not this window: coming back to the page reads the list again.
    await page.getByRole('button', { name: 'Inventory', exact: true }).click();
    await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('button', { name: /Q1 2027 privileged identities/ }).waitFor();
    const overdueRow = page.getByRole('row', { name: /Q3 2026 AWS IAM users/ });
    expect(await overdueRow.getByText('Overdue').isVisible()).toBe(true);
    expect(
      await page
        .getByRole('row', { name: /Q1 2027/ })
        .getByText('Not launched')
        .isVisible(),
    ).toBe(true);
    const row = page.getByRole('row', { name: new RegExp(NAME) });
    await row.getByRole('button', { name: new RegExp(NAME) }).waitFor();
    expect(await row.getByText('Closed').isVisible()).toBe(true);
    expect(await row.getByText(`${expected.identities} / ${expected.identities}`).isVisible()).toBe(true);
    await steward.screenshot('campaigns-list');

    // A draft opens on its Overview, states its scope, and launches after the same confirmation.
    await page.getByRole('button', { name: /Q1 2027 privileged identities/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Scope of this draft' }).waitFor();
    expect(await page.getByText('Privileged, Third party').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Launch…' }).click();
    const launchDraft = page.getByRole('dialog', { name: 'Launch this campaign?' });
    const draftPreview = await call<MethodOutput<'campaigns.previewScope'>>('campaigns.previewScope', {
      scope: { signals: ['privileged', 'third-party'] },
      asOf: '2027-01-02',
      owner: OWNER,
    });
    await launchDraft.getByText(`freezes the population: ${draftPreview.identities} identities`).waitFor();
    await launchDraft.getByRole('button', { name: 'Launch campaign' }).click();
    await page.getByRole('status').getByText(`Launched: ${draftPreview.identities} items are`).waitFor();
    expect(await page.getByText('Open', { exact: true }).first().isVisible()).toBe(true);
    await expectCleanPage(steward);
  });
});
