import { z } from 'zod';
import { newPassphraseSchema, passphraseSchema, vaultStatusSchema, type VaultStatus } from './schemas/vault';

/**
 * The one API of Steward. Every capability is one entry here, one handler in electron/core and its
 * tests. The same entries are served over Electron IPC, to Playwright through `window.bridge`, and to
 * the CLI. Inputs are validated against `input` at the edge (core.dispatch); payloads are plain JSON.
 *
 * `samples` are realistic payloads: a test round-trips each through JSON and both schemas, so a
 * schema that stops being JSON-safe fails at once.
 */
interface ContractEntry<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  samples: Array<{ input: z.input<I>; output: z.input<O> }>;
}

function entry<I extends z.ZodType, O extends z.ZodType>(e: ContractEntry<I, O>): ContractEntry<I, O> {
  return e;
}

const noInput = z.object({}).strict();

const lockedSample: VaultStatus = {
  state: 'locked',
  folder: '/home/ana/Steward/vault',
  schemaVersion: null,
  createdAt: '2026-10-01T09:30:00.000Z',
  kdf: 'scrypt',
};
const unlockedSample: VaultStatus = { ...lockedSample, state: 'unlocked', schemaVersion: 1 };

export const contract = {
  /** Name, version and runtime of this Steward, for Help > About and the evidence cover. */
  'app.info': entry({
    input: noInput,
    output: z.object({ name: z.string(), version: z.string(), runtime: z.string() }),
    samples: [{ input: {}, output: { name: 'Steward', version: '0.1.0', runtime: 'node 20.20.2' } }],
  }),

  /** Where the vault is and whether it exists, is locked or is unlocked. Never needs the passphrase. */
  'vault.status': entry({
    input: noInput,
    output: vaultStatusSchema,
    samples: [{ input: {}, output: lockedSample }],
  }),

  /**
   * Creates a new vault in the current folder and leaves it unlocked. Refused (VAULT_EXISTS) when the
   * folder already holds a vault: nothing is ever created over existing data.
   */
  'vault.create': entry({
    input: z.object({ passphrase: newPassphraseSchema }).strict(),
    output: vaultStatusSchema,
    samples: [{ input: { passphrase: 'correct horse battery staple' }, output: unlockedSample }],
  }),

  /** Opens the vault. A wrong passphrase is WRONG_PASSPHRASE and changes nothing on disk. */
  'vault.unlock': entry({
    input: z.object({ passphrase: passphraseSchema }).strict(),
    output: vaultStatusSchema,
    samples: [{ input: { passphrase: 'correct horse battery staple' }, output: unlockedSample }],
  }),

  /** Closes the database and forgets the key. Locking a locked vault is not an error. */
  'vault.lock': entry({
    input: noInput,
    output: vaultStatusSchema,
    samples: [{ input: {}, output: lockedSample }],
  }),

  /**
   * Re-wraps the data key under a new passphrase. The database is not re-encrypted, so this is fast
   * and cannot lose data; the old passphrase stops working at once.
   */
  'vault.changePassphrase': entry({
    input: z.object({ currentPassphrase: passphraseSchema, newPassphrase: newPassphraseSchema }).strict(),
    output: vaultStatusSchema,
    samples: [
      {
        input: {
          currentPassphrase: 'correct horse battery staple',
          newPassphrase: 'a much longer new passphrase',
        },
        output: unlockedSample,
      },
    ],
  }),

  /**
   * Asks the user for a vault folder with the desktop's own dialog (a port implemented by the shell)
   * and switches to it, locking the current vault first. The renderer never passes a path itself.
   * `cancelled` is true when the user closed the dialog; the current vault is then left as it was.
   */
  'vault.chooseFolder': entry({
    input: z.object({ purpose: z.enum(['create', 'open']) }).strict(),
    output: z.object({ cancelled: z.boolean(), status: vaultStatusSchema }),
    samples: [{ input: { purpose: 'open' }, output: { cancelled: false, status: lockedSample } }],
  }),
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type MethodInput<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends Method> = z.output<Contract[M]['output']>;

export const methods = Object.keys(contract) as Method[];

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
