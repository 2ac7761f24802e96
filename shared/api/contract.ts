import { z } from 'zod';
import { entry, noInput } from './contract-entry';
import { campaignAdminEntries } from './entries/campaign-admin-entries';
import { connectorEntries } from './entries/connector-entries';
import { evidenceEntries } from './entries/evidence-entries';
import { reviewEntries } from './entries/review-entries';
import {
  identityDetailSchema,
  importPreviewInputSchema,
  importPreviewSchema,
  importRunInputSchema,
  inventoryFacetsSchema,
  signalCountsSchema,
  snapshotListItemSchema,
} from './schemas/imports';
import { DEFAULT_RISK_POLICY } from '../domain/risk';
import { riskPolicyStateSchema, riskPolicyUpdateInputSchema } from './schemas/risk';
import {
  campaignCreateInputSchema,
  campaignItemsInputSchema,
  campaignSchema,
  campaignStatusSchema,
  decisionRecordInputSchema,
  logHeadSchema,
  logVerificationSchema,
  reviewItemSchema,
} from './schemas/campaigns';
import {
  type IdentityRecord,
  identityListInputSchema,
  identityListOutputSchema,
  rosterSummarySchema,
  snapshotSummarySchema,
} from './schemas/inventory';
import { newPassphraseSchema, passphraseSchema, vaultStatusSchema, type VaultStatus } from './schemas/vault';

const lockedSample: VaultStatus = {
  state: 'locked',
  folder: '/home/ana/Steward/vault',
  schemaVersion: null,
  createdAt: '2026-10-01T09:30:00.000Z',
  kdf: 'scrypt',
};
const awsSnapshotSample: z.input<typeof snapshotSummarySchema> = {
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
};

const backupBotSample: IdentityRecord = {
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
  signals: [
    {
      code: 'credential-old',
      reason:
        'Access key 1 was last rotated on 2024-08-10, 813 days before 2026-11-01; the policy allows 365.',
      owasp: 'NHI7:2025',
      severity: 'high',
    },
    {
      code: 'privileged',
      reason: 'Holds AdministratorAccess, which grants full control of the account.',
      owasp: 'NHI5:2025',
      severity: 'high',
    },
  ],
};

const campaignId = z.number().int().positive();
/** Who acts; the CLI's `--as EMAIL`. Default: the operating-system user. */
const actorInput = z.string().trim().min(1).max(320).optional();

const q4CampaignSample: z.input<typeof campaignSchema> = {
  id: 1,
  name: 'Q4 2026 machine identity review',
  period: '2026-Q4',
  asOf: '2026-11-01',
  due: '2026-11-30',
  scope: { sources: ['aws:123456789012'], kinds: [], environments: [], signals: [] },
  owner: 'ana.silva@northwindlogistics.example',
  state: 'open',
  createdAt: '2026-11-02T08:00:00.000Z',
  launchedAt: '2026-11-02T08:05:00.000Z',
  closedAt: null,
  items: 46,
};

const backupBotItemSample: z.input<typeof reviewItemSchema> = {
  id: 12,
  campaignId: 1,
  identityId: 7,
  name: 'backup-bot',
  source: 'aws:123456789012',
  kind: 'iam-user',
  reviewer: 'keiko.jensen@northwindlogistics.example',
  routing: {
    rule: 'manager-of-leaver',
    reason:
      'The business owner liam.obrien@northwindlogistics.example left on 2026-09-30; keiko.jensen@northwindlogistics.example is their manager.',
  },
  selfReview: false,
  signals: [
    {
      code: 'privileged',
      reason: 'Holds AdministratorAccess, which grants full control of the account.',
      severity: 'high',
    },
  ],
  highRisk: true,
  decision: 'revoke',
  target: { type: 'credential', ref: '1' },
  newOwner: null,
  justification: 'Key unused since the backup job moved to an IAM role.',
  decidedBy: 'keiko.jensen@northwindlogistics.example',
  decidedAt: '2026-11-05T10:12:00.000Z',
  identity: backupBotSample,
  attributes: { path: '/service/' },
};

const unlockedSample: VaultStatus = { ...lockedSample, state: 'unlocked', schemaVersion: 1 };

/**
 * The one API of Steward. Every capability is one entry here, one handler in electron/core and its
 * tests. The same entries are served over Electron IPC, to Playwright through `window.bridge`, and to
 * the CLI. Inputs are validated against `input` at the edge (core.dispatch); payloads are plain JSON.
 * Larger domains keep their entries in `./entries/<domain>-entries.ts`, spread in below.
 */
export const contract = {
  ...reviewEntries,
  ...campaignAdminEntries,
  ...evidenceEntries,
  ...connectorEntries,
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
        output: awsSnapshotSample,
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

  /**
   * What importing these files would do, writing nothing: the recognised format (or why none), the
   * first rows as read, and for an unrecognised table the proposed or previously saved column mapping.
   */
  'imports.preview': entry({
    input: importPreviewInputSchema,
    output: importPreviewSchema,
    samples: [
      {
        input: { paths: ['/home/ana/exports/register.csv'] },
        output: {
          shape: 'table',
          files: [{ name: 'register.csv', bytes: 2048, format: 'csv', encoding: 'utf-8' }],
          detected: null,
          problem:
            'Steward does not recognise this layout. Check the proposed column mapping before importing.',
          documents: null,
          table: {
            sheet: null,
            sheets: [],
            delimiter: ';',
            encoding: 'windows-1252',
            header: ['Account Name', 'Owner', 'Last Login'],
            headerRow: 1,
            rows: [{ rowNumber: 2, cells: ['nwl-data-lake-loader', 'Jürgen Müller', 'nie'] }],
            mapping: {
              headerSignature: 'f'.repeat(64),
              saved: false,
              fields: { name: { column: 0, header: 'Account Name', confidence: 1 } },
            },
          },
        },
      },
    ],
  }),

  /** Shows the desktop's file dialog for export files (NOT_AVAILABLE without a desktop). */
  'imports.chooseFiles': entry({
    input: noInput,
    output: z.object({ cancelled: z.boolean(), paths: z.array(z.string()) }),
    samples: [
      { input: {}, output: { cancelled: false, paths: ['/home/ana/exports/iam_credential_report.csv'] } },
    ],
  }),

  /**
   * Called by the preload when files are dropped on the window (only it can read their paths); the
   * core answers with an `imports.filesDropped` event the Imports page listens to.
   */
  'imports.announceDroppedFiles': entry({
    input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(500) }).strict(),
    output: z.object({ paths: z.array(z.string()) }),
    samples: [{ input: { paths: ['/tmp/a.csv'] }, output: { paths: ['/tmp/a.csv'] } }],
  }),

  /** Stops a running import by the `taskId` it was started with; it then commits nothing. */
  'imports.cancel': entry({
    input: z.object({ taskId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    samples: [{ input: { taskId: 'import-1' }, output: { cancelled: true } }],
  }),

  /** The imports made into this vault, newest first, with files, hashes and row counts. */
  'snapshots.list': entry({
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.array(snapshotListItemSchema),
    samples: [
      {
        input: { limit: 10 },
        output: [
          {
            snapshotId: 3,
            source: 'aws:123456789012',
            sourceKind: 'aws',
            preset: 'aws-credential-report',
            format: 'csv',
            importedAt: '2026-11-01T09:00:00.000Z',
            importedBy: 'ana',
            rowsRead: 46,
            imported: 46,
            rejected: 0,
            full: true,
            files: [{ name: 'iam_credential_report.csv', bytes: 11412, sha256: 'ab'.repeat(32) }],
          },
        ],
      },
    ],
  }),

  /** One snapshot's summary with every reject and note. */
  'snapshots.get': entry({
    input: z.object({ snapshotId: z.number().int().positive() }).strict(),
    output: snapshotSummarySchema,
    samples: [{ input: { snapshotId: 3 }, output: awsSnapshotSample }],
  }),

  /** Saves a snapshot's rejects and notes as CSV where the user chooses (formula-safe cells). */
  'snapshots.exportRejects': entry({
    input: z.object({ snapshotId: z.number().int().positive() }).strict(),
    output: z.object({
      cancelled: z.boolean(),
      path: z.string().nullable(),
      rows: z.number().int().nonnegative(),
    }),
    samples: [
      { input: { snapshotId: 3 }, output: { cancelled: false, path: '/home/ana/rejects.csv', rows: 4 } },
    ],
  }),

  /** One identity with its attributes and its history across snapshots. */
  'identities.get': entry({
    input: z
      .object({
        id: z.number().int().positive(),
        asOf: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
      })
      .strict(),
    output: identityDetailSchema,
    samples: [
      {
        input: { id: 7, asOf: '2026-11-01' },
        output: {
          identity: backupBotSample,
          attributes: { path: '/service/', usageReported: true },
          firstSeen: '2026-08-01T09:00:00.000Z',
          lastSeen: '2026-11-01T09:00:00.000Z',
          history: [
            {
              snapshotId: 3,
              importedAt: '2026-11-01T09:00:00.000Z',
              change: 'changed',
              aspects: ['owners'],
              details: {
                owners: {
                  before: [],
                  after: [{ ref: 'ana.silva@northwindlogistics.example', role: 'business' }],
                },
              },
            },
          ],
        },
      },
    ],
  }),

  /** Sources, kinds, environments and today's risk signals with counts, for the inventory's filters. */
  'identities.facets': entry({
    input: noInput,
    output: inventoryFacetsSchema,
    samples: [
      {
        input: {},
        output: {
          total: 46,
          sources: [{ value: 'aws:123456789012', count: 46 }],
          kinds: [{ value: 'iam-user', count: 46 }],
          environments: [],
          signals: [
            { value: 'stale', count: 12 },
            { value: 'credential-old', count: 9 },
          ],
          signalsAsOf: '2026-11-24',
        },
      },
    ],
  }),

  /**
   * How many identities carry each risk signal at `asOf` (today when absent): the signal filter's
   * counts when the inventory is read at another date. Only these depend on the date, so they come
   * alone rather than with the rest of the facets counted again.
   */
  'identities.signalCounts': entry({
    input: z
      .object({
        asOf: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
      })
      .strict(),
    output: signalCountsSchema,
    samples: [
      {
        input: { asOf: '2025-06-30' },
        output: { asOf: '2025-06-30', signals: [{ value: 'credential-old', count: 4 }] },
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
          items: [backupBotSample],
        },
      },
    ],
  }),

  /**
   * The risk policy in effect (the defaults until one is saved), the defaults the Settings form
   * states, and why a saved policy could not be used, if it could not.
   */
  'policy.get': entry({
    input: noInput,
    output: riskPolicyStateSchema,
    samples: [
      {
        input: {},
        output: {
          policy: DEFAULT_RISK_POLICY,
          defaults: DEFAULT_RISK_POLICY,
          isDefault: true,
          problem: null,
        },
      },
    ],
  }),

  /** Validates and saves the whole policy (fields left out take their defaults); INVALID_INPUT names each problem. */
  'policy.update': entry({
    input: riskPolicyUpdateInputSchema,
    output: riskPolicyStateSchema,
    samples: [
      {
        input: { policy: { ...DEFAULT_RISK_POLICY, staleDays: 60 } },
        output: {
          policy: { ...DEFAULT_RISK_POLICY, staleDays: 60 },
          defaults: DEFAULT_RISK_POLICY,
          isDefault: false,
          problem: null,
        },
      },
    ],
  }),
  /** Drafts a campaign: name, as-of date, due date, scope (empty lists mean everything) and owner. */
  'campaigns.create': entry({
    input: campaignCreateInputSchema,
    output: campaignSchema,
    samples: [
      {
        input: {
          name: 'Q4 2026 machine identity review',
          period: '2026-Q4',
          asOf: '2026-11-01',
          due: '2026-11-30',
          scope: { sources: ['aws:123456789012'] },
          owner: 'ana.silva@northwindlogistics.example',
        },
        output: { ...q4CampaignSample, state: 'draft', launchedAt: null, items: 0 },
      },
    ],
  }),

  /**
   * Opens a draft campaign (campaign owner only) and freezes its population: each in-scope identity
   * becomes an item with its data and signals as they are now, routed to its reviewer. Later imports
   * never change an open campaign's items.
   */
  'campaigns.launch': entry({
    input: z.object({ campaignId, actor: actorInput }).strict(),
    output: campaignSchema,
    samples: [
      {
        input: { campaignId: 1, actor: 'ana.silva@northwindlogistics.example' },
        output: q4CampaignSample,
      },
    ],
  }),

  /** Every campaign, newest first, with its item count. */
  'campaigns.list': entry({
    input: noInput,
    output: z.array(campaignSchema),
    samples: [{ input: {}, output: [q4CampaignSample] }],
  }),

  /** One campaign. */
  'campaigns.get': entry({
    input: z.object({ campaignId }).strict(),
    output: campaignSchema,
    samples: [{ input: { campaignId: 1 }, output: q4CampaignSample }],
  }),

  /** A page of a campaign's review items, filtered by reviewer, decision state or signal, and sorted. */
  'campaigns.items': entry({
    input: campaignItemsInputSchema,
    output: z.object({ total: z.number().int().nonnegative(), items: z.array(reviewItemSchema) }),
    samples: [
      {
        input: {
          campaignId: 1,
          reviewer: 'keiko.jensen@northwindlogistics.example',
          sort: 'risk',
          limit: 50,
        },
        output: { total: 1, items: [backupBotItemSample] },
      },
    ],
  }),

  /**
   * The reviewer's decision on one item: certify, revoke (the identity, one credential or one
   * entitlement) or reassign to an active person of the roster. A justification is required to revoke,
   * to reassign, and to certify an item with a high-risk signal. Appended to the decision log; it can
   * change until the reviewer signs off, each change a new record.
   */
  'decisions.record': entry({
    input: decisionRecordInputSchema,
    output: reviewItemSchema,
    samples: [
      {
        input: {
          campaignId: 1,
          itemId: 12,
          decision: 'revoke',
          target: { type: 'credential', ref: '1' },
          justification: 'Key unused since the backup job moved to an IAM role.',
          actor: 'keiko.jensen@northwindlogistics.example',
        },
        output: backupBotItemSample,
      },
    ],
  }),

  /** A reviewer signs off their items, once every one is decided; the log records who and when. */
  'campaigns.signOff': entry({
    input: z.object({ campaignId, actor: actorInput }).strict(),
    output: z.object({ reviewer: z.string(), signedAt: z.string(), items: z.number().int().nonnegative() }),
    samples: [
      {
        input: { campaignId: 1, actor: 'keiko.jensen@northwindlogistics.example' },
        output: {
          reviewer: 'keiko.jensen@northwindlogistics.example',
          signedAt: '2026-11-06T16:00:00.000Z',
          items: 9,
        },
      },
    ],
  }),

  /**
   * Closes an open campaign (campaign owner only): every item decided, or carried as an exception with
   * the owner's reason in `exceptions`. A closed campaign is read-only.
   */
  'campaigns.close': entry({
    input: z
      .object({
        campaignId,
        actor: actorInput,
        exceptions: z
          .array(
            z
              .object({ itemId: z.number().int().positive(), reason: z.string().trim().min(1).max(4000) })
              .strict(),
          )
          .max(100_000)
          .default([]),
      })
      .strict(),
    output: campaignSchema,
    samples: [
      {
        input: {
          campaignId: 1,
          actor: 'ana.silva@northwindlogistics.example',
          exceptions: [{ itemId: 30, reason: 'Owner on leave until January; risk accepted by the CISO.' }],
        },
        output: { ...q4CampaignSample, state: 'closed', closedAt: '2026-11-30T17:00:00.000Z' },
      },
    ],
  }),

  /** Progress of a campaign by reviewer (with sign-offs), by decision and by signal. */
  'campaigns.status': entry({
    input: z.object({ campaignId }).strict(),
    output: campaignStatusSchema,
    samples: [
      {
        input: { campaignId: 1 },
        output: {
          campaignId: 1,
          state: 'open',
          total: 46,
          decided: 10,
          byReviewer: [
            {
              reviewer: 'keiko.jensen@northwindlogistics.example',
              total: 9,
              decided: 9,
              signedOffAt: '2026-11-06T16:00:00.000Z',
            },
          ],
          byDecision: { pending: 36, certify: 7, revoke: 2, reassign: 1, exception: 0 },
          bySignal: [{ code: 'privileged', total: 5, decided: 2 }],
        },
      },
    ],
  }),

  /**
   * Recomputes the decision log's hash chain and names the first record that does not hold. Give the
   * head kept outside the vault (printed in the evidence) to detect a chain recomputed with the key.
   */
  'log.verify': entry({
    input: z.object({ expectedHead: logHeadSchema.optional() }).strict(),
    output: logVerificationSchema,
    samples: [
      {
        input: {},
        output: { ok: true, records: 58, head: { seq: 58, hash: 'e3'.repeat(32) }, broken: null },
      },
      {
        input: { expectedHead: { seq: 58, hash: 'e3'.repeat(32) } },
        output: {
          ok: false,
          records: 11,
          head: { seq: 11, hash: '9a'.repeat(32) },
          broken: {
            seq: 12,
            problem: 'edited',
            message: 'Record 12 was changed after it was written: its content no longer matches its hash.',
          },
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
