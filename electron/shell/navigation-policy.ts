import { isAppUrl } from './app-origin';

/**
 * Whether the window may navigate (or be redirected, or attach a webview) to `url`. Only pages of the
 * app's own bundle: a renderer that can be steered elsewhere keeps its preload, and with it the bridge.
 */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * What the shell does with a `window.open` or a `target=_blank` link: never a new Electron window.
 * Links that should leave the app are handed to the allowlisting external opener, which decides.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: !isAppUrl(url) };
}

/**
 * Whether the session lets a request leave the renderer at all. Defence in depth under the CSP: even
 * if a policy slipped, nothing may reach the network or the file system, only the app's own bundle,
 * inline data, its own blobs, and (in development) the DevTools front end.
 */
export function isOutgoingRequestAllowed(url: string, options: { allowDevTools: boolean }): boolean {
  if (isAppUrl(url)) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'data:') return true;
  // A blob URL names the origin that made it (blob:app://steward/<uuid>): only ours.
  if (parsed.protocol === 'blob:') return isAppUrl(parsed.pathname);
  return options.allowDevTools && parsed.protocol === 'devtools:';
}
