import type { CampaignState, ItemDecisionState, RoutingRule } from '../../../shared/domain/campaign';
import type { BadgeTone } from '../components/badge';

/** How a campaign's state reads in a badge, and the tone that carries it. */
export const CAMPAIGN_STATE_LABELS: Record<CampaignState, { label: string; tone: BadgeTone }> = {
  draft: { label: 'Draft', tone: 'neutral' },
  open: { label: 'Open', tone: 'accent' },
  closed: { label: 'Closed', tone: 'success' },
};

export const DECISION_LABELS: Record<ItemDecisionState, string> = {
  pending: 'Undecided',
  certify: 'Certified',
  revoke: 'Revoked',
  reassign: 'Reassigned',
  exception: 'Exception',
};

export const ROUTING_RULE_LABELS: Record<RoutingRule, string> = {
  'business-owner': 'Business owner',
  'technical-owner': 'Technical owner',
  'manager-of-leaver': "Leaver's manager",
  'campaign-owner': 'Campaign owner',
};

/** True when the campaign is still open and its due date has passed (the due day itself is not late). */
export function isOverdue(campaign: { state: CampaignState; due: string | null }, today: string): boolean {
  return campaign.state === 'open' && campaign.due !== null && campaign.due < today;
}
