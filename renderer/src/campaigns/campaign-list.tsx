import { ChevronRight } from 'lucide-react';
import type { CampaignView } from '../review/review-workspace';
import { Badge } from '../components/badge';
import { formatCount, formatDay, todayIsoDay } from '../format';
import { CAMPAIGN_STATE_LABELS, isOverdue } from './campaign-labels';

/** Every campaign, newest first; a row opens its campaign. */
export function CampaignList({
  campaigns,
  onOpen,
}: {
  campaigns: CampaignView[];
  onOpen: (campaignId: number) => void;
}) {
  const today = todayIsoDay();
  return (
    <table className="campaign-table">
      <thead>
        <tr>
          <th scope="col">Campaign</th>
          <th scope="col">Period</th>
          <th scope="col">As of</th>
          <th scope="col">Due</th>
          <th scope="col">State</th>
          <th scope="col" className="numeric">
            Items
          </th>
        </tr>
      </thead>
      <tbody>
        {campaigns.map((campaign) => {
          const state = CAMPAIGN_STATE_LABELS[campaign.state];
          return (
            <tr key={campaign.id}>
              <td>
                <button type="button" className="campaign-open" onClick={() => onOpen(campaign.id)}>
                  <span className="campaign-open-name">{campaign.name}</span>
                  <ChevronRight className="campaign-open-icon" aria-hidden="true" />
                </button>
              </td>
              <td>{campaign.period ?? '—'}</td>
              <td>{formatDay(campaign.asOf)}</td>
              <td>
                {campaign.due ? formatDay(campaign.due) : '—'}
                {isOverdue(campaign, today) && (
                  <>
                    {' '}
                    <Badge tone="danger">Overdue</Badge>
                  </>
                )}
              </td>
              <td>
                <Badge tone={state.tone}>{state.label}</Badge>
              </td>
              <td className="numeric">{formatCount(campaign.items)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
