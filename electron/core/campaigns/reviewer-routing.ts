import type { OwnerStatus } from '../../../shared/domain/person';
import type { RoutingRule } from '../../../shared/domain/campaign';

export interface RoutingOwner {
  email: string;
  role: 'business' | 'technical';
  status: OwnerStatus;
  /** The roster manager's e-mail and whether they are active at the as-of date. */
  manager: { email: string; active: boolean } | null;
  terminationDate: string | null;
}

export interface Routing {
  reviewer: string;
  rule: RoutingRule;
  reason: string;
  selfReview: boolean;
}

/**
 * Who reviews one identity: an active business owner, else an active technical owner, else the roster
 * manager of an owner who has left, else the campaign owner. Nobody reviews an identity they are the
 * only owner of: the item goes to the next in line and its reason says so. A reviewer who is one of
 * several owners is a self-review, flagged for the evidence.
 */
export function routeReviewer(owners: readonly RoutingOwner[], campaignOwner: string): Routing {
  const lower = (s: string) => s.trim().toLowerCase();
  const ownerEmails = new Set(owners.map((o) => lower(o.email)));
  const onlyOwner = ownerEmails.size === 1 ? [...ownerEmails][0]! : null;
  const candidates: Array<{ email: string; rule: RoutingRule; reason: string }> = [];
  for (const role of ['business', 'technical'] as const) {
    for (const owner of owners) {
      if (owner.role === role && owner.status === 'active')
        candidates.push({
          email: owner.email,
          rule: role === 'business' ? 'business-owner' : 'technical-owner',
          reason: `${owner.email} is the ${role} owner.`,
        });
    }
  }
  for (const role of ['business', 'technical'] as const) {
    for (const owner of owners) {
      if (owner.role !== role || owner.status !== 'terminated') continue;
      const left = owner.terminationDate ? ` left on ${owner.terminationDate.slice(0, 10)}` : ' has left';
      if (owner.manager?.active)
        candidates.push({
          email: owner.manager.email,
          rule: 'manager-of-leaver',
          reason: `The ${role} owner ${owner.email}${left}; ${owner.manager.email} is their manager.`,
        });
    }
  }
  candidates.push({
    email: campaignOwner,
    rule: 'campaign-owner',
    reason:
      owners.length === 0
        ? 'The identity has no owner: the campaign owner reviews it.'
        : 'No active owner or manager of a leaver can review it, so the campaign owner does.',
  });

  const skipped: string[] = [];
  for (const candidate of candidates) {
    if (onlyOwner !== null && lower(candidate.email) === onlyOwner) {
      if (!skipped.some((e) => lower(e) === onlyOwner)) skipped.push(candidate.email);
      continue;
    }
    const note =
      skipped.length > 0
        ? `${skipped.join(', ')} is the only owner and may not review their own identity; it goes to the next in line. `
        : '';
    const reason =
      skipped.length > 0 && candidate.rule === 'campaign-owner'
        ? `${note}The campaign owner reviews it.`
        : `${note}${candidate.reason}`;
    return {
      reviewer: lower(candidate.email),
      rule: candidate.rule,
      reason,
      selfReview: ownerEmails.has(lower(candidate.email)),
    };
  }
  // The campaign owner is the identity's only owner: nobody else is left, so it is flagged.
  return {
    reviewer: lower(campaignOwner),
    rule: 'campaign-owner',
    reason: `${campaignOwner} is the only owner and the campaign owner; nobody else can review it, so it is a self-review.`,
    selfReview: true,
  };
}
