import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';

/**
 * The passphrase never encrypts the database itself: it derives a key-encryption key (scrypt) that
 * wraps a random 256-bit data key with AES-256-GCM. Changing the passphrase re-wraps the data key and
 * leaves the database as it is.
 */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's password storage advice for scrypt is N=2^17, r=8, p=1 at the least. A header asking for
 * less is refused as a downgrade, whoever wrote it.
 */
export const SCRYPT_FLOOR: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

export const DATA_KEY_BYTES = 32;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;

export interface WrappedKey {
  salt: Buffer;
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  wrappedKey: Buffer;
}

export function assertScryptParamsAtFloor(params: ScryptParams): void {
  const isPowerOfTwo = Number.isInteger(Math.log2(params.N));
  if (
    !isPowerOfTwo ||
    params.N < SCRYPT_FLOOR.N ||
    params.r < SCRYPT_FLOOR.r ||
    params.p < SCRYPT_FLOOR.p ||
    params.N > 2 ** 22 ||
    params.r > 32 ||
    params.p > 16
  ) {
    throw new AppError(
      'KDF_TOO_WEAK',
      'The vault header asks for key-derivation settings outside what Steward accepts. ' +
        'It may have been tampered with: restore vault.json from a backup.',
    );
  }
}

export function deriveKeyEncryptionKey(
  passphrase: string,
  salt: Buffer,
  params: ScryptParams,
): Promise<Buffer> {
  assertScryptParamsAtFloor(params);
  // scrypt needs 128 * N * r bytes; Node's default maxmem (32 MiB) is below that at the OWASP floor.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** `associatedData` binds the wrapped key to the header fields it travels with (KDF and parameters). */
export async function wrapDataKey(
  dataKey: Buffer,
  passphrase: string,
  params: ScryptParams,
  associatedData: Buffer,
): Promise<WrappedKey> {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const kek = await deriveKeyEncryptionKey(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(associatedData);
  const wrappedKey = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  kek.fill(0);
  return { salt, nonce, wrappedKey };
}

/** Returns null when the passphrase is wrong (or the header was altered): GCM cannot tell them apart. */
export async function unwrapDataKey(
  wrapped: WrappedKey,
  passphrase: string,
  params: ScryptParams,
  associatedData: Buffer,
): Promise<Buffer | null> {
  const kek = await deriveKeyEncryptionKey(passphrase, wrapped.salt, params);
  const tagStart = wrapped.wrappedKey.length - 16;
  if (tagStart <= 0) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.nonce);
    decipher.setAAD(associatedData);
    decipher.setAuthTag(wrapped.wrappedKey.subarray(tagStart));
    const key = Buffer.concat([decipher.update(wrapped.wrappedKey.subarray(0, tagStart)), decipher.final()]);
    return key.length === DATA_KEY_BYTES ? key : null;
  } catch {
    return null;
  } finally {
    kek.fill(0);
  }
}
