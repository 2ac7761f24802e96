import { z } from 'zod';
import {
  CREDENTIAL_STATUSES,
  CREDENTIAL_TYPES,
  IDENTITY_KINDS,
  IDENTITY_STATUSES,
} from '../../domain/identity';
import { OWASP_NHI_IDS, RISK_SEVERITIES, RISK_SIGNAL_CODES } from '../../domain/risk';

const isoDateTime = z.string().datetime({ offset: true });
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01.');

export const ownerStatusSchema = z.enum(['active', 'terminated', 'not-in-roster']);

/** A risk signal as the inventory and `identities --json` show it (see shared/domain/risk.ts). */
export const identitySignalSchema = z.object({
  code: z.enum(RISK_SIGNAL_CODES),
  /** Plain language: who, which credential, how many days, against which policy value. */
  reason: z.string(),
  /** The OWASP Non-Human Identities Top 10 (2025) risk it maps to, e.g. `NHI1:2025`; null when none fits. */
  owasp: z.enum(OWASP_NHI_IDS).nullable(),
  severity: z.enum(RISK_SEVERITIES),
});
export type IdentitySignal = z.infer<typeof identitySignalSchema>;

export const identityRecordSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  kind: z.enum(IDENTITY_KINDS),
  externalId: z.string(),
  name: z.string(),
  environment: z.string().nullable(),
  status: z.enum(IDENTITY_STATUSES),
  description: z.string().nullable(),
  owners: z.array(
    z.object({ email: z.string(), role: z.enum(['business', 'technical']), status: ownerStatusSchema }),
  ),
  createdAt: isoDateTime.nullable(),
  lastUsedAt: isoDateTime.nullable(),
  credentials: z.array(
    z.object({
      externalId: z.string().nullable(),
      type: z.enum(CREDENTIAL_TYPES),
      createdAt: isoDateTime.nullable(),
      lastRotatedAt: isoDateTime.nullable(),
      expiresAt: isoDateTime.nullable(),
      lastUsedAt: isoDateTime.nullable(),
      status: z.enum(CREDENTIAL_STATUSES),
    }),
  ),
  entitlements: z.array(
    z.object({ name: z.string(), resource: z.string().nullable(), privileged: z.boolean() }),
  ),
  /** When the identity's source last listed it, if a newer full snapshot no longer does. */
  notSeenSince: isoDateTime.nullable(),
  /** Risk signals at the list's as-of date. Absent from records frozen before signals were listed. */
  signals: z.array(identitySignalSchema).default([]),
});
export type IdentityRecord = z.infer<typeof identityRecordSchema>;

export const identityListInputSchema = z
  .object({
    /** Owner status is judged at this date (default: today). */
    asOf: isoDay.optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    source: z.string().max(200).optional(),
    kind: z.enum(IDENTITY_KINDS).optional(),
    environment: z.string().max(200).optional(),
    search: z.string().max(200).optional(),
    /** `none`: identities without any owner; the others: at least one owner with that status. */
    ownerStatus: z.enum(['active', 'terminated', 'not-in-roster', 'none']).optional(),
    /** Only identities carrying this risk signal at the as-of date. */
    signal: z.enum(RISK_SIGNAL_CODES).optional(),
    sort: z.enum(['name', 'lastUsedAt', 'source', 'kind']).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();

export const identityListOutputSchema = z.object({
  total: z.number().int().nonnegative(),
  asOf: isoDay,
  items: z.array(identityRecordSchema),
});

export const importRejectSchema = z.object({ file: z.string(), row: z.number().int(), reason: z.string() });
export const snapshotFileSchema = z.object({
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const snapshotSummarySchema = z.object({
  snapshotId: z.number().int(),
  source: z.string(),
  format: z.string(),
  preset: z.string(),
  files: z.array(snapshotFileSchema),
  rowsRead: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  rejects: z.array(importRejectSchema),
  notes: z.array(z.object({ file: z.string(), row: z.number().int(), message: z.string() })),
  /** False when the files hold only part of the source's population (nothing was marked not seen). */
  full: z.boolean(),
  added: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  notSeen: z.number().int().nonnegative(),
  alreadyImported: z.boolean(),
  importedAt: isoDateTime,
  importedBy: z.string(),
});
export type SnapshotSummaryRecord = z.infer<typeof snapshotSummarySchema>;

export const rosterSummarySchema = z.object({
  snapshotId: z.number().int(),
  files: z.array(snapshotFileSchema),
  rowsRead: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  rejects: z.array(importRejectSchema),
  active: z.number().int().nonnegative(),
  terminated: z.number().int().nonnegative(),
  alreadyImported: z.boolean(),
});
