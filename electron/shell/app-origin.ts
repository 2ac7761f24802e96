/**
 * The one origin the renderer is served from. Everything the shell trusts (navigation, IPC senders)
 * is compared against it, so it lives in one place.
 *
 * Why a custom scheme and not file://: file:// pages share one origin with every file on the disk,
 * and the GrantFileProtocolExtraPrivileges fuse is off in packaged builds.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'steward';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for a well-formed URL on exactly the app origin. Parsed with the WHATWG parser rather than
 * compared as text, so `app://steward@evil/`, `app://steward.evil/` and `app://steward:1/` are refused.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === ''
  );
}
