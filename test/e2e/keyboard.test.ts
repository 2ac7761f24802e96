import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { STRONG_PASSPHRASE, expectCleanPage, stewardLauncher } from './support/e2e-helpers';

interface FocusedElement {
  name: string;
  tag: string;
  ringVisible: boolean;
  insideViewport: boolean;
}

/** What has focus now, and whether a user can see that it has: an outline or a box-shadow ring. */
async function focused(page: Page): Promise<FocusedElement> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body)
      return { name: '', tag: 'body', ringVisible: false, insideViewport: false };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const box = element.getBoundingClientRect();
    const label =
      element.getAttribute('aria-label') ?? (element as HTMLInputElement).labels?.[0]?.textContent ?? '';
    return {
      name: (label || element.textContent || '').trim(),
      tag: element.tagName.toLowerCase(),
      ringVisible: outline || shadow,
      insideViewport: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    };
  });
}

async function tab(page: Page, shift = false): Promise<FocusedElement> {
  await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  return focused(page);
}

describe('keyboard only', () => {
  const launch = stewardLauncher();

  it('unlocks and walks the whole navigation with Tab, with a visible focus ring on every stop', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    expect((await core.dispatch('vault.lock', {})).ok).toBe(true);
    await steward.load();
    await page.getByRole('heading', { name: 'Unlock northwind-q3-review' }).waitFor();

    // The unlock screen: the field has focus at once, then the button, then the way to another vault.
    const start = await focused(page);
    expect(start).toMatchObject({ tag: 'input', name: 'Passphrase', ringVisible: true });
    expect(await tab(page)).toMatchObject({ tag: 'button', name: 'Unlock', ringVisible: true });
    expect(await tab(page)).toMatchObject({ tag: 'button', name: 'Use another vault…', ringVisible: true });
    await steward.screenshot('keyboard-unlock-focus');
    expect(await tab(page, true)).toMatchObject({ name: 'Unlock' });
    expect(await tab(page, true)).toMatchObject({ name: 'Passphrase' });

    await page.keyboard.type(STRONG_PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Steward' }).waitFor();

    // From the top of the app frame, Tab reaches every navigation item in order, then the top bar.
    const stops: FocusedElement[] = [];
    for (let presses = 0; presses < 12; presses += 1) {
      const stop = await tab(page);
      stops.push(stop);
      if (stop.name === 'Lock') break;
    }
    const names = stops.map((stop) => stop.name);
    expect(names).toEqual([
      'Skip to content',
      'Inventory',
      'Imports',
      'Connectors',
      'Campaigns',
      'Evidence',
      'Settings',
      expect.stringContaining('northwind-q3-review'),
      'Lock',
    ]);
    for (const stop of stops)
      expect(stop, `focus ring on "${stop.name}"`).toMatchObject({ ringVisible: true, insideViewport: true });
    await steward.screenshot('keyboard-topbar-focus');

    // The vault name's tooltip gives the whole folder path to keyboard users too.
    expect(await tab(page, true)).toMatchObject({ name: expect.stringContaining('northwind-q3-review') });
    await page.getByRole('tooltip').getByText(steward.vaultFolder).waitFor();
    await steward.screenshot('keyboard-vault-tooltip');

    // Enter on a navigation item opens its page and marks it current.
    await tab(page, true);
    expect(await focused(page)).toMatchObject({ name: 'Settings' });
    await tab(page, true);
    expect(await focused(page)).toMatchObject({ name: 'Evidence' });
    await steward.screenshot('keyboard-nav-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Evidence' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Evidence', exact: true }).getAttribute('aria-current'),
    ).toBe('page');

    // Space works as well, and Settings' form fields come next in Tab order.
    await tab(page);
    await page.keyboard.press('Space');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await tab(page);
    await tab(page);
    expect(await tab(page)).toMatchObject({ tag: 'input', name: 'Current passphrase', ringVisible: true });
    await expectCleanPage(steward);
  });

  it('skips straight to the page content', async () => {
    const steward = await launch();
    const { page, core } = steward;
    expect((await core.dispatch('vault.create', { passphrase: STRONG_PASSPHRASE })).ok).toBe(true);
    await steward.load();
    await page.getByRole('navigation', { name: 'Steward' }).waitFor();

    expect(await tab(page)).toMatchObject({
      name: 'Skip to content',
      ringVisible: true,
      insideViewport: true,
    });
    await steward.screenshot('keyboard-skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await expectCleanPage(steward);
  });
});
