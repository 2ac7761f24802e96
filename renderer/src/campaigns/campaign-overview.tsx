import { useQuery } from '@tanstack/react-query';
import { call, queryKeys } from '../bridge-client';
import { ErrorNotice } from '../components/error-notice';
import { formatCount } from '../format';
import type { CampaignView } from '../review/review-workspace';

/** The campaign owner's dashboard: progress by reviewer, decision and signal, and the owner's actions. */
export function CampaignOverview({ campaign }: { campaign: CampaignView }) {
  const status = useQuery({
    queryKey: [...queryKeys.campaigns, campaign.id, 'status'],
    queryFn: () => call('campaigns.status', { campaignId: campaign.id }),
  });
  if (status.isError) return <ErrorNotice error={status.error} />;
  if (!status.data) return null;
  return (
    <section className="panel">
      <h2 className="panel-title">Progress</h2>
      <p>
        {formatCount(status.data.decided)} of {formatCount(status.data.total)} items decided
      </p>
    </section>
  );
}
