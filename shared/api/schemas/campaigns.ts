import { z } from 'zod';
import {
  CAMPAIGN_STATES,
  ITEM_DECISION_STATES,
  REVIEW_DECISIONS,
  REVOKE_TARGETS,
  ROUTING_RULES,
} from '../../domain/campaign';
import { IDENTITY_KINDS } from '../../domain/identity';
import { RISK_SEVERITIES, RISK_SIGNAL_CODES } from '../../domain/risk';
import { identityRecordSchema } from './inventory';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-01.');
const email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'Give an e-mail address like ana.silva@example.com.');
/** Who acts: an e-mail, or the operating-system user name when no e-mail is given. */
const actor = z.string().trim().min(1).max(320);
const id = z.number().int().positive();

/** Which identities a campaign reviews. An empty list means "all"; every list given must match. */
export const campaignScopeSchema = z
  .object({
    sources: z.array(z.string().min(1).max(200)).max(500).default([]),
    kinds: z.array(z.enum(IDENTITY_KINDS)).max(50).default([]),
    environments: z.array(z.string().min(1).max(200)).max(500).default([]),
    /** Only identities with at least one of these signals at the as-of date. */
    signals: z.array(z.enum(RISK_SIGNAL_CODES)).max(50).default([]),
  })
  .strict();

export const campaignSchema = z.object({
  id,
  name: z.string(),
  period: z.string().nullable(),
  asOf: isoDay,
  due: isoDay.nullable(),
  scope: campaignScopeSchema,
  owner: z.string(),
  state: z.enum(CAMPAIGN_STATES),
  createdAt: z.string(),
  launchedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  items: z.number().int().nonnegative(),
});

export const campaignCreateInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** A label such as "2026-Q4". */
    period: z.string().trim().min(1).max(100).optional(),
    asOf: isoDay,
    due: isoDay.optional(),
    scope: campaignScopeSchema.default({ sources: [], kinds: [], environments: [], signals: [] }),
    /** Default: the operating-system user. */
    owner: actor.optional(),
  })
  .strict();

export const frozenSignalSchema = z.object({
  code: z.enum(RISK_SIGNAL_CODES),
  reason: z.string(),
  severity: z.enum(RISK_SEVERITIES),
});

export const revokeTargetSchema = z.object({
  type: z.enum(REVOKE_TARGETS),
  /** The credential's id (or its 1-based position when it has none), or the entitlement's name. */
  ref: z.string().min(1).max(500).nullable(),
});

export const reviewItemSchema = z.object({
  id,
  campaignId: id,
  identityId: id,
  name: z.string(),
  source: z.string(),
  kind: z.string(),
  reviewer: z.string(),
  routing: z.object({ rule: z.enum(ROUTING_RULES), reason: z.string() }),
  /** The reviewer is also an owner of the identity (never its only one). */
  selfReview: z.boolean(),
  signals: z.array(frozenSignalSchema),
  highRisk: z.boolean(),
  decision: z.enum(ITEM_DECISION_STATES),
  target: revokeTargetSchema.nullable(),
  newOwner: z.string().nullable(),
  justification: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** The identity as it was at launch; later imports never change it. */
  identity: identityRecordSchema,
  attributes: z.record(z.string(), z.unknown()),
});

export const campaignItemsInputSchema = z
  .object({
    campaignId: id,
    reviewer: z.string().max(320).optional(),
    decision: z.enum(ITEM_DECISION_STATES).optional(),
    signal: z.enum(RISK_SIGNAL_CODES).optional(),
    sort: z.enum(['name', 'reviewer', 'risk', 'decision']).default('name'),
    direction: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const decisionRecordInputSchema = z
  .object({
    campaignId: id,
    itemId: id,
    decision: z.enum(REVIEW_DECISIONS),
    /** For revoke: what goes (default the whole identity). */
    target: revokeTargetSchema.optional(),
    /** For reassign: the new owner, an active person of the roster. */
    newOwner: email.optional(),
    justification: z.string().trim().min(1).max(4000).optional(),
    /** The reviewer deciding. Default: the operating-system user. */
    actor: actor.optional(),
  })
  .strict();

export const campaignStatusSchema = z.object({
  campaignId: id,
  state: z.enum(CAMPAIGN_STATES),
  total: z.number().int().nonnegative(),
  decided: z.number().int().nonnegative(),
  byReviewer: z.array(
    z.object({
      reviewer: z.string(),
      total: z.number().int().nonnegative(),
      decided: z.number().int().nonnegative(),
      signedOffAt: z.string().nullable(),
    }),
  ),
  byDecision: z.record(z.enum(ITEM_DECISION_STATES), z.number().int().nonnegative()),
  bySignal: z.array(
    z.object({
      code: z.enum(RISK_SIGNAL_CODES),
      total: z.number().int().nonnegative(),
      decided: z.number().int().nonnegative(),
    }),
  ),
});

export const logHeadSchema = z.object({
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export const logVerificationSchema = z.object({
  ok: z.boolean(),
  records: z.number().int().nonnegative(),
  head: logHeadSchema,
  broken: z
    .object({
      seq: z.number().int().nonnegative(),
      problem: z.enum(['edited', 'missing', 'out-of-order', 'unreadable', 'head-mismatch']),
      message: z.string(),
    })
    .nullable(),
});
