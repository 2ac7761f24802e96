import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { substituteConnector } from '../../electron/core/connectors/connector-lookup';
import { loopbackConnector, loopbackItems, LoopbackSource } from '../support/loopback-connector';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';

const TOKEN = 'ghp_E2EtestTOKENvalue0000000000000000c0de';

/**
 * The Connectors page against a loopback source in this process (the core runs here too): add a
 * profile, test it, pull with progress and cancel, pull again, see past pulls, find the identities in
 * the Inventory. The test's own connector takes the GitHub type's place, with its options and secrets.
 */
describe('connectors', () => {
  const launch = stewardLauncher();
  let source: LoopbackSource;
  let restore: () => void;

  beforeEach(async () => {
    source = await new LoopbackSource({ token: TOKEN, items: loopbackItems(5), pageSize: 2 }).start();
    restore = substituteConnector(loopbackConnector());
  });
  afterEach(async () => {
    restore();
    await source.stop();
  });

  it('adds a profile, tests it, cancels and completes a pull, and shows the identities in the Inventory', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();
    await page.getByRole('button', { name: 'Connectors', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Connectors' }).waitFor();
    await page.getByText('No connectors yet').waitFor();
    await steward.screenshot('connectors-empty');

    await page.getByRole('button', { name: 'Add connector' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a connector' });
    await dialog.getByLabel('Type').selectOption('github');
    // Nothing filled in: each required field says so, and nothing is sent.
    await dialog.getByRole('button', { name: 'Add connector' }).click();
    await dialog.getByText('Give the connector a name.').waitFor();
    await dialog.getByText('Organisation is required.').waitFor();
    await dialog.getByText('Token is required.').waitFor();
    await steward.screenshot('connectors-add-invalid');

    await dialog.getByLabel('Name').fill('nwl-github');
    await dialog.getByLabel('Organisation').fill('northwind-logistics');
    await dialog.getByLabel('API base URL (optional)').fill(source.baseUrl);
    const token = dialog.getByLabel('Token');
    expect(await token.getAttribute('type')).toBe('password');
    await token.fill(TOKEN);
    await steward.screenshot('connectors-add-filled');
    await dialog.getByRole('button', { name: 'Add connector' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.getByRole('region', { name: 'nwl-github' });
    await card.getByText('ghp_…c0de').waitFor();
    await card.getByText('Never pulled').waitFor();
    expect(await page.content()).not.toContain(TOKEN);

    await card.getByRole('button', { name: 'Test' }).click();
    const checks = card.getByRole('list', { name: 'Connection test of nwl-github' });
    await checks.getByText('Sign in').waitFor();
    expect(await checks.getByRole('img', { name: 'Passed' }).count()).toBe(2);

    // A pull held at its first page: the progress shows, and cancel stops it with nothing written.
    source.settings.holdPages = true;
    await card.getByRole('button', { name: 'Pull now' }).click();
    await card.getByRole('progressbar', { name: 'Pull of nwl-github' }).waitFor();
    await source.pageRequested();
    await card.getByText(/Reading identities, page 1/).waitFor();
    await steward.screenshot('connectors-pulling');
    await card.getByRole('button', { name: 'Cancel pull' }).click();
    await card.getByRole('alert').getByText('The pull was cancelled. Nothing was written.').waitFor();

    source.settings.holdPages = false;
    source.release();
    await card.getByRole('button', { name: 'Pull now' }).click();
    await card.getByText(/Snapshot \d+: 5 identities \(5 new, 0 changed, 0 no longer listed\)/).waitFor();
    await card.locator('summary', { hasText: 'Past pulls (2)' }).click();
    const pulls = card.getByRole('table', { name: 'Past pulls of nwl-github' });
    await pulls.getByText('Cancelled', { exact: true }).waitFor();
    await pulls.getByText(/5 identities, snapshot \d+/).waitFor();
    await eventually(() => card.getByText(/Pulled/).count()).toBeGreaterThan(0);
    await steward.screenshot('connectors-pulled');

    await page.getByRole('button', { name: 'Inventory', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Inventory' }).waitFor();
    await page.getByRole('row', { name: /deploy-bot-1/ }).waitFor();
    expect(await page.getByRole('row', { name: /nwl-github/ }).count()).toBe(5);

    // Removing the profile deletes its credentials; what it pulled stays.
    await page.getByRole('button', { name: 'Connectors', exact: true }).click();
    await page.getByRole('button', { name: 'Remove nwl-github' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove nwl-github?' });
    await steward.screenshot('connectors-remove');
    await confirm.getByRole('button', { name: 'Remove connector' }).click();
    await page
      .getByRole('status')
      .getByText(/Removed the connector "nwl-github".*1 snapshot/)
      .waitFor();
    await page.getByText('No connectors yet').waitFor();
    const listed = await core.dispatch('identities.list', { offset: 0, limit: 1 });
    expect(listed.ok && listed.value.total).toBe(5);
    await expectCleanPage(steward);
  });

  it('shows the core’s message when the source refuses the credentials', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await core.dispatch('connectors.add', {
      name: 'stale-token',
      type: 'github',
      options: { org: 'northwind-logistics', baseUrl: source.baseUrl },
      secrets: { token: 'ghp_revokedrevokedrevokedrevoked9999' },
    });
    await steward.load();
    await page.getByRole('button', { name: 'Connectors', exact: true }).click();
    const card = page.getByRole('region', { name: 'stale-token' });
    await card.getByRole('button', { name: 'Test' }).click();
    const checks = card.getByRole('list', { name: 'Connection test of stale-token' });
    await checks
      .getByText(/The server refused the token/)
      .first()
      .waitFor();
    expect(await checks.getByRole('img', { name: 'Failed' }).count()).toBe(2);
    await card.getByRole('button', { name: 'Pull now' }).click();
    await card
      .getByRole('alert')
      .getByText(/The server refused the token/)
      .waitFor();
    expect(await page.content()).not.toContain('ghp_revokedrevoked');
    await steward.screenshot('connectors-refused');

    // Replacing the token fixes it: the new one is used at once, and never shown.
    await card.getByRole('button', { name: 'Replace credentials of stale-token' }).click();
    const rotate = page.getByRole('dialog', { name: 'Replace credentials of stale-token' });
    await rotate.getByLabel('Token').fill(TOKEN);
    await steward.screenshot('connectors-rotate');
    await rotate.getByRole('button', { name: 'Replace credentials' }).click();
    await rotate.waitFor({ state: 'detached' });
    await card.getByText('ghp_…c0de').waitFor();
    await card.getByRole('button', { name: 'Test' }).click();
    await eventually(() => checks.getByRole('img', { name: 'Passed' }).count()).toBe(2);
    expect(await page.content()).not.toContain(TOKEN);
    await expectCleanPage(steward);
  });
});
