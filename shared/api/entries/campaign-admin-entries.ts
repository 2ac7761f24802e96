import { z } from 'zod';
import { IDENTITY_KINDS } from '../../domain/identity';
import { RISK_SIGNAL_CODES } from '../../domain/risk';
import { entry, noInput } from '../contract-entry';
import { campaignSchema, campaignScopeSchema } from '../schemas/campaigns';

/**
 * Contract entries for the campaign owner's work beyond the life cycle: a scope preview before launch,
 * progress for the list, reassigning items and queues, extending the due date. Conventions as in
 * shared/api/contract.ts. Every write is the campaign owner's only and lands in the decision log.
 */

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-30.');
const campaignId = z.number().int().positive();
/** Who acts; the CLI's `--as EMAIL`. Default: the operating-system user. */
const actorInput = z.string().trim().min(1).max(320).optional();
const email = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'Give an e-mail address like ana.silva@example.com.');
const count = z.number().int().nonnegative();

const ANA = 'ana.silva@northwindlogistics.example';
const KEIKO = 'keiko.jensen@northwindlogistics.example';
const RAVI = 'ravi.patel@northwindlogistics.example';

export const scopePreviewSchema = z.object({
  asOf: isoDay,
  /** Identities the scope holds at the as-of date: what a launch would freeze. */
  identities: count,
  bySource: z.array(z.object({ value: z.string(), count })),
  byKind: z.array(z.object({ value: z.enum(IDENTITY_KINDS), count })),
  /** Identities with at least one risk signal. */
  withSignals: count,
  /** Identities with at least one high-severity signal (their certification needs a justification). */
  highRisk: count,
  bySignal: z.array(z.object({ code: z.enum(RISK_SIGNAL_CODES), count })),
  /** Who would review how many, under the reviewer rule. */
  reviewers: z.array(z.object({ reviewer: z.string(), count })),
  /** Items the campaign owner would review because no owner or leaver's manager can. */
  toCampaignOwner: count,
  /** Items whose reviewer is one of several owners: flagged as self-review. */
  selfReviews: count,
});

export const campaignProgressSchema = z.array(
  z.object({ campaignId, total: count, decided: count, reviewers: count, signedOff: count }),
);

export const reassignItemsInputSchema = z
  .object({
    campaignId,
    /** These undecided items, or… */
    itemIds: z.array(z.number().int().positive()).min(1).max(100_000).optional(),
    /** …every undecided item of this reviewer's queue. */
    fromReviewer: email.optional(),
    /** An active person of the roster, or the campaign owner. */
    toReviewer: email,
    reason: z.string().trim().min(1).max(4000),
    actor: actorInput,
  })
  .strict()
  .refine((input) => (input.itemIds === undefined) !== (input.fromReviewer === undefined), {
    message: 'Name the items (itemIds) or the reviewer whose queue moves (fromReviewer), not both.',
  });

export const reassignItemsOutputSchema = z.object({
  campaignId,
  toReviewer: z.string(),
  moved: count,
  itemIds: z.array(z.number().int().positive()),
  /** Whose queues the items came from. */
  from: z.array(z.object({ reviewer: z.string(), count })),
  /** Moved items the new reviewer co-owns, flagged as self-review. */
  selfReviews: count,
});

const q4Sample: z.input<typeof campaignSchema> = {
  id: 1,
  name: 'Q4 2026 machine identity review',
  period: '2026-Q4',
  asOf: '2026-11-01',
  due: '2026-12-15',
  scope: { sources: ['aws:123456789012'], kinds: [], environments: [], signals: [] },
  owner: ANA,
  state: 'open',
  createdAt: '2026-11-02T08:00:00.000Z',
  launchedAt: '2026-11-02T08:05:00.000Z',
  closedAt: null,
  items: 46,
};

export const campaignAdminEntries = {
  /**
   * Counts what a campaign with this scope would freeze at `asOf`, before anything is created: the same
   * population a launch takes, by source, kind and signal, and who would review how much under the
   * reviewer rule (with `owner` as the campaign owner; default the operating-system user). Reads only.
   */
  'campaigns.previewScope': entry({
    input: z
      .object({
        scope: campaignScopeSchema.default({ sources: [], kinds: [], environments: [], signals: [] }),
        asOf: isoDay,
        owner: actorInput,
      })
      .strict(),
    output: scopePreviewSchema,
    samples: [
      {
        input: {
          scope: { sources: ['aws:123456789012'], kinds: [], environments: [], signals: [] },
          asOf: '2026-11-01',
          owner: ANA,
        },
        output: {
          asOf: '2026-11-01',
          identities: 46,
          bySource: [{ value: 'aws:123456789012', count: 46 }],
          byKind: [{ value: 'iam-user', count: 46 }],
          withSignals: 31,
          highRisk: 9,
          bySignal: [
            { code: 'credential-old', count: 18 },
            { code: 'privileged', count: 9 },
          ],
          reviewers: [
            { reviewer: KEIKO, count: 21 },
            { reviewer: ANA, count: 7 },
          ],
          toCampaignOwner: 7,
          selfReviews: 2,
        },
      },
    ],
  }),

  /** Decided and total items, reviewers and sign-offs of every campaign, newest first, for the list. */
  'campaigns.progress': entry({
    input: noInput,
    output: campaignProgressSchema,
    samples: [{ input: {}, output: [{ campaignId: 1, total: 46, decided: 30, reviewers: 6, signedOff: 2 }] }],
  }),

  /**
   * Moves undecided items, or the undecided part of a reviewer's queue, to another reviewer (campaign
   * owner only, open campaign only). Decided items stay with the reviewer who decided them. The new
   * reviewer must be an active person of the roster or the campaign owner, must not have signed off,
   * and is never given an identity they alone own (INVALID_INPUT names those items); co-owned ones are
   * flagged as self-review. Each moved item is one `review.reassign` record in the decision log.
   */
  'campaigns.reassignItems': entry({
    input: reassignItemsInputSchema,
    output: reassignItemsOutputSchema,
    samples: [
      {
        input: {
          campaignId: 1,
          fromReviewer: KEIKO,
          toReviewer: RAVI,
          reason: 'Keiko is on leave until January; Ravi covers Customer Integrations.',
          actor: ANA,
        },
        output: {
          campaignId: 1,
          toReviewer: RAVI,
          moved: 12,
          itemIds: [3, 4, 8, 9, 11, 15, 17, 20, 22, 23, 30, 41],
          from: [{ reviewer: KEIKO, count: 12 }],
          selfReviews: 0,
        },
      },
    ],
  }),

  /**
   * Moves a draft or open campaign's due date later (campaign owner only): after today and after the
   * current due date, with a reason that goes into the decision log.
   */
  'campaigns.extendDue': entry({
    input: z
      .object({ campaignId, due: isoDay, reason: z.string().trim().min(1).max(4000), actor: actorInput })
      .strict(),
    output: campaignSchema,
    samples: [
      {
        input: {
          campaignId: 1,
          due: '2026-12-15',
          reason: 'Two reviewers are out for the year-end freeze.',
          actor: ANA,
        },
        output: q4Sample,
      },
    ],
  }),
} as const;
