import { describe, expect, it } from 'vitest';
import {
  OTHER_STRONG_PASSPHRASE,
  STRONG_PASSPHRASE,
  eventually,
  expectCleanPage,
  stewardLauncher,
} from './support/e2e-helpers';

describe('settings', () => {
  const launch = stewardLauncher();

  it('changes the passphrase: the old one stops working, the new one unlocks', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Settings', exact: true }).getAttribute('aria-current'),
    ).toBe('page');

    // The Vault and About sections show what the core reports.
    const info = await core.dispatch('app.info', {});
    const status = await core.dispatch('vault.status', {});
    if (!info.ok || !status.ok) throw new Error('The core did not answer app.info and vault.status.');
    const about = page.getByRole('region', { name: 'About' });
    await about.getByText(info.value.runtime, { exact: true }).waitFor();
    expect(await about.getByText(info.value.version, { exact: true }).isVisible()).toBe(true);
    expect(await about.getByText(info.value.name, { exact: true }).isVisible()).toBe(true);
    const vault = page.getByRole('region', { name: 'Vault' });
    expect(await vault.getByText(status.value.folder, { exact: true }).isVisible()).toBe(true);
    expect(await vault.getByText(status.value.kdf!, { exact: false }).isVisible()).toBe(true);
    const createdYear = new Date(status.value.createdAt!).getFullYear().toString();
    expect(await vault.locator('dd').nth(1).textContent()).toContain(createdYear);
    await steward.screenshot('settings');

    const form = page.getByRole('region', { name: 'Change passphrase' });
    const current = form.getByLabel('Current passphrase');
    const next = form.getByLabel('New passphrase', { exact: true });
    const repeat = form.getByLabel('Repeat new passphrase');
    const submit = form.getByRole('button', { name: 'Change passphrase' });

    // A wrong current passphrase is refused next to its field, in the core's words.
    await current.fill('not the passphrase at all');
    await next.fill(OTHER_STRONG_PASSPHRASE);
    await repeat.fill(OTHER_STRONG_PASSPHRASE);
    await submit.click();
    await eventually(() => current.getAttribute('aria-invalid')).toBe('true');
    const refusal = await core.dispatch('vault.changePassphrase', {
      currentPassphrase: 'not the passphrase at all',
      newPassphrase: OTHER_STRONG_PASSPHRASE,
    });
    expect(refusal.ok).toBe(false);
    expect(await form.getByText(refusal.ok ? '' : refusal.error.message, { exact: true }).isVisible()).toBe(
      true,
    );

    await current.fill(STRONG_PASSPHRASE);
    const meter = form.getByRole('meter', { name: 'Passphrase strength' });
    await eventually(() => meter.getAttribute('aria-valuetext')).toMatch(/strong/i);
    await submit.click();
    const success = form.getByRole('status');
    await success.getByText('Passphrase changed.').waitFor();
    expect(await current.inputValue()).toBe('');
    await steward.screenshot('settings-passphrase-changed');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    const field = page.getByLabel('Passphrase', { exact: true });
    await field.fill(STRONG_PASSPHRASE);
    await field.press('Enter');
    await eventually(() => field.getAttribute('aria-invalid')).toBe('true');
    const stillLocked = await core.dispatch('vault.status', {});
    expect(stillLocked.ok && stillLocked.value.state).toBe('locked');

    await field.fill(OTHER_STRONG_PASSPHRASE);
    await field.press('Enter');
    await page.getByRole('navigation', { name: 'Steward' }).waitFor();
    await expectCleanPage(steward);
  });
});
