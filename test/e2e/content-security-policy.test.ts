import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';
import { rendererBuild } from './support/steward-page';
import { eventually, stewardLauncher } from './support/e2e-helpers';

declare global {
  interface Window {
    __probeInlineHandlerRan?: boolean;
    __probeInlineScriptRan?: boolean;
    __probeEvalOutcome?: string;
    __probeFunctionOutcome?: string;
    __probeFetchOutcome?: string;
  }
}

describe('Content-Security-Policy in Chromium', () => {
  const launch = stewardLauncher();

  it('ships in the production index.html and blocks inline handlers, injected scripts, eval and fetch', async () => {
    const steward = await launch();
    const { page } = steward;
    await steward.load();
    await page.getByRole('heading', { name: 'Create your vault' }).waitFor();

    // The policy the page runs under is the shared one, as a meta tag served with the build, not a header.
    const meta = await page.evaluate(
      () =>
        document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    );
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    const servedHtml = readFileSync(join(rendererBuild, 'index.html'), 'utf8');
    expect(servedHtml).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(servedHtml).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(await page.locator('script:not([src]), style').count()).toBe(0);
    // The app itself rendered under that policy without tripping it.
    expect(await steward.cspViolations()).toEqual([]);

    // Each probe is set up through the DOM and runs later as the page's own task, where page.evaluate's
    // exemption from the eval rule no longer applies.
    await page.evaluate(() => {
      const image = document.createElement('img');
      image.setAttribute('onerror', 'window.__probeInlineHandlerRan = true');
      image.src = 'data:image/png;base64,bm90IGFuIGltYWdl';
      document.body.append(image);

      const script = document.createElement('script');
      script.textContent = 'window.__probeInlineScriptRan = true;';
      document.body.append(script);

      setTimeout(() => {
        try {
          // eslint-disable-next-line no-eval -- the point of this probe is that the page's eval is refused.
          window.__probeEvalOutcome = `ran: ${String((0, eval)('6 * 7'))}`;
        } catch (error) {
          window.__probeEvalOutcome = (error as Error).name;
        }
        try {
          // eslint-disable-next-line no-new-func -- likewise for the Function constructor.
          window.__probeFunctionOutcome = `ran: ${String(new Function('return 6 * 7')())}`;
        } catch (error) {
          window.__probeFunctionOutcome = (error as Error).name;
        }
        fetch('./index.html?probe=fetch').then(
          () => (window.__probeFetchOutcome = 'fetched'),
          (error: Error) => (window.__probeFetchOutcome = error.name),
        );
      }, 0);
    });

    await eventually(() => page.evaluate(() => window.__probeFetchOutcome)).toBe('TypeError');
    expect(await page.evaluate(() => window.__probeEvalOutcome)).toBe('EvalError');
    expect(await page.evaluate(() => window.__probeFunctionOutcome)).toBe('EvalError');
    expect(await page.evaluate(() => window.__probeInlineScriptRan ?? false)).toBe(false);

    // Each refusal was the policy's doing, reported under the directive that forbids it.
    await eventually(async () =>
      (await steward.cspViolations()).map((violation) => violation.directive).sort(),
    ).toEqual(['connect-src', 'script-src', 'script-src', 'script-src-attr', 'script-src-elem']);
    expect(await page.evaluate(() => window.__probeInlineHandlerRan ?? false)).toBe(false);
    // The fetch never left the page: the route that serves the build did not see it.
    expect(steward.requestedPaths).toContain('/index.html');
    expect(steward.requestedPaths).not.toContain('/index.html?probe=fetch');
  });
});
