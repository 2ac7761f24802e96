/* eslint-disable @microsoft/sdl/no-insecure-url -- insecure URLs are exactly what these tests feed the policy to refuse. */
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from '../../../electron/shell/app-origin';
import {
  isNavigationAllowed,
  isOutgoingRequestAllowed,
  windowOpenDecision,
} from '../../../electron/shell/navigation-policy';

describe('navigation policy', () => {
  it.each([
    APP_ENTRY_URL,
    `${APP_ORIGIN}/`,
    `${APP_ORIGIN}/assets/index-3f2a.js`,
    `${APP_ORIGIN}/index.html#/campaigns/42`,
    `${APP_ORIGIN}/index.html?view=queue`,
  ])('allows the app page %s', (url) => {
    expect(isNavigationAllowed(url)).toBe(true);
  });

  it.each([
    'app://local.evil/',
    'app://steward.evil/index.html',
    'app://evil.steward/index.html',
    'app://steward@evil/index.html',
    'app://local@evil/',
    'app://steward:pass@steward/index.html',
    'app://steward:8080/index.html',
    'app:steward/index.html',
    'app:///index.html',
    'javascript:alert(1)',
    'JavaScript:window.bridge.invoke("vault.lock", {})',
    'file:///etc/passwd',
    'file:///C:/Windows/win.ini',
    'data:text/html,<script>alert(1)</script>',
    'http://steward/index.html',
    'https://steward/index.html',
    'http://127.0.0.1:8080/',
    'https://owasp.org/',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'blob:app://steward/5b1f',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isNavigationAllowed(url)).toBe(false);
    expect(isAppUrl(url)).toBe(false);
  });

  it('never opens a new Electron window, and sends only foreign links to the external opener', () => {
    expect(windowOpenDecision('https://owasp.org/www-project-non-human-identities-top-10/')).toEqual({
      action: 'deny',
      openExternally: true,
    });
    expect(windowOpenDecision(`${APP_ORIGIN}/index.html`)).toEqual({ action: 'deny', openExternally: false });
  });
});

describe('outgoing request policy', () => {
  it('lets the bundle, inline data and its own blobs through', () => {
    for (const url of [
      `${APP_ORIGIN}/assets/app.css`,
      'data:image/png;base64,iVBORw0KGgo=',
      'blob:app://steward/4c1d',
    ]) {
      expect(isOutgoingRequestAllowed(url, { allowDevTools: false }), url).toBe(true);
    }
  });

  it('blocks the network, the file system, foreign blobs and other hosts', () => {
    for (const url of [
      'https://example.com/collect',
      'http://127.0.0.1:3000/',
      'ws://127.0.0.1:9229/',
      'file:///etc/passwd',
      'blob:https://evil.example/4c1d',
      'app://evil/assets/app.js',
      'ftp://example.com/',
    ]) {
      expect(isOutgoingRequestAllowed(url, { allowDevTools: true }), url).toBe(false);
    }
  });

  it('allows the DevTools front end only when DevTools exist', () => {
    const url = 'devtools://devtools/bundled/devtools_app.html';
    expect(isOutgoingRequestAllowed(url, { allowDevTools: true })).toBe(true);
    expect(isOutgoingRequestAllowed(url, { allowDevTools: false })).toBe(false);
  });
});
