import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../shared/security/content-security-policy';
import { contentTypeFor, handleAppRequest, resolveAppRequest } from '../../../electron/shell/app-protocol';
import { tempFolder } from '../../support/temp-folder';

/** A bundle folder next to a "secret" folder it must never serve from. */
function makeBundle() {
  const base = tempFolder('steward-app-protocol-');
  const bundle = join(base, 'renderer');
  const outside = join(base, 'outside');
  mkdirSync(join(bundle, 'assets'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>Steward</title>');
  writeFileSync(join(bundle, 'assets', 'index-3f2a.js'), 'console.log("steward");');
  writeFileSync(join(bundle, 'assets', 'index-3f2a.css'), 'body{}');
  writeFileSync(join(bundle, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(bundle, 'assets', 'inter.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(outside, 'secret.txt'), 'the vault key');
  return { bundle, outside };
}

let bundle: string;
let outside: string;
beforeEach(() => {
  ({ bundle, outside } = makeBundle());
});

describe('app:// resolver', () => {
  it.each([
    ['app://steward/', 'index.html', 'text/html; charset=utf-8'],
    ['app://steward/index.html', 'index.html', 'text/html; charset=utf-8'],
    ['app://steward/index.html?x=1#/queue', 'index.html', 'text/html; charset=utf-8'],
    ['app://steward/assets/index-3f2a.js', 'assets/index-3f2a.js', 'text/javascript; charset=utf-8'],
    ['app://steward/assets/index-3f2a.css', 'assets/index-3f2a.css', 'text/css; charset=utf-8'],
    ['app://steward/assets/logo.svg', 'assets/logo.svg', 'image/svg+xml'],
    ['app://steward/assets/inter.woff2', 'assets/inter.woff2', 'font/woff2'],
    // Inside the bundle after the parser collapses it: harmless.
    ['app://steward/assets/../index.html', 'index.html', 'text/html; charset=utf-8'],
  ])('serves %s', async (url, file, contentType) => {
    const resolved = await resolveAppRequest(url, bundle);
    expect(resolved).toEqual({ kind: 'file', path: join(bundle, file), contentType });
  });

  it.each([
    ['dot segments above the root', 'app://steward/../outside/secret.txt'],
    ['encoded dot segments', 'app://steward/%2e%2e/outside/secret.txt'],
    ['mixed-case encoded dot segments', 'app://steward/%2E%2e/%2e%2E/outside/secret.txt'],
    ['an encoded slash', 'app://steward/..%2foutside%2fsecret.txt'],
    ['an encoded backslash', 'app://steward/..%5coutside%5csecret.txt'],
    ['a literal backslash', 'app://steward/..\\outside\\secret.txt'],
    ['an absolute path', 'app://steward//etc/passwd'],
    ['an encoded absolute path', 'app://steward/%2fetc%2fpasswd'],
    ['a drive letter', 'app://steward/C:%5cWindows%5cwin.ini'],
    ['an alternate data stream', 'app://steward/index.html:secret'],
    ['a NUL byte', 'app://steward/index.html%00.png'],
  ])('refuses %s', async (_label, url) => {
    const resolved = await resolveAppRequest(url, bundle);
    expect(resolved.kind).toBe('refused');
    if (resolved.kind === 'refused') expect([403, 404]).toContain(resolved.status);
  });

  it('refuses other hosts and user info', async () => {
    for (const url of [
      'app://local.evil/index.html',
      'app://steward@evil/index.html',
      'app://steward:1/index.html',
    ]) {
      expect(await resolveAppRequest(url, bundle), url).toMatchObject({ kind: 'refused', status: 403 });
    }
  });

  it('refuses a symlink inside the bundle that points outside it', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(bundle, 'assets', 'leak.txt'));
    symlinkSync(outside, join(bundle, 'assets', 'outside-folder'));
    expect(await resolveAppRequest('app://steward/assets/leak.txt', bundle)).toMatchObject({
      kind: 'refused',
      status: 403,
    });
    expect(await resolveAppRequest('app://steward/assets/outside-folder/secret.txt', bundle)).toMatchObject({
      kind: 'refused',
      status: 403,
    });
  });

  it('follows a symlink that stays inside the bundle', async () => {
    symlinkSync(join(bundle, 'index.html'), join(bundle, 'assets', 'alias.html'));
    expect(await resolveAppRequest('app://steward/assets/alias.html', bundle)).toMatchObject({
      kind: 'file',
      path: join(bundle, 'index.html'),
    });
  });

  it('answers 404 for missing files and folders, and 400 for broken encoding', async () => {
    expect(await resolveAppRequest('app://steward/missing.js', bundle)).toMatchObject({ status: 404 });
    expect(await resolveAppRequest('app://steward/assets', bundle)).toMatchObject({ status: 404 });
    expect(await resolveAppRequest('app://steward/%E0%A4%A', bundle)).toMatchObject({ status: 400 });
  });

  it('names unknown file kinds opaque bytes', () => {
    expect(contentTypeFor('blob.bin')).toBe('application/octet-stream');
    expect(contentTypeFor('INDEX.HTML')).toBe('text/html; charset=utf-8');
  });
});

describe('app:// responses', () => {
  it('serves the file with its content type and the CSP', async () => {
    const response = await handleAppRequest(
      { url: 'app://steward/assets/index-3f2a.js', method: 'GET' },
      bundle,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log("steward");');
  });

  it('puts the CSP on refusals too, and leaks nothing from outside', async () => {
    for (const url of [
      'app://steward/%2e%2e/outside/secret.txt',
      'app://steward/missing.html',
      'app://evil/',
    ]) {
      const response = await handleAppRequest({ url, method: 'GET' }, bundle);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await response.text()).not.toContain('vault key');
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handleAppRequest({ url: 'app://steward/index.html', method: 'HEAD' }, bundle);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handleAppRequest({ url: 'app://steward/index.html', method: 'POST' }, bundle);
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
