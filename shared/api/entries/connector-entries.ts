import { z } from 'zod';
import { entry, noInput } from '../contract-entry';
import { snapshotSummarySchema } from '../schemas/inventory';

/**
 * Contract entries of the connector domain (see shared/api/contract.ts for the conventions). Each entry:
 * JSDoc saying what it does and which errors it answers, zod input/output, realistic samples.
 *
 * A connector profile names a source (its name becomes the snapshots' source), its type, non-secret
 * options shown as they are, and secrets that stay inside the encrypted vault: no output of this
 * domain ever carries a secret, only a masked form of it (`ghp_…9f2a`).
 */

export const CONNECTOR_TYPE_IDS = ['aws', 'entra', 'github', 'kubernetes'] as const;
export const connectorTypeSchema = z.enum(CONNECTOR_TYPE_IDS, {
  error: () => 'The connector type must be one of aws, entra, github, kubernetes.',
});

export const connectorProfileNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the connector a name (it becomes the source of its snapshots).')
  .max(100, 'A connector name has at most 100 characters.')
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'A connector name cannot hold control characters.');

const settingValues = z.record(z.string().max(200), z.string().max(1_000_000));

export const connectorFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
  hint: z.string(),
  placeholder: z.string(),
  /** Environment variables the CLI reads this secret from, first set wins. */
  env: z.array(z.string()).optional(),
  /** The core reads this secret from the file named by that option when the profile is added. */
  readFromOption: z.string().optional(),
});

export const connectorTypeInfoSchema = z.object({
  type: connectorTypeSchema,
  label: z.string(),
  /** False when this build of Steward has no connector of the type. */
  available: z.boolean(),
  /** The SDK and version that reads the source, when available. */
  sdk: z.string().nullable(),
  options: z.array(connectorFieldSchema),
  secrets: z.array(connectorFieldSchema),
});

export const connectorPullOutcomeSchema = z.enum(['ok', 'failed', 'cancelled']);

export const connectorPullSchema = z.object({
  id: z.number().int(),
  profile: z.string(),
  type: connectorTypeSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: connectorPullOutcomeSchema,
  snapshotId: z.number().int().nullable(),
  /** What failed, for a failed or cancelled pull. */
  message: z.string().nullable(),
  /** Identities the pull brought in (or read before it stopped). */
  items: z.number().int().nonnegative(),
  startedBy: z.string(),
});

export const connectorProfileSchema = z.object({
  name: z.string(),
  type: connectorTypeSchema,
  typeLabel: z.string(),
  /** The org, tenant, account or cluster context it reads, in a few words. */
  target: z.string(),
  /** The non-secret settings as stored. */
  options: z.record(z.string(), z.string()),
  /** Each stored secret, masked. */
  secrets: z.array(z.object({ key: z.string(), label: z.string(), masked: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastPull: connectorPullSchema.nullable(),
});

export const connectionCheckSchema = z.object({ name: z.string(), ok: z.boolean(), message: z.string() });

export type ConnectorTypeInfoRecord = z.infer<typeof connectorTypeInfoSchema>;
export type ConnectorProfileRecord = z.infer<typeof connectorProfileSchema>;
export type ConnectorPullRecord = z.infer<typeof connectorPullSchema>;

const profileSample: z.input<typeof connectorProfileSchema> = {
  name: 'nwl-github',
  type: 'github',
  typeLabel: 'GitHub',
  target: 'northwind-logistics on https://api.github.com',
  options: { org: 'northwind-logistics' },
  secrets: [{ key: 'token', label: 'Token', masked: 'ghp_…9f2a' }],
  createdAt: '2026-11-02T08:15:00.000Z',
  updatedAt: '2026-11-02T08:15:00.000Z',
  lastPull: {
    id: 4,
    profile: 'nwl-github',
    type: 'github',
    startedAt: '2026-11-03T07:00:00.000Z',
    finishedAt: '2026-11-03T07:00:12.000Z',
    outcome: 'ok',
    snapshotId: 12,
    message: null,
    items: 38,
    startedBy: 'ana',
  },
};

const taskId = z.string().min(1).max(100);

export const connectorEntries = {
  /**
   * Every connector type with its label, whether this build has it, and the options and secrets it
   * takes (for the "Add connector" form and the CLI's flags).
   */
  'connectors.types': entry({
    input: noInput,
    output: z.array(connectorTypeInfoSchema),
    samples: [
      {
        input: {},
        output: [
          {
            type: 'github',
            label: 'GitHub',
            available: true,
            sdk: '@octokit/rest 22.0.1',
            options: [
              {
                key: 'org',
                label: 'Organisation',
                required: true,
                hint: 'The organisation login, as in github.com/ORG.',
                placeholder: 'northwind-logistics',
              },
            ],
            secrets: [
              {
                key: 'token',
                label: 'Token',
                required: true,
                hint: 'A token with read:org.',
                placeholder: 'ghp_…',
                env: ['STEWARD_GITHUB_TOKEN', 'GITHUB_TOKEN'],
              },
            ],
          },
        ],
      },
    ],
  }),

  /** Every connector profile, by name, with its secrets masked and its last pull. VAULT_LOCKED. */
  'connectors.list': entry({
    input: noInput,
    output: z.array(connectorProfileSchema),
    samples: [{ input: {}, output: [profileSample] }],
  }),

  /**
   * Stores a new profile after the connector's own schemas accept its options and secrets. For
   * kubernetes, the kubeconfig is read from `options.kubeconfigFile` now unless given as a secret,
   * and the context must be one of its contexts. INVALID_INPUT names what is wrong: an unknown type,
   * a missing option, a name already used, a file that is missing or not a kubeconfig.
   */
  'connectors.add': entry({
    input: z
      .object({
        name: connectorProfileNameSchema,
        type: connectorTypeSchema,
        options: settingValues.default({}),
        secrets: settingValues.default({}),
      })
      .strict(),
    output: connectorProfileSchema,
    samples: [
      {
        input: {
          name: 'nwl-github',
          type: 'github',
          options: { org: 'northwind-logistics' },
          secrets: { token: 'ghp_exampleexampleexampleexample9f2a' },
        },
        output: { ...profileSample, lastPull: null },
      },
    ],
  }),

  /** Replaces a profile's secrets (a rotated token); its options and history stay. INVALID_INPUT. */
  'connectors.updateSecrets': entry({
    input: z.object({ name: connectorProfileNameSchema, secrets: settingValues }).strict(),
    output: connectorProfileSchema,
    samples: [
      {
        input: { name: 'nwl-github', secrets: { token: 'ghp_rotatedrotatedrotatedrotated77c1' } },
        output: { ...profileSample, secrets: [{ key: 'token', label: 'Token', masked: 'ghp_…77c1' }] },
      },
    ],
  }),

  /**
   * Deletes a profile and its stored secrets. Its snapshots, the identities they brought and its pull
   * history stay in the vault as evidence; the message says so.
   */
  'connectors.remove': entry({
    input: z.object({ name: connectorProfileNameSchema }).strict(),
    output: z.object({ name: z.string(), snapshotsKept: z.number().int(), message: z.string() }),
    samples: [
      {
        input: { name: 'nwl-github' },
        output: {
          name: 'nwl-github',
          snapshotsKept: 3,
          message:
            'Removed the connector "nwl-github" and its stored credentials. Its 3 snapshots and its pull history stay in the vault.',
        },
      },
    ],
  }),

  /**
   * Signs in and tries each read a pull needs, reporting every check in order: what failed (bad
   * credentials, a missing permission by name, an unreachable host, a TLS error) and what to do.
   * Nothing is written. Pass a `taskId` to be able to stop it with `connectors.cancel`.
   */
  'connectors.test': entry({
    input: z.object({ name: connectorProfileNameSchema, taskId: taskId.optional() }).strict(),
    output: z.array(connectionCheckSchema),
    samples: [
      {
        input: { name: 'nwl-github' },
        output: [
          { name: 'Sign in', ok: true, message: 'Signed in as steward-audit.' },
          {
            name: 'List app installations (read:org)',
            ok: false,
            message: 'GitHub refused: the token lacks read:org. Grant it and test again.',
          },
        ],
      },
    ],
  }),

  /**
   * Reads the source through the profile's connector and writes one snapshot, exactly like an import
   * (same normalisation, history and dedupe) with the profile's name as source. Reports progress as
   * `task.progress` events under `taskId`; `connectors.cancel` stops it. One transaction: a failure or
   * a cancel writes no snapshot. Every pull, failed ones too, is recorded (`connectors.pulls`).
   * CONNECTOR_AUTH, CONNECTOR_PERMISSION, CONNECTOR_UNREACHABLE, CONNECTOR_FAILED, CANCELLED.
   */
  'connectors.pull': entry({
    input: z.object({ name: connectorProfileNameSchema, taskId: taskId.optional() }).strict(),
    output: snapshotSummarySchema,
    samples: [
      {
        input: { name: 'nwl-github', taskId: 'pull-1' },
        output: {
          snapshotId: 12,
          source: 'nwl-github',
          format: 'connector',
          preset: 'github-org',
          files: [
            { name: 'GET /orgs/northwind-logistics/installations', bytes: 4210, sha256: 'cd'.repeat(32) },
          ],
          rowsRead: 38,
          imported: 38,
          rejected: 0,
          skipped: 0,
          rejects: [],
          notes: [],
          full: true,
          added: 2,
          changed: 1,
          unchanged: 35,
          notSeen: 0,
          alreadyImported: false,
          importedAt: '2026-11-03T07:00:12.000Z',
          importedBy: 'ana',
        },
      },
    ],
  }),

  /** Stops a running pull or test; false when no task has that id (it finished, or never ran). */
  'connectors.cancel': entry({
    input: z.object({ taskId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    samples: [{ input: { taskId: 'pull-1' }, output: { cancelled: true } }],
  }),

  /** Past pulls, newest first, of one profile or of all (including removed profiles). */
  'connectors.pulls': entry({
    input: z
      .object({
        name: connectorProfileNameSchema.optional(),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
    output: z.array(connectorPullSchema),
    samples: [
      {
        input: { name: 'nwl-github', limit: 20 },
        output: [
          profileSample.lastPull!,
          {
            id: 3,
            profile: 'nwl-github',
            type: 'github',
            startedAt: '2026-11-02T08:20:00.000Z',
            finishedAt: '2026-11-02T08:20:01.000Z',
            outcome: 'failed',
            snapshotId: null,
            message: 'GitHub refused the token (401 Bad credentials). Rotate it and test again.',
            items: 0,
            startedBy: 'ana',
          },
        ],
      },
    ],
  }),
} as const;
