/**
 * Defense in depth: connectors must never put a secret in an error or a progress message, and every
 * such message that leaves the framework still goes through `redactSecrets`, which replaces each
 * stored secret (and the forms it travels in: URL-encoded, Base64, inside a kubeconfig) with
 * `[redacted]`.
 */
export const REDACTED = '[redacted]';

/** Below this length a value is not worth hunting for: it would only mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Keys of a kubeconfig (or any YAML-ish text) whose values are credentials. */
const CREDENTIAL_KEYS =
  /^\s*-?\s*(token|client-key-data|client-certificate-data|password|client-secret|id-token|refresh-token|access-token)\s*:\s*["']?([^\s"']+)/gim;

/** Every string that must not appear in a message, longest first so a part never hides the whole. */
export function secretFragments(secrets: Record<string, unknown>): string[] {
  const fragments = new Set<string>();
  const add = (value: string) => {
    if (value.length < MIN_SECRET_LENGTH) return;
    fragments.add(value);
    fragments.add(encodeURIComponent(value));
    fragments.add(Buffer.from(value, 'utf8').toString('base64'));
    fragments.add(Buffer.from(value, 'utf8').toString('base64url'));
  };
  for (const value of Object.values(secrets)) {
    if (typeof value !== 'string') continue;
    add(value);
    if (value.includes('\n')) {
      // A kubeconfig: its tokens and keys are what could surface in an error, not the whole file.
      for (const match of value.matchAll(CREDENTIAL_KEYS)) add(match[2]!);
      for (const line of value.split('\n')) if (line.trim().length >= 16) fragments.add(line.trim());
    }
  }
  return [...fragments].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with every secret of the profile replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: Record<string, unknown>): string {
  let result = text;
  for (const fragment of secretFragments(secrets)) {
    if (result.includes(fragment)) result = result.split(fragment).join(REDACTED);
  }
  return result;
}

/** Prefixes that say what kind of credential a value is (and nothing about the value itself). */
const KIND_PREFIX = /^(github_pat_|gh[pousr]_|AKIA|ASIA)/;

/**
 * A secret as the user may see it: its kind prefix and last four characters when it is long
 * (`ghp_…9f2a`), nothing of a short one, and only the size of a file-sized one (a kubeconfig).
 */
export function maskSecret(value: string): string {
  if (value.includes('\n') || value.length > 512) return `•••• (${value.length} characters)`;
  if (value.length < 16) return '••••';
  return `${KIND_PREFIX.exec(value)?.[1] ?? ''}…${value.slice(-4)}`;
}
