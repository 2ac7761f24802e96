import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';
import { APP_HOST, APP_SCHEME } from './app-origin';

/**
 * Serves the renderer bundle (dist/renderer) on app://steward/. Plain Node (fetch's Request and
 * Response are globals), so every refusal is unit-tested without Electron; main.ts only hands it to
 * `protocol.handle`.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The content type a file of this name is served with; unknown kinds are opaque bytes (and nosniff). */
export function contentTypeFor(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response, errors included: a 404 page is a document too. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

export type ResolvedRequest =
  | { kind: 'file'; path: string; contentType: string }
  | { kind: 'refused'; status: 400 | 403 | 404; reason: string };

/** A decoded path segment that could climb out of, or jump past, the bundle folder. */
function isUnsafeSegment(segment: string): boolean {
  return (
    segment === '' ||
    segment === '.' ||
    segment === '..' ||
    segment.includes('/') ||
    segment.includes('\\') ||
    segment.includes('\0') ||
    // A drive letter or an NTFS alternate data stream (C:, file.js:stream).
    segment.includes(':')
  );
}

/**
 * Maps an app:// request URL to a file inside `bundleRoot`, or says why not. The WHATWG parser has
 * already collapsed literal and `%2e%2e` dot segments, so this also checks what the segments decode
 * to (`..%2f..`, `%5c`), refuses absolute and empty segments, and finally compares real paths so a
 * symlink inside the bundle cannot lead out of it.
 */
export async function resolveAppRequest(requestUrl: string, bundleRoot: string): Promise<ResolvedRequest> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'refused', status: 400, reason: 'not a URL' };
  }
  if (
    url.protocol !== `${APP_SCHEME}:` ||
    url.hostname !== APP_HOST ||
    url.username ||
    url.password ||
    url.port
  ) {
    return { kind: 'refused', status: 403, reason: 'not the app origin' };
  }

  const rawSegments = url.pathname === '/' ? ['index.html'] : url.pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'refused', status: 400, reason: 'malformed percent-encoding' };
    }
    if (isUnsafeSegment(segment) || isAbsolute(segment)) {
      return { kind: 'refused', status: 403, reason: 'path leaves the bundle' };
    }
    segments.push(segment);
  }

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(bundleRoot);
    realFile = await realpath(join(realRoot, ...segments));
  } catch {
    return { kind: 'refused', status: 404, reason: 'no such file' };
  }
  const inside = relative(realRoot, realFile);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return { kind: 'refused', status: 403, reason: 'path leaves the bundle' };
  }
  try {
    if (!(await stat(realFile)).isFile()) return { kind: 'refused', status: 404, reason: 'not a file' };
  } catch {
    return { kind: 'refused', status: 404, reason: 'no such file' };
  }
  return { kind: 'file', path: realFile, contentType: contentTypeFor(realFile) };
}

/** The `protocol.handle('app', ...)` handler: GET and HEAD of bundle files, with the CSP on every answer. */
export async function handleAppRequest(
  request: Pick<Request, 'url' | 'method'>,
  bundleRoot: string,
): Promise<Response> {
  const headers = securityHeaders();
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { ...headers, Allow: 'GET, HEAD' } });
  }
  const resolved = await resolveAppRequest(request.url, bundleRoot);
  if (resolved.kind === 'refused') {
    return new Response(null, { status: resolved.status, headers });
  }
  let body: Buffer;
  try {
    body = await readFile(resolved.path);
  } catch {
    return new Response(null, { status: 404, headers });
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: { ...headers, 'Content-Type': resolved.contentType, 'Content-Length': String(body.length) },
  });
}
