import { z } from 'zod';
import { IDENTITY_KINDS } from '../../domain/identity';
import { MAPPING_FIELDS } from '../../domain/mapping-fields';
import { identityRecordSchema, snapshotFileSchema } from './inventory';
import { RISK_SIGNAL_CODES } from '../../domain/risk';

const path = z.string().min(1).max(4096);

export const importRunInputSchema = z
  .object({
    paths: z.array(path).min(1, 'Choose at least one file.').max(500),
    format: z.string().max(100).optional(),
    source: z.string().trim().min(1).max(200).optional(),
    sheet: z.string().max(200).optional(),
    /** Target field -> column header, for a table no preset recognises (saved for next time). */
    mapping: z.partialRecord(z.enum(MAPPING_FIELDS), z.string().max(500)).optional(),
    parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** Chosen by the caller, echoed in `task.progress` events and used by `imports.cancel`. */
    taskId: z.string().max(100).optional(),
  })
  .strict();

export const importPreviewInputSchema = z
  .object({
    paths: z.array(path).min(1).max(500),
    format: z.string().max(100).optional(),
    sheet: z.string().max(200).optional(),
  })
  .strict();

const mappingMatchSchema = z.object({
  column: z.number().int().nonnegative(),
  header: z.string(),
  confidence: z.number(),
});

export const importPreviewSchema = z.object({
  shape: z.enum(['table', 'documents']),
  files: z.array(
    z.object({
      name: z.string(),
      bytes: z.number().int().nonnegative(),
      format: z.enum(['csv', 'xlsx', 'json']),
      encoding: z.string().nullable(),
    }),
  ),
  /** The format Steward recognised (or was told), null when it recognised none. */
  detected: z.object({ id: z.string(), label: z.string(), confidence: z.number() }).nullable(),
  /** Why Steward cannot import these files as they are, in words; null when it can. */
  problem: z.string().nullable(),
  table: z
    .object({
      sheet: z.string().nullable(),
      sheets: z.array(z.string()),
      delimiter: z.string().nullable(),
      encoding: z.string().nullable(),
      header: z.array(z.string()),
      headerRow: z.number().int(),
      rows: z.array(z.object({ rowNumber: z.number().int(), cells: z.array(z.string()) })),
      mapping: z.object({
        headerSignature: z.string(),
        /** True when the mapping is the one the user confirmed for this layout before. */
        saved: z.boolean(),
        fields: z.partialRecord(z.enum(MAPPING_FIELDS), mappingMatchSchema),
      }),
    })
    .nullable(),
  documents: z
    .object({
      identities: z.number().int().nonnegative(),
      rejects: z.number().int().nonnegative(),
      notes: z.number().int().nonnegative(),
      partial: z.boolean(),
      sample: z.array(z.object({ name: z.string(), kind: z.enum(IDENTITY_KINDS), externalId: z.string() })),
    })
    .nullable(),
});

export const snapshotListItemSchema = z.object({
  snapshotId: z.number().int(),
  source: z.string(),
  sourceKind: z.string(),
  preset: z.string(),
  format: z.string(),
  importedAt: z.string(),
  importedBy: z.string(),
  rowsRead: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  full: z.boolean(),
  files: z.array(snapshotFileSchema),
});

export const identityChangeSchema = z.object({
  snapshotId: z.number().int(),
  importedAt: z.string(),
  change: z.enum(['added', 'changed', 'not-seen', 'seen-again']),
  aspects: z.array(z.string()),
  details: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
});

export const identityDetailSchema = z.object({
  identity: identityRecordSchema,
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  history: z.array(identityChangeSchema),
});

const signalCountSchema = z.object({ value: z.enum(RISK_SIGNAL_CODES), count: z.number().int() });

/** Identities per risk signal at `asOf`, in the order a reviewer reads the signals. */
export const signalCountsSchema = z.object({ asOf: z.string(), signals: z.array(signalCountSchema) });

export const inventoryFacetsSchema = z.object({
  total: z.number().int(),
  sources: z.array(z.object({ value: z.string(), count: z.number().int() })),
  kinds: z.array(z.object({ value: z.enum(IDENTITY_KINDS), count: z.number().int() })),
  environments: z.array(z.object({ value: z.string(), count: z.number().int() })),
  /** Identities per risk signal at `signalsAsOf` (today). */
  signals: z.array(signalCountSchema).default([]),
  signalsAsOf: z.string().nullable().default(null),
});

/** The `task.progress` label of an import while it reads rows (later stages name what they do). */
export const IMPORT_READING_ROWS_LABEL = 'Importing rows';
