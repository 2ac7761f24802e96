import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';

describe('lock and unlock', () => {
  const launch = stewardLauncher();

  it('locks, refuses a wrong passphrase in the core’s words, then unlocks', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();
    await page.getByRole('navigation', { name: 'Steward' }).waitFor();

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock northwind-q3-review' }).waitFor();
    const locked = await core.dispatch('vault.status', {});
    expect(locked.ok && locked.value.state).toBe('locked');
    expect(await page.getByText(steward.vaultFolder, { exact: true }).isVisible()).toBe(true);
    await steward.screenshot('unlock');
    // Unlocking rates nothing, so the megabyte of password dictionaries is never fetched for it.
    expect(steward.requestedPaths.filter((path) => path.includes('strength-estimator'))).toEqual([]);

    // What the core itself says about this passphrase; the page must show exactly that.
    const wrong = 'tundra walnut ledger prism!';
    const refusal = await core.dispatch('vault.unlock', { passphrase: wrong });
    expect(refusal.ok).toBe(false);
    const coreMessage = refusal.ok ? '' : refusal.error.message;

    const field = page.getByLabel('Passphrase', { exact: true });
    await field.fill(wrong);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText(coreMessage, { exact: true }).waitFor();

    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(
      describedBy
        .split(' ')
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions).toContain(coreMessage);
    await eventually(() => field.evaluate((input) => document.activeElement === input)).toBe(true);
    const stillLocked = await core.dispatch('vault.status', {});
    expect(stillLocked.ok && stillLocked.value.state).toBe('locked');
    await steward.screenshot('unlock-wrong-passphrase');

    // Typing again starts a new attempt: the field is no longer marked invalid.
    await field.fill(STRONG_PASSPHRASE);
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    await field.press('Enter');
    await page.getByRole('navigation', { name: 'Steward' }).waitFor();
    const unlocked = await core.dispatch('vault.status', {});
    expect(unlocked.ok && unlocked.value.state).toBe('unlocked');
    await expectCleanPage(steward);
  });

  it('follows a lock that happens outside the page, as from the app menu', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();
    await page.getByRole('navigation', { name: 'Steward' }).waitFor();

    // The vault.changed event alone must bring the page to the Unlock screen.
    expect((await core.dispatch('vault.lock', {})).ok).toBe(true);
    await page.getByRole('heading', { name: 'Unlock northwind-q3-review' }).waitFor();
    await expectCleanPage(steward);
  });

  it('puts an unexpected failure above the button with a sentence of its own, not on the field', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    expect((await core.dispatch('vault.lock', {})).ok).toBe(true);
    // A database file gone missing behind Steward's back is nothing the core anticipates: INTERNAL.
    rmSync(join(steward.vaultFolder, 'steward.db'));
    const failure = await core.dispatch('vault.unlock', { passphrase: STRONG_PASSPHRASE });
    expect(failure.ok ? null : failure.error.code).toBe('INTERNAL');
    const coreMessage = failure.ok ? '' : failure.error.message;

    await steward.load();
    const field = page.getByLabel('Passphrase', { exact: true });
    await field.fill(STRONG_PASSPHRASE);
    await field.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getByText('Steward ran into an unexpected problem.').isVisible()).toBe(true);
    expect(await alert.getByText(coreMessage, { exact: true }).isVisible()).toBe(true);
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    await steward.screenshot('unlock-internal-error');
    expect(await steward.cspViolations()).toEqual([]);
  });
});
