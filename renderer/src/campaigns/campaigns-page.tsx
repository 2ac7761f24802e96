import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, ClipboardCheck, Plus } from 'lucide-react';
import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { call, queryKeys } from '../bridge-client';
import { Badge } from '../components/badge';
import { Button } from '../components/button';
import { EmptyState } from '../components/empty-state';
import { ErrorNotice } from '../components/error-notice';
import { formatCount, formatDay, todayIsoDay } from '../format';
import { PageHeader } from '../pages/page-header';
import { ReviewWorkspace, type CampaignView } from '../review/review-workspace';
import { CampaignList } from './campaign-list';
import { CAMPAIGN_STATE_LABELS, isOverdue } from './campaign-labels';
import { CampaignOverview } from './campaign-overview';
import { CreateCampaignDialog } from './create-campaign-dialog';
import './campaigns.css';

/** Certification campaigns: the list, and one campaign opened on its Review and Overview tabs. */
export function CampaignsPage() {
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const campaigns = useQuery({
    queryKey: [...queryKeys.campaigns, 'list'],
    queryFn: () => call('campaigns.list', {}),
  });
  const progress = useQuery({
    queryKey: [...queryKeys.campaigns, 'progress'],
    queryFn: () => call('campaigns.progress', {}),
  });

  const opened = openId === null ? undefined : campaigns.data?.find((c) => c.id === openId);
  const create = (
    <CreateCampaignDialog open={creating} onOpenChange={setCreating} onCreated={(id) => setOpenId(id)} />
  );
  if (opened)
    return (
      <>
        <OpenedCampaign key={opened.id} campaign={opened} onBack={() => setOpenId(null)} />
        {create}
      </>
    );

  return (
    <div className="campaigns">
      <div className="campaigns-header">
        <PageHeader
          title="Campaigns"
          description="Certify your machine identities on a schedule: who reviews what, how far they are, and the record that proves it."
        />
        {campaigns.isSuccess && campaigns.data.length > 0 && (
          <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
            New campaign
          </Button>
        )}
      </div>
      {campaigns.isError && <ErrorNotice error={campaigns.error} />}
      {campaigns.isSuccess && campaigns.data.length === 0 && (
        <>
          <EmptyState icon={ClipboardCheck} title="No campaigns yet">
            Launch a certification campaign by choosing its scope, due date and owner. Each identity goes to
            its business owner, technical owner or a leaver&rsquo;s manager, and you follow along as they
            certify, revoke or reassign it.
          </EmptyState>
          <div className="empty-state-action">
            <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
              New campaign
            </Button>
          </div>
        </>
      )}
      {campaigns.isSuccess && campaigns.data.length > 0 && (
        <CampaignList campaigns={campaigns.data} progress={progress.data ?? []} onOpen={setOpenId} />
      )}
      {create}
    </div>
  );
}

function OpenedCampaign({ campaign, onBack }: { campaign: CampaignView; onBack: () => void }) {
  const [tab, setTab] = useState(campaign.state === 'open' ? 'review' : 'overview');
  const [actor, setActor] = useState(campaign.owner);
  const overdue = isOverdue(campaign, todayIsoDay());
  const state = CAMPAIGN_STATE_LABELS[campaign.state];
  return (
    <div className="campaign-view" data-state={campaign.state}>
      <header className="campaign-view-header">
        <Button variant="quiet" icon={ArrowLeft} onClick={onBack} className="campaign-back">
          All campaigns
        </Button>
        <div className="campaign-title-row">
          <h1 className="page-title">{campaign.name}</h1>
          <Badge tone={state.tone}>{state.label}</Badge>
          {overdue && <Badge tone="danger">Overdue</Badge>}
          {campaign.state === 'closed' && <Badge tone="neutral">Read-only</Badge>}
        </div>
        <p className="campaign-meta">
          {campaign.period && <span>{campaign.period}</span>}
          <span>As of {formatDay(campaign.asOf)}</span>
          <span>{campaign.due ? `Due ${formatDay(campaign.due)}` : 'No due date'}</span>
          <span>{formatCount(campaign.items)} items</span>
          <span>Owner {campaign.owner}</span>
        </p>
      </header>
      <Tabs.Root value={tab} onValueChange={setTab} className="campaign-tabs">
        <Tabs.List className="tab-list" aria-label={`${campaign.name} views`}>
          <Tabs.Trigger value="review" className="tab-trigger">
            Review
          </Tabs.Trigger>
          <Tabs.Trigger value="overview" className="tab-trigger">
            Overview
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="review" className="tab-content tab-content-review">
          <ReviewWorkspace campaign={campaign} />
        </Tabs.Content>
        <Tabs.Content value="overview" className="tab-content">
          <CampaignOverview campaign={campaign} actor={actor} onActorChange={setActor} />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
