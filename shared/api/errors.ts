/**
 * Error codes the core can return. The UI and the CLI branch on the code; the message is for people
 * and always says what to do next.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNKNOWN_METHOD',
  'VAULT_NOT_FOUND',
  'VAULT_EXISTS',
  'VAULT_LOCKED',
  'VAULT_ALREADY_UNLOCKED',
  'VAULT_IN_USE',
  'VAULT_CORRUPT',
  'VAULT_TOO_NEW',
  'WRONG_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'KDF_TOO_WEAK',
  'CANCELLED',
  'BUSY',
  'NOT_AVAILABLE',
  'INVALID_FILE',
  'UNSUPPORTED_FILE',
  /** Evidence: a PDF whose signature, embedded log or counts do not hold. */
  'VERIFICATION_FAILED',
  /** Connectors: the source refused the credentials (wrong, expired or revoked). */
  'CONNECTOR_AUTH',
  /** Connectors: the credentials work but lack a read permission; the message names it. */
  'CONNECTOR_PERMISSION',
  /** Connectors: the host could not be reached (DNS, refused, timeout) or its TLS certificate failed. */
  'CONNECTOR_UNREACHABLE',
  /** Connectors: the source answered with something else that stopped the pull (5xx, bad data). */
  'CONNECTOR_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
}

/** The one error type the core throws on purpose. Anything else is reported as INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }

  toJSON(): AppErrorShape {
    return { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
