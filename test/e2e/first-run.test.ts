import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { MIN_PASSPHRASE_LENGTH } from '../../shared/api/schemas/vault';
import { tempFolder } from '../support/temp-folder';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';

describe('first run', () => {
  const launch = stewardLauncher();

  it('creates a vault after checking strength and the repeated passphrase, then opens the app', async () => {
    const steward = await launch();
    const { page } = steward;
    await steward.load();

    await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
    expect(await page.getByText(steward.vaultFolder, { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('cannot be recovered').isVisible()).toBe(true);
    await steward.screenshot('first-run');

    const passphrase = page.getByLabel('Passphrase', { exact: true });
    const repeat = page.getByLabel('Repeat passphrase', { exact: true });
    const meter = page.getByRole('meter', { name: 'Passphrase strength' });
    expect(await passphrase.evaluate((input) => document.activeElement === input)).toBe(true);

    // A famous password is rated weak with zxcvbn's advice, and refused.
    await passphrase.fill('password1234');
    await eventually(() => meter.getAttribute('aria-valuetext')).toMatch(/weak/i);
    await eventually(() => page.locator('.strength-hint').textContent()).toContain('commonly used password');
    expect(
      steward.requestedPaths.filter((path) => /\/assets\/strength-estimator-[\w-]+\.js$/.test(path)),
    ).toHaveLength(1);
    await repeat.fill('password1234');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByText('This passphrase is too easy to guess.').waitFor();
    expect(await passphrase.getAttribute('aria-invalid')).toBe('true');
    expect(existsSync(join(steward.vaultFolder, 'vault.json'))).toBe(false);

    // Too short is explained with the contract's minimum.
    await passphrase.fill('short words');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByText(`Use at least ${MIN_PASSPHRASE_LENGTH} characters (1 more).`).waitFor();

    // A strong passphrase; a repeat that cannot match says so while typing.
    await passphrase.fill(STRONG_PASSPHRASE);
    await eventually(() => meter.getAttribute('aria-valuetext')).toMatch(/strong/i);
    await repeat.fill('tundra walnut ledger prisn');
    await page.getByText('The two passphrases do not match.').waitFor();
    expect(await repeat.getAttribute('aria-invalid')).toBe('true');
    await steward.screenshot('first-run-mismatch');

    // The busy state shows while the core derives the key; the call is held so the test cannot race it.
    await repeat.fill(STRONG_PASSPHRASE);
    expect(await page.getByText('The two passphrases do not match.').count()).toBe(0);
    const creation = steward.holdNext('vault.create');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await creation.arrived();
    const busyButton = page.getByRole('button', { name: 'Creating vault…' });
    await busyButton.waitFor();
    expect(await busyButton.isDisabled()).toBe(true);
    expect(await busyButton.getAttribute('aria-busy')).toBe('true');
    await steward.screenshot('first-run-creating');
    creation.release();

    await page.getByRole('navigation', { name: 'Steward' }).waitFor();
    const status = await steward.core.dispatch('vault.status', {});
    expect(status.ok && status.value.state).toBe('unlocked');
    expect(existsSync(join(steward.vaultFolder, 'vault.json'))).toBe(true);

    const inventory = page.getByRole('button', { name: 'Inventory', exact: true });
    expect(await inventory.getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inventory');
    await steward.screenshot('inventory');

    for (const area of ['Imports', 'Connectors', 'Campaigns', 'Evidence']) {
      await page.getByRole('button', { name: area, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: area }).waitFor();
      expect(await page.getByRole('button', { name: area, exact: true }).getAttribute('aria-current')).toBe(
        'page',
      );
      expect(await inventory.getAttribute('aria-current')).toBeNull();
      await steward.screenshot(area.toLowerCase());
    }
    await expectCleanPage(steward);
  });

  it('switches to another vault folder chosen in the desktop dialog', async () => {
    const otherFolder = join(tempFolder('steward-e2e-other-'), 'payments-vault');
    const seeding = createCore({ vaultFolder: otherFolder });
    const created = await seeding.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE });
    expect(created.ok).toBe(true);
    seeding.close();

    const steward = await launch();
    const { page } = steward;
    await steward.load();
    await page.getByRole('heading', { name: 'Create your vault' }).waitFor();

    // A cancelled dialog changes nothing.
    steward.dialogs!.answerNext(null);
    await page.getByRole('button', { name: 'Open another vault folder…' }).click();
    await eventually(() => steward.dialogs!.requests).toEqual(['open']);
    expect(await page.getByRole('heading', { name: 'Create your vault' }).isVisible()).toBe(true);

    steward.dialogs!.answerNext(otherFolder);
    await page.getByRole('button', { name: 'Open another vault folder…' }).click();
    await page.getByRole('heading', { name: 'Unlock payments-vault' }).waitFor();
    expect(await page.getByText(otherFolder, { exact: true }).isVisible()).toBe(true);
    expect(steward.dialogs!.requests).toEqual(['open', 'open']);
    await expectCleanPage(steward);
  });

  it("shows the core's words when this build cannot open a folder dialog", async () => {
    const steward = await launch({ dialogs: false });
    const { page } = steward;
    await steward.load();

    const expected = await steward.core.dispatch('vault.chooseFolder', { purpose: 'open' });
    expect(expected.ok).toBe(false);
    const message = expected.ok ? '' : expected.error.message;

    await page.getByRole('button', { name: 'Open another vault folder…' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(message);
    await steward.screenshot('first-run-folder-not-available');
    await expectCleanPage(steward);
  });
});
