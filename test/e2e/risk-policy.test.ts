import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_POLICY, RISK_POLICY_FIELDS } from '../../shared/domain/risk';
import { STRONG_PASSPHRASE, eventually, expectCleanPage, stewardLauncher } from './support/e2e-helpers';
import type { StewardSession } from './support/steward-page';
import { RISK_POLICY_KEY } from '../../electron/core/risk/risk-policy-store';
import { Vault } from '../../electron/core/vault/vault';

async function savedPolicy(steward: StewardSession) {
  const state = await steward.core.dispatch('policy.get', {});
  if (!state.ok) throw new Error(state.error.message);
  return state.value;
}

async function openRiskPolicy(steward: StewardSession): Promise<Locator> {
  const { page } = steward;
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const card = page.getByRole('region', { name: 'Risk policy' });
  await card.getByLabel(RISK_POLICY_FIELDS.staleDays.label).waitFor();
  return card;
}

describe('risk policy', () => {
  const launch = stewardLauncher();

  it('saves thresholds, patterns and high-risk signals that outlast a reload, refuses invalid values, restores the defaults', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();
    let card = await openRiskPolicy(steward);

    // The defaults are stated beside each field, and every signal shows its OWASP NHI risk.
    const stale = () => card.getByLabel(RISK_POLICY_FIELDS.staleDays.label);
    expect(await stale().inputValue()).toBe('90');
    expect(await card.getByText('Default: 90', { exact: true }).isVisible()).toBe(true);
    expect(await card.getByText('Default: 365', { exact: true }).isVisible()).toBe(true);
    expect(await card.getByText('Default: 5', { exact: true }).isVisible()).toBe(true);
    expect(await card.getByText('None added. Default: none.').isVisible()).toBe(true);
    const staleSignal = () => card.getByRole('checkbox', { name: 'Stale', exact: true });
    const privilegedSignal = () => card.getByRole('checkbox', { name: 'Privileged', exact: true });
    expect(await staleSignal().isChecked()).toBe(false);
    expect(await privilegedSignal().isChecked()).toBe(true);
    expect(await staleSignal().getAttribute('aria-describedby')).toBeTruthy();
    expect(await card.getByText('Improper Offboarding').first().isVisible()).toBe(true);
    expect(await card.getByText('Overprivileged NHI').isVisible()).toBe(true);
    expect(await card.getByRole('button', { name: 'Restore defaults' }).isDisabled()).toBe(true);

    // Change stale days, add a pattern, make Stale high risk and Privileged not; Save.
    await stale().fill('60');
    const patternField = card.getByRole('textbox', { name: RISK_POLICY_FIELDS.privilegedNamePatterns.label });
    await patternField.fill('*Admin*');
    await patternField.press('Enter');
    await patternField.fill('db_owner');
    await card.getByRole('button', { name: 'Add', exact: true }).click();
    await card
      .getByRole('heading', { name: 'Risk policy' })
      .evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await steward.screenshot('settings-risk-policy');
    await card.getByRole('button', { name: 'Remove db_owner' }).click();
    // Keyboard: Tab reaches a signal's checkbox, Space ticks it.
    await card.getByRole('checkbox', { name: 'Never used', exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await staleSignal().evaluate((box) => box === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    expect(await staleSignal().isChecked()).toBe(true);
    await privilegedSignal().click();
    await card.getByRole('button', { name: 'Save risk policy' }).click();
    await card.getByRole('status').getByText('Risk policy saved.').waitFor();
    await steward.screenshot('settings-risk-policy-saved');

    const saved = await savedPolicy(steward);
    expect(saved.isDefault).toBe(false);
    expect(saved.policy.staleDays).toBe(60);
    expect(saved.policy.privilegedNamePatterns).toEqual(['*Admin*']);
    expect(saved.policy.highRiskSignals).toContain('stale');
    expect(saved.policy.highRiskSignals).not.toContain('privileged');

    // A fresh page reads the policy back from the vault.
    await page.reload();
    await page.locator('#root > *').first().waitFor();
    card = await openRiskPolicy(steward);
    await eventually(() => stale().inputValue()).toBe('60');
    expect(await staleSignal().isChecked()).toBe(true);
    expect(await privilegedSignal().isChecked()).toBe(false);
    expect(await card.getByText('*Admin*', { exact: true }).isVisible()).toBe(true);

    // Out of range: the core's message beside the field, focus on it, and nothing saved.
    for (const invalid of ['0', '99999', '']) {
      await stale().fill(invalid);
      await card.getByRole('button', { name: 'Save risk policy' }).click();
      await eventually(() => stale().getAttribute('aria-invalid')).toBe('true');
      const refusal = await core.dispatch('policy.update', {
        policy: { ...saved.policy, staleDays: Number(invalid) },
      });
      expect(refusal.ok).toBe(false);
      const fieldMessage = `${RISK_POLICY_FIELDS.staleDays.label} must be a whole number of days from 1 to 3650.`;
      expect(refusal.ok ? '' : refusal.error.message).toContain(fieldMessage);
      expect(await card.getByText(fieldMessage, { exact: true }).isVisible()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
      expect(await card.getByText('Risk policy saved.').count()).toBe(0);
      expect((await savedPolicy(steward)).policy).toEqual(saved.policy);
    }
    // Two fields wrong at once: each gets its own message.
    const credentialAge = card.getByLabel(RISK_POLICY_FIELDS.maxCredentialAgeDays.label);
    await credentialAge.fill('0');
    await card.getByRole('button', { name: 'Save risk policy' }).click();
    await eventually(() => credentialAge.getAttribute('aria-invalid')).toBe('true');
    expect(await stale().getAttribute('aria-invalid')).toBe('true');
    expect(
      await card
        .getByText(
          `${RISK_POLICY_FIELDS.maxCredentialAgeDays.label} must be a whole number of days from 1 to 3650.`,
          { exact: true },
        )
        .isVisible(),
    ).toBe(true);
    await steward.screenshot('settings-risk-policy-invalid');
    await credentialAge.fill('365');
    // Typing again clears the message.
    await stale().fill('45');
    expect(await stale().getAttribute('aria-invalid')).toBeNull();

    // Restore defaults fills the form in; Save makes it the policy.
    await card.getByRole('button', { name: 'Restore defaults' }).click();
    expect(await stale().inputValue()).toBe(String(DEFAULT_RISK_POLICY.staleDays));
    expect(await staleSignal().isChecked()).toBe(false);
    expect(await privilegedSignal().isChecked()).toBe(true);
    expect(await card.getByText('None added. Default: none.').isVisible()).toBe(true);
    await card.getByRole('status').getByText('Save to use it.').waitFor();
    expect((await savedPolicy(steward)).policy.staleDays).toBe(60);
    await card.getByRole('button', { name: 'Save risk policy' }).click();
    await card.getByRole('status').getByText('Risk policy saved.').waitFor();
    // The form lists signals in the reading order of the signals, so compare them as a set.
    const restored = (await savedPolicy(steward)).policy;
    expect({ ...restored, highRiskSignals: [...restored.highRiskSignals].sort() }).toEqual({
      ...DEFAULT_RISK_POLICY,
      highRiskSignals: [...DEFAULT_RISK_POLICY.highRiskSignals].sort(),
    });
    expect(await card.getByRole('button', { name: 'Restore defaults' }).isDisabled()).toBe(true);
    await expectCleanPage(steward);
  });

  it('warns when the saved policy could not be used, and saving a valid one clears the warning', async () => {
    const steward = await launch();
    const { core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    // A policy written by hand (or by a newer Steward) that this one refuses.
    expect((await core.dispatch('vault.lock', {})).ok).toBe(true);
    const byHand = new Vault(steward.vaultFolder);
    await byHand.unlock(STRONG_PASSPHRASE);
    byHand.database
      .prepare('INSERT INTO vault_meta (key, value) VALUES (?, ?)')
      .run(RISK_POLICY_KEY, JSON.stringify({ ...DEFAULT_RISK_POLICY, staleDays: 0 }));
    byHand.lock();
    expect((await core.dispatch('vault.unlock', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    const state = await savedPolicy(steward);
    expect(state.problem).toBeTruthy();

    await steward.load();
    const card = await openRiskPolicy(steward);
    const warning = card.getByRole('alert');
    await warning.getByText(state.problem!, { exact: true }).waitFor();
    expect(await card.getByLabel(RISK_POLICY_FIELDS.staleDays.label).inputValue()).toBe('90');
    await card
      .getByRole('heading', { name: 'Risk policy' })
      .evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await steward.screenshot('settings-risk-policy-problem');

    await card.getByRole('button', { name: 'Save risk policy' }).click();
    await card.getByRole('status').getByText('Risk policy saved.').waitFor();
    expect(await warning.count()).toBe(0);
    expect((await savedPolicy(steward)).problem).toBeNull();
    await expectCleanPage(steward);
  });
});
