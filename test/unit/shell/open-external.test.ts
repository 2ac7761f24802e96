/* eslint-disable @microsoft/sdl/no-insecure-url -- insecure URLs are exactly what these tests feed the policy to refuse. */
import { describe, expect, it, vi } from 'vitest';
import {
  createSafeShell,
  EXTERNAL_LINK_HOSTS,
  isExternalLinkAllowed,
} from '../../../electron/shell/open-external';

describe('openExternal allowlist', () => {
  it.each([
    'https://owasp.org/www-project-non-human-identities-top-10/',
    'https://www.owasp.org/',
    'https://OWASP.org/x?y=1#z',
  ])('allows %s', (url) => {
    expect(isExternalLinkAllowed(url)).toBe(true);
  });

  it.each([
    'http://owasp.org/',
    'https://owasp.org.evil.example/',
    'https://evilowasp.org/',
    'https://sub.owasp.org/',
    'https://owasp.org@evil.example/',
    'https://user:pass@owasp.org/',
    'https://owasp.org:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://owasp.org/share',
    'ms-settings:privacy',
    'app://steward/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isExternalLinkAllowed(url)).toBe(false);
  });

  it('is an exact-host, https-only list', () => {
    for (const host of EXTERNAL_LINK_HOSTS) expect(host).toMatch(/^[a-z0-9.-]+$/);
  });
});

describe('safeShell.openExternal', () => {
  it('hands allowed links to the opener and reports it', async () => {
    const open = vi.fn(async (_url: string) => undefined);
    const safeShell = createSafeShell(open);
    await expect(safeShell.openExternal('https://OWASP.org/a b')).resolves.toBe(true);
    expect(open).toHaveBeenCalledWith('https://owasp.org/a%20b');
  });

  it('never calls the opener for a refused link', async () => {
    const open = vi.fn(async (_url: string) => undefined);
    const safeShell = createSafeShell(open);
    await expect(safeShell.openExternal('file:///etc/passwd')).resolves.toBe(false);
    await expect(safeShell.openExternal('https://evil.example/')).resolves.toBe(false);
    expect(open).not.toHaveBeenCalled();
  });

  it('reports a failing opener as not opened instead of throwing', async () => {
    const safeShell = createSafeShell(async () => {
      throw new Error('no browser');
    });
    await expect(safeShell.openExternal('https://owasp.org/')).resolves.toBe(false);
  });

  it('honours a custom allowlist', async () => {
    const open = vi.fn(async (_url: string) => undefined);
    const safeShell = createSafeShell(open, ['docs.example.org']);
    await expect(safeShell.openExternal('https://owasp.org/')).resolves.toBe(false);
    await expect(safeShell.openExternal('https://docs.example.org/guide')).resolves.toBe(true);
  });
});
