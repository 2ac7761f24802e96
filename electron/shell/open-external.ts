/**
 * Hosts whose pages Steward may open in the user's browser. Exact host names, https only: Steward is
 * offline by design, so the only links out are references a reviewer may want to read.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['owasp.org', 'www.owasp.org'];

/** True when `url` is https on an allowlisted host, with no credentials and no unusual port. */
export function isExternalLinkAllowed(
  url: string,
  allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    allowedHosts.includes(parsed.hostname)
  );
}

/** The desktop's "open in the default browser" (Electron's `shell.openExternal`), injected so tests can watch it. */
export type ExternalOpener = (url: string) => Promise<void>;

export interface SafeShell {
  /**
   * Opens `url` in the user's browser if the allowlist permits it. Resolves to whether it was opened;
   * never throws, because a refused or failed link is not worth crashing the window.
   */
  openExternal(url: string): Promise<boolean>;
}

/** The only way the shell opens anything outside the app (ESLint refuses any other openExternal call). */
export function createSafeShell(
  open: ExternalOpener,
  allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): SafeShell {
  return {
    async openExternal(url) {
      if (!isExternalLinkAllowed(url, allowedHosts)) return false;
      try {
        // Re-serialised from the parsed URL so the opener never sees anything the check did not.
        await open(new URL(url).href);
        return true;
      } catch {
        return false;
      }
    },
  };
}
