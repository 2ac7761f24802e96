import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import { writeFileAtomic } from '../system/atomic-write';
import { assertScryptParamsAtFloor, type ScryptParams, type WrappedKey } from './key-wrap';

export const HEADER_FILE = 'vault.json';
export const DATABASE_FILE = 'steward.db';
export const HEADER_FORMAT = 1;

const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/);

const headerSchema = z
  .object({
    format: z.literal(HEADER_FORMAT),
    app: z.literal('steward'),
    createdAt: z.string().datetime(),
    kdf: z.literal('scrypt'),
    kdfParams: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }).strict(),
    salt: base64,
    nonce: base64,
    wrappedKey: base64,
  })
  .strict();

export type VaultHeader = z.infer<typeof headerSchema>;

export function headerPath(folder: string): string {
  return join(folder, HEADER_FILE);
}

export function databasePath(folder: string): string {
  return join(folder, DATABASE_FILE);
}

export function vaultExists(folder: string): boolean {
  return existsSync(headerPath(folder)) || existsSync(databasePath(folder));
}

/**
 * The wrapped key is bound to the fields that say how to unwrap it, so that changing them (a KDF
 * downgrade, another creation date) makes unwrapping fail instead of silently weakening the vault.
 */
export function headerAssociatedData(
  header: Pick<VaultHeader, 'format' | 'kdf' | 'kdfParams' | 'createdAt'>,
): Buffer {
  const { N, r, p } = header.kdfParams;
  return Buffer.from(
    `steward-vault|${header.format}|${header.kdf}|N=${N},r=${r},p=${p}|${header.createdAt}`,
    'utf8',
  );
}

export function readHeader(folder: string): VaultHeader {
  let raw: string;
  try {
    raw = readFileSync(headerPath(folder), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (existsSync(databasePath(folder))) {
        throw new AppError(
          'VAULT_CORRUPT',
          `The vault in ${folder} has a database but no ${HEADER_FILE}. Restore ${HEADER_FILE} from a backup; ` +
            'without it the data cannot be decrypted. Steward has not changed anything.',
        );
      }
      throw new AppError('VAULT_NOT_FOUND', `There is no vault in ${folder}. Create one first.`);
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw corruptHeader(folder, 'it is not valid JSON');
  }
  if (typeof parsed === 'object' && parsed !== null && 'format' in parsed) {
    const format = (parsed as { format: unknown }).format;
    if (typeof format === 'number' && format > HEADER_FORMAT) {
      throw new AppError(
        'VAULT_TOO_NEW',
        `This vault was written by a newer Steward (header format ${format}). Update Steward to open it.`,
      );
    }
  }
  const result = headerSchema.safeParse(parsed);
  if (!result.success) throw corruptHeader(folder, 'its fields are missing or malformed');
  assertScryptParamsAtFloor(result.data.kdfParams);
  return result.data;
}

function corruptHeader(folder: string, why: string): AppError {
  return new AppError(
    'VAULT_CORRUPT',
    `The vault header ${headerPath(folder)} cannot be read: ${why}. Restore it from a backup; Steward has not changed anything.`,
  );
}

export function buildHeader(createdAt: string, params: ScryptParams, wrapped: WrappedKey): VaultHeader {
  return {
    format: HEADER_FORMAT,
    app: 'steward',
    createdAt,
    kdf: 'scrypt',
    kdfParams: { ...params },
    salt: wrapped.salt.toString('base64'),
    nonce: wrapped.nonce.toString('base64'),
    wrappedKey: wrapped.wrappedKey.toString('base64'),
  };
}

export function wrappedKeyOf(header: VaultHeader): WrappedKey {
  return {
    salt: Buffer.from(header.salt, 'base64'),
    nonce: Buffer.from(header.nonce, 'base64'),
    wrappedKey: Buffer.from(header.wrappedKey, 'base64'),
  };
}

export function writeHeader(
  folder: string,
  header: VaultHeader,
  options: { exclusive?: boolean } = {},
): void {
  writeFileAtomic(headerPath(folder), `${JSON.stringify(header, null, 2)}\n`, options);
}
