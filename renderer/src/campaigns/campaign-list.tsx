import { ChevronRight } from 'lucide-react';
import type { MethodOutput } from '../../../shared/api/contract';
import { Badge } from '../components/badge';
import { formatCount, formatDay, todayIsoDay } from '../format';
import type { CampaignView } from '../review/review-workspace';
import { CAMPAIGN_STATE_LABELS, isOverdue } from './campaign-labels';
import { ProgressBar } from './progress-bars';

type Progress = MethodOutput<'campaigns.progress'>[number];

/** Every campaign, newest first, with its dates, state and progress; a row's name opens it. */
export function CampaignList({
  campaigns,
  progress,
  onOpen,
}: {
  campaigns: CampaignView[];
  progress: Progress[];
  onOpen: (campaignId: number) => void;
}) {
  const today = todayIsoDay();
  const progressOf = new Map(progress.map((p) => [p.campaignId, p]));
  return (
    <table className="campaign-table">
      <thead>
        <tr>
          <th scope="col">Campaign</th>
          <th scope="col">Period</th>
          <th scope="col">As of</th>
          <th scope="col">Due</th>
          <th scope="col">State</th>
          <th scope="col" className="progress-column">
            Progress
          </th>
        </tr>
      </thead>
      <tbody>
        {campaigns.map((campaign) => {
          const state = CAMPAIGN_STATE_LABELS[campaign.state];
          const counts = progressOf.get(campaign.id);
          return (
            <tr key={campaign.id}>
              <td>
                <button type="button" className="campaign-open" onClick={() => onOpen(campaign.id)}>
                  <span className="campaign-open-name">{campaign.name}</span>
                  <ChevronRight className="campaign-open-icon" aria-hidden="true" />
                </button>
                <span className="campaign-owner">{campaign.owner}</span>
              </td>
              <td className="nowrap">{campaign.period ?? '—'}</td>
              <td className="nowrap">{formatDay(campaign.asOf)}</td>
              <td className="nowrap">
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
              <td className="progress-column">
                {campaign.state === 'draft' ? (
                  <span className="muted">Not launched</span>
                ) : counts ? (
                  <span className="list-progress">
                    <ProgressBar
                      value={counts.decided}
                      total={counts.total}
                      tone={counts.decided === counts.total ? 'success' : 'accent'}
                      label={`${campaign.name} decided`}
                    />
                    <span className="list-progress-text">
                      {formatCount(counts.decided)} / {formatCount(counts.total)}
                      <span className="muted">
                        {' '}
                        · {formatCount(counts.signedOff)} of {formatCount(counts.reviewers)} signed off
                      </span>
                    </span>
                  </span>
                ) : (
                  `${formatCount(campaign.items)} items`
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
