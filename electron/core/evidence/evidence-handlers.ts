import { readFile } from 'node:fs/promises';
import type { evidenceEntries } from '../../../shared/api/entries/evidence-entries';
import { AppError } from '../../../shared/api/errors';
import type { HandlerMap } from '../handlers';
import { exportEvidence } from './evidence-export';
import { activeSigner, generateSigner, importSignerPkcs12 } from './signer-store';
import { verifyEvidencePdf } from './verify-evidence';

/** Largest file `evidence.verify` and `signer.import` read into memory. */
const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/** Reads a file the user named; INVALID_FILE (never INTERNAL) when it cannot be read. */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new AppError('INVALID_FILE', `${path} is larger than 1 GiB; it is not ${what}.`);
    }
    return bytes;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : `it could not be read (${code ?? 'unknown error'})`;
    throw new AppError('INVALID_FILE', `Cannot read ${path}: ${why}. Give the path of ${what}.`);
  }
}

/** Handlers of the evidence domain: signer, evidence pack export, verification. */
export const evidenceHandlers: Pick<HandlerMap, keyof typeof evidenceEntries> = {
  'signer.get': async (_input, ctx) => activeSigner(ctx.vault.database),

  'signer.create': (input, ctx) =>
    ctx.exclusive(async () => generateSigner(ctx.vault.database, { name: input.name, email: input.email })),

  'signer.import': async (input, ctx) => {
    const p12 = await readInputFile(input.path, 'a PKCS#12 (.p12 / .pfx) file');
    return ctx.exclusive(async () => importSignerPkcs12(ctx.vault.database, p12, input.password));
  },

  'evidence.export': (input, ctx) => exportEvidence(input, ctx),

  'evidence.cancel': async (input, ctx) => ({ cancelled: ctx.cancelTask(input.taskId) }),

  // Needs no vault: an auditor verifies a pack on its own bytes.
  'evidence.verify': async (input) => {
    const bytes = await readInputFile(input.path, 'a signed evidence PDF');
    return verifyEvidencePdf(bytes, { trust: input.trust });
  },
};
