import { z } from 'zod';
import {
  identityListInputSchema,
  identityListOutputSchema,
  rosterSummarySchema,
  snapshotSummarySchema,
} from './schemas/inventory';
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

const importRunInputSchema = z
  .object({
    paths: z.array(z.string().min(1).max(4096)).min(1, 'Choose at least one file.').max(500),
    format: z.string().max(100).optional(),
    source: z.string().trim().min(1).max(200).optional(),
    sheet: z.string().max(200).optional(),
    /** Target field -> column header, for a table no preset recognises (saved for next time). */
    mapping: z.record(z.string(), z.string().max(500)).optional(),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** Chosen by the caller, echoed in `task.progress` events. */
    taskId: z.string().max(100).optional(),
  })
  .strict();

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

  /**
   * Imports the files of one export (an AWS credential report, Graph pages, a kubectl list and its
   * bindings, a CMDB spreadsheet...) as one snapshot of one source. The format is recognised from the
   * content unless `format` names it; a table no preset recognises needs a `mapping` (field -> column
   * header). One transaction: a failure leaves the vault as it was. Progress: `task.progress`.
   */
  'imports.run': entry({
    input: importRunInputSchema,
    output: snapshotSummarySchema,
    samples: [
      {
        input: { paths: ['/home/ana/exports/iam_credential_report.csv'], taskId: 'import-1' },
        output: {
          snapshotId: 3,
          source: 'aws:123456789012',
          format: 'csv',
          preset: 'aws-credential-report',
          files: [{ name: 'iam_credential_report.csv', bytes: 11412, sha256: 'ab'.repeat(32) }],
          rowsRead: 46,
          imported: 46,
          rejected: 0,
          skipped: 0,
          rejects: [],
          notes: [],
          full: true,
          added: 46,
          changed: 0,
          unchanged: 0,
          notSeen: 0,
          alreadyImported: false,
          importedAt: '2026-11-01T09:00:00.000Z',
          importedBy: 'ana',
        },
      },
    ],
  }),

  /** The formats `imports.run` can be told to use, for a format picker and `--format`. */
  'imports.formats': entry({
    input: noInput,
    output: z.array(z.object({ id: z.string(), label: z.string(), shape: z.enum(['table', 'documents']) })),
    samples: [
      {
        input: {},
        output: [{ id: 'aws-credential-report', label: 'AWS IAM credential report', shape: 'table' }],
      },
    ],
  }),

  /**
   * Replaces the HR roster with one export (e-mail, name, department, manager, status, termination
   * date). Owners are resolved against it; the export is kept as a snapshot for the evidence.
   */
  'people.import': entry({
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: rosterSummarySchema,
    samples: [
      {
        input: { path: '/home/ana/exports/hr_roster.csv' },
        output: {
          snapshotId: 1,
          files: [{ name: 'hr_roster.csv', bytes: 19612, sha256: 'cd'.repeat(32) }],
          rowsRead: 150,
          imported: 150,
          rejected: 0,
          rejects: [],
          active: 134,
          terminated: 16,
          alreadyImported: false,
        },
      },
    ],
  }),

  /** A page of identities with owners resolved at `asOf`, their credentials and entitlements. */
  'identities.list': entry({
    input: identityListInputSchema,
    output: identityListOutputSchema,
    samples: [
      {
        input: { asOf: '2026-11-01', offset: 0, limit: 1, kind: 'iam-user' },
        output: {
          total: 1,
          asOf: '2026-11-01',
          items: [
            {
              id: 7,
              source: 'aws:123456789012',
              kind: 'iam-user',
              externalId: 'arn:aws:iam::123456789012:user/service/backup-bot',
              name: 'backup-bot',
              environment: null,
              status: 'active',
              description: null,
              owners: [{ email: 'ana.silva@northwindlogistics.example', role: 'business', status: 'active' }],
              createdAt: '2019-03-04T10:00:00.000Z',
              lastUsedAt: '2026-10-30T12:00:00.000Z',
              credentials: [
                {
                  externalId: null,
                  type: 'access-key',
                  createdAt: '2024-08-10T00:00:00.000Z',
                  lastRotatedAt: '2024-08-10T00:00:00.000Z',
                  expiresAt: null,
                  lastUsedAt: '2026-10-30T12:00:00.000Z',
                  status: 'active',
                },
              ],
              entitlements: [{ name: 'AdministratorAccess', resource: null, privileged: true }],
              notSeenSince: null,
            },
          ],
        },
      },
    ],
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
