import type { ErrorCode } from '../../shared/api/errors';

/** The CLI's promise to scripts: 0 success, 1 a failed check, 2 bad input or usage. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const usageErrors = new Set<ErrorCode>([
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'VAULT_NOT_FOUND',
  'VAULT_EXISTS',
  'VAULT_TOO_NEW',
  'WRONG_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'INVALID_FILE',
  'UNSUPPORTED_FILE',
]);

export function exitCodeFor(code: ErrorCode): number {
  return usageErrors.has(code) ? EXIT_USAGE : EXIT_FAILED;
}
