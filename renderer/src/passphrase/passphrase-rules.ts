import { MIN_PASSPHRASE_LENGTH } from '../../../shared/api/schemas/vault';
import { MIN_ACCEPTABLE_SCORE, type PassphraseStrength } from './passphrase-strength';

/** Why a new passphrase cannot be used yet, in words for the user, or null when it can. */
export function newPassphraseProblem(passphrase: string, strength: PassphraseStrength | null): string | null {
  if (passphrase.length === 0) return 'Enter a passphrase.';
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return `Use at least ${MIN_PASSPHRASE_LENGTH} characters (${MIN_PASSPHRASE_LENGTH - passphrase.length} more).`;
  }
  if (strength && strength.score < MIN_ACCEPTABLE_SCORE) {
    return `This passphrase is too easy to guess. ${strength.hint}`;
  }
  return null;
}

/**
 * True once the repeat can no longer become the passphrase, so the mismatch shows while typing but
 * not after the first few characters of a correct repeat.
 */
export function repeatCannotMatch(passphrase: string, repeat: string): boolean {
  if (repeat.length === 0) return false;
  return repeat.length >= passphrase.length ? repeat !== passphrase : !passphrase.startsWith(repeat);
}

export const MISMATCH_MESSAGE = 'The two passphrases do not match. Type the same passphrase in both fields.';
