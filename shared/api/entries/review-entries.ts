import { z } from 'zod';
import { entry, noInput } from '../contract-entry';
import type { reviewItemSchema } from '../schemas/campaigns';
import {
  bulkDecideInputSchema,
  bulkDecideSchema,
  peopleSearchInputSchema,
  personChoiceSchema,
  queueIdsSchema,
  queueSelectionSchema,
  reviewItemDetailSchema,
  reviewQueueInputSchema,
  reviewQueueSchema,
  reviewUndoInputSchema,
  reviewUndoSchema,
  saveViewInputSchema,
  savedViewSchema,
} from '../schemas/review-queue';

const KEIKO = 'keiko.jensen@northwindlogistics.example';

const schedulerItemSample: z.input<typeof reviewItemSchema> = {
  id: 31,
  campaignId: 2,
  identityId: 58,
  name: 'data-pipeline/airflow-scheduler',
  source: 'nwl-prod-eks',
  kind: 'kubernetes-service-account',
  reviewer: 'ingrid.osei@northwindlogistics.example',
  routing: {
    rule: 'manager-of-leaver',
    reason:
      'The business owner arjun.moreau@northwindlogistics.example left on 2026-05-15; ingrid.osei@northwindlogistics.example is their manager.',
  },
  selfReview: false,
  signals: [
    {
      code: 'owner-terminated',
      reason: 'Its business owner arjun.moreau@northwindlogistics.example left on 2026-05-15.',
      severity: 'high',
    },
  ],
  highRisk: true,
  decision: 'pending',
  target: null,
  newOwner: null,
  justification: null,
  decidedBy: null,
  decidedAt: null,
  identity: {
    id: 58,
    source: 'nwl-prod-eks',
    kind: 'kubernetes-service-account',
    externalId: 'data-pipeline/airflow-scheduler',
    name: 'data-pipeline/airflow-scheduler',
    environment: 'production',
    status: 'active',
    description: null,
    owners: [{ email: 'arjun.moreau@northwindlogistics.example', role: 'business', status: 'terminated' }],
    createdAt: '2023-02-14T09:00:00.000Z',
    lastUsedAt: '2026-10-31T23:00:00.000Z',
    credentials: [],
    entitlements: [{ name: 'cluster-admin', resource: null, privileged: true }],
    notSeenSince: null,
  },
  attributes: { namespace: 'data-pipeline' },
};

/**
 * Contract entries of the reviewer's workspace (see shared/api/contract.ts for the conventions): the
 * queue a virtualized table pages through, bulk decisions, undo, the reassign picker, saved views and
 * the detail of one item.
 */
export const reviewEntries = {
  /**
   * One window of a reviewer's queue (or the whole campaign's when no reviewer is given): compact rows
   * read from indexed columns, never the frozen copy, so filtering and sorting 100,000 items stays
   * fast. `total` is the height of the virtual list; `decided` how many of those are decided.
   * INVALID_INPUT for an unknown campaign.
   */
  'review.queue': entry({
    input: reviewQueueInputSchema,
    output: reviewQueueSchema,
    samples: [
      {
        input: {
          campaignId: 2,
          reviewer: 'ingrid.osei@northwindlogistics.example',
          highRiskOnly: true,
          sort: 'risk',
          direction: 'desc',
          offset: 0,
          limit: 200,
        },
        output: {
          total: 1,
          decided: 0,
          rows: [
            {
              itemId: 31,
              identityId: 58,
              name: 'data-pipeline/airflow-scheduler',
              kind: 'kubernetes-service-account',
              source: 'nwl-prod-eks',
              owner: 'arjun.moreau@northwindlogistics.example',
              ownerStatus: 'terminated',
              lastUsedAt: '2026-10-31T23:00:00.000Z',
              oldestCredentialAt: null,
              signals: [
                {
                  code: 'owner-terminated',
                  severity: 'high',
                  reason: 'Its business owner arjun.moreau@northwindlogistics.example left on 2026-05-15.',
                },
                { code: 'privileged', severity: 'high', reason: 'Bound to cluster-admin.' },
              ],
              highRisk: true,
              decision: 'pending',
              decidedAt: null,
              selfReview: false,
            },
          ],
        },
      },
    ],
  }),

  /**
   * Every item id of a selection, for "select all N matching", with how many carry each signal so the
   * bulk confirmation can say what is among them.
   */
  'review.queueIds': entry({
    input: queueSelectionSchema,
    output: queueIdsSchema,
    samples: [
      {
        input: { campaignId: 2, reviewer: KEIKO, decision: 'pending' },
        output: {
          itemIds: [12, 14, 19],
          signals: [
            { code: 'stale', count: 2, severity: 'medium' },
            { code: 'credential-old', count: 1, severity: 'medium' },
          ],
          highRisk: 0,
        },
      },
    ],
  }),

  /**
   * One decision for up to 100,000 items, under the rules of decisions.record: the actor's items only,
   * a justification to revoke or reassign (INVALID_INPUT without), and to certify a high-risk item
   * (such items are skipped with the reason; the others go through). A bulk revoke removes each whole
   * identity. One transaction; one log record per item, chained exactly as single decisions are.
   * INVALID_INPUT once the actor signed off.
   */
  'review.bulkDecide': entry({
    input: bulkDecideInputSchema,
    output: bulkDecideSchema,
    samples: [
      {
        input: { campaignId: 2, itemIds: [12, 14, 19], decision: 'certify', actor: KEIKO },
        output: {
          decided: 2,
          skipped: [
            {
              reason: 'Has a high-risk signal: certifying it needs a justification.',
              count: 1,
              itemIds: [19],
            },
          ],
        },
      },
    ],
  }),

  /**
   * Takes back the actor's last decision in the campaign that is not already undone: a new
   * `decision.undone` log record restores the item's previous state (the log is never changed). Undo
   * again goes one decision further back. INVALID_INPUT when there is nothing to undo or after sign-off.
   */
  'review.undo': entry({
    input: reviewUndoInputSchema,
    output: reviewUndoSchema,
    samples: [
      {
        input: { campaignId: 2, actor: 'ingrid.osei@northwindlogistics.example' },
        output: { undone: 'certify', item: schedulerItemSample },
      },
    ],
  }),

  /**
   * Active people of the HR roster whose name, e-mail or department contains the query, for the
   * reassign picker. Leavers and people outside the roster are never offered.
   */
  'people.search': entry({
    input: peopleSearchInputSchema,
    output: z.array(personChoiceSchema),
    samples: [
      {
        input: { query: 'keiko', limit: 20 },
        output: [{ email: KEIKO, name: 'Keiko Jensen', department: 'Customer Integrations' }],
      },
    ],
  }),

  /** The queue's views: the built-in "High risk, undecided" and "Mine, overdue", then the saved ones. */
  'review.listViews': entry({
    input: noInput,
    output: z.array(savedViewSchema),
    samples: [
      {
        input: {},
        output: [
          {
            id: 'builtin:high-risk-undecided',
            name: 'High risk, undecided',
            builtIn: true,
            filters: { highRiskOnly: true, decision: 'pending' },
          },
          {
            id: 'builtin:mine-overdue',
            name: 'Mine, overdue',
            builtIn: true,
            filters: { overdueOnly: true },
          },
          { id: '3', name: 'Stale keys', builtIn: false, filters: { signals: ['stale', 'credential-old'] } },
        ],
      },
    ],
  }),

  /** Saves the queue's filters under a name in the vault; an existing name gets the new filters. */
  'review.saveView': entry({
    input: saveViewInputSchema,
    output: savedViewSchema,
    samples: [
      {
        input: { name: 'Stale keys', filters: { signals: ['stale', 'credential-old'] } },
        output: {
          id: '3',
          name: 'Stale keys',
          builtIn: false,
          filters: { signals: ['stale', 'credential-old'] },
        },
      },
    ],
  }),

  /** Removes a saved view. INVALID_INPUT for a built-in one. */
  'review.removeView': entry({
    input: z.object({ id: z.string().min(1).max(40) }).strict(),
    output: z.object({ removed: z.boolean() }),
    samples: [{ input: { id: '3' }, output: { removed: true } }],
  }),

  /**
   * One item for the detail panel: the frozen item, the identity's history across snapshots, its item
   * in the last campaign launched before this one, and what changed since, in plain words.
   */
  'review.item': entry({
    input: z
      .object({ campaignId: z.number().int().positive(), itemId: z.number().int().positive() })
      .strict(),
    output: reviewItemDetailSchema,
    samples: [
      {
        input: { campaignId: 2, itemId: 31 },
        output: {
          item: schedulerItemSample,
          history: [
            {
              snapshotId: 4,
              importedAt: '2026-10-31T08:00:00.000Z',
              change: 'changed',
              aspects: ['entitlements'],
              details: { entitlements: { before: ['view'], after: ['cluster-admin'] } },
            },
          ],
          previous: {
            campaignId: 1,
            campaignName: 'Q3 2026 machine identity review',
            asOf: '2026-08-01',
            itemId: 7,
            decision: 'certify',
            decidedBy: 'arjun.moreau@northwindlogistics.example',
            decidedAt: '2026-08-09T14:02:00.000Z',
            justification: null,
          },
          changes: [
            {
              aspect: 'owners',
              summary: 'arjun.moreau@northwindlogistics.example (business owner) was active, now terminated.',
            },
            { aspect: 'entitlements', summary: 'Gained cluster-admin (privileged).' },
          ],
        },
      },
    ],
  }),
} as const;
