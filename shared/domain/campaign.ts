/** A campaign is drafted, opened by its launch (which freezes the population) and closed for good. */
export const CAMPAIGN_STATES = ['draft', 'open', 'closed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** What a reviewer can decide about one review item. */
export const REVIEW_DECISIONS = ['certify', 'revoke', 'reassign'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** Where an item stands: undecided, decided, or carried past the close by the campaign owner. */
export const ITEM_DECISION_STATES = ['pending', ...REVIEW_DECISIONS, 'exception'] as const;
export type ItemDecisionState = (typeof ITEM_DECISION_STATES)[number];

/** What a revoke removes: the whole identity, one credential, or one entitlement. */
export const REVOKE_TARGETS = ['identity', 'credential', 'entitlement'] as const;
export type RevokeTarget = (typeof REVOKE_TARGETS)[number];

/**
 * Why an item went to its reviewer, in the order the rule tries them: an active business owner, an
 * active technical owner, the roster manager of an owner who has left, and the campaign owner.
 */
export const ROUTING_RULES = [
  'business-owner',
  'technical-owner',
  'manager-of-leaver',
  'campaign-owner',
] as const;
export type RoutingRule = (typeof ROUTING_RULES)[number];
