import { z } from 'zod';
import { ITEM_DECISION_STATES, REVIEW_DECISIONS } from '../../domain/campaign';
import { RISK_SEVERITIES, RISK_SIGNAL_CODES } from '../../domain/risk';
import { reviewItemSchema } from './campaigns';
import { identityChangeSchema } from './imports';

const id = z.number().int().positive();
const email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'Give an e-mail address like ana.silva@example.com.');
const actor = z.string().trim().min(1).max(320);

/** The columns the queue sorts by; each has an index (migration 005). */
export const QUEUE_SORTS = [
  'identity',
  'kind',
  'source',
  'owner',
  'ownerStatus',
  'lastUsed',
  'oldestCredential',
  'risk',
  'decision',
] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** `decided` is any decision; the others are one state each. */
export const QUEUE_DECISION_FILTERS = ['pending', 'decided', ...ITEM_DECISION_STATES.slice(1)] as const;
export type QueueDecisionFilter = (typeof QUEUE_DECISION_FILTERS)[number];

export const OWNER_STATES = ['active', 'terminated', 'not-in-roster', 'none'] as const;

/** What narrows a queue: the same in a query, a saved view and a bulk selection. */
export const queueFiltersSchema = z
  .object({
    search: z.string().trim().max(200).optional(),
    decision: z.enum(QUEUE_DECISION_FILTERS).optional(),
    /** Items with at least one of these signals. */
    signals: z.array(z.enum(RISK_SIGNAL_CODES)).max(RISK_SIGNAL_CODES.length).optional(),
    highRiskOnly: z.boolean().optional(),
    /** Undecided items once the campaign's due date has passed (none before it). */
    overdueOnly: z.boolean().optional(),
  })
  .strict();
export type QueueFilters = z.output<typeof queueFiltersSchema>;

export const queueSelectionSchema = queueFiltersSchema
  .extend({
    campaignId: id,
    /** One reviewer's queue; the whole campaign when absent. */
    reviewer: z.string().trim().min(1).max(320).optional(),
  })
  .strict();

export const reviewQueueInputSchema = queueSelectionSchema
  .extend({
    sort: z.enum(QUEUE_SORTS).default('identity'),
    /** For `risk`, `desc` is the riskiest first. */
    direction: z.enum(['asc', 'desc']).default('asc'),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const queueRowSchema = z.object({
  itemId: id,
  identityId: id,
  name: z.string(),
  kind: z.string(),
  source: z.string(),
  /** The owner to show first: a terminated one before the others; null without owner. */
  owner: z.string().nullable(),
  ownerStatus: z.enum(OWNER_STATES),
  lastUsedAt: z.string().nullable(),
  /** When the oldest credential was last rotated, or created when never rotated. */
  oldestCredentialAt: z.string().nullable(),
  /** Each signal with its plain-language reason, for the badge's tooltip. */
  signals: z.array(
    z.object({ code: z.enum(RISK_SIGNAL_CODES), severity: z.enum(RISK_SEVERITIES), reason: z.string() }),
  ),
  highRisk: z.boolean(),
  decision: z.enum(ITEM_DECISION_STATES),
  decidedAt: z.string().nullable(),
  selfReview: z.boolean(),
});
export type QueueRow = z.output<typeof queueRowSchema>;

export const reviewQueueSchema = z.object({
  /** Items matching the filters: the height of the virtual list. */
  total: z.number().int().nonnegative(),
  /** How many of those are decided. */
  decided: z.number().int().nonnegative(),
  rows: z.array(queueRowSchema),
});

export const queueIdsSchema = z.object({
  itemIds: z.array(id),
  /**
   * How many of the matching items carry each signal, in the order of RISK_SIGNAL_CODES, with the
   * severity the campaign's items carry it at (the policy at launch: `high` when it counted as high risk).
   */
  signals: z.array(
    z.object({
      code: z.enum(RISK_SIGNAL_CODES),
      count: z.number().int().nonnegative(),
      severity: z.enum(RISK_SEVERITIES),
    }),
  ),
  highRisk: z.number().int().nonnegative(),
});

export const MAX_BULK_ITEMS = 100_000;

export const bulkDecideInputSchema = z
  .object({
    campaignId: id,
    itemIds: z.array(id).min(1).max(MAX_BULK_ITEMS),
    /** A bulk revoke removes each whole identity. */
    decision: z.enum(REVIEW_DECISIONS),
    newOwner: email.optional(),
    justification: z.string().trim().min(1).max(4000).optional(),
    actor: actor.optional(),
  })
  .strict();

export const bulkDecideSchema = z.object({
  decided: z.number().int().nonnegative(),
  /** Items left as they were, grouped by why (the first ids of each group). */
  skipped: z.array(
    z.object({ reason: z.string(), count: z.number().int().positive(), itemIds: z.array(id).max(20) }),
  ),
});

export const reviewUndoInputSchema = z.object({ campaignId: id, actor: actor.optional() }).strict();

export const reviewUndoSchema = z.object({
  /** The decision taken back. */
  undone: z.enum(REVIEW_DECISIONS),
  /** The item as it is now, back in its previous state. */
  item: reviewItemSchema,
});

export const peopleSearchInputSchema = z
  .object({
    query: z.string().trim().max(200).default(''),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();

export const personChoiceSchema = z.object({
  email: z.string(),
  name: z.string().nullable(),
  department: z.string().nullable(),
});

export const savedViewSchema = z.object({
  /** `builtin:...` for the views Steward ships, a number as text for saved ones. */
  id: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  filters: queueFiltersSchema,
});

export const saveViewInputSchema = z
  .object({ name: z.string().trim().min(1).max(80), filters: queueFiltersSchema })
  .strict();

export const reviewItemDetailSchema = z.object({
  item: reviewItemSchema,
  /** The identity across snapshots, newest first, up to today (later imports included). */
  history: z.array(identityChangeSchema),
  /** The same identity in the last campaign launched before this one that included it. */
  previous: z
    .object({
      campaignId: id,
      campaignName: z.string(),
      asOf: z.string(),
      itemId: id,
      decision: z.enum(ITEM_DECISION_STATES),
      decidedBy: z.string().nullable(),
      decidedAt: z.string().nullable(),
      justification: z.string().nullable(),
    })
    .nullable(),
  /** What differs between that campaign's frozen copy and this one's, in plain words. */
  changes: z.array(
    z.object({
      aspect: z.enum(['name', 'status', 'owners', 'credentials', 'entitlements', 'signals', 'last-used']),
      summary: z.string(),
    }),
  ),
});
