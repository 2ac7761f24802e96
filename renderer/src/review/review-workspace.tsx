import type { z } from 'zod';
import type { campaignSchema } from '../../../shared/api/schemas/campaigns';

export type CampaignView = z.output<typeof campaignSchema>;

/** The reviewer's queue for one campaign: table, detail panel, keyboard decisions, bulk, sign-off. */
export function ReviewWorkspace({ campaign }: { campaign: CampaignView }) {
  return <p>Review of {campaign.name}</p>;
}
