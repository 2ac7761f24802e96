/** The last part of a path, whichever separator the platform used. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

/** The folder part of a path, for a calmer second line under the file name. */
export function folderOf(path: string): string {
  const name = fileName(path);
  return path.slice(0, Math.max(0, path.length - name.length - 1));
}

/**
 * A SHA-256 fingerprint `AB:CD:…` (32 bytes) in groups of four bytes, the way people read it out to
 * each other when comparing. Anything else is returned as one group.
 */
export function fingerprintGroups(fingerprint: string): string[] {
  const bytes = fingerprint.split(':');
  if (bytes.length !== 32) return [fingerprint];
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 4) groups.push(bytes.slice(i, i + 4).join(':'));
  return groups;
}

/**
 * Fingerprints typed or pasted by the user: one per line or separated by commas or spaces, with or
 * without colons. The core reads each form; empty entries are dropped.
 */
export function parseTrustedFingerprints(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}
