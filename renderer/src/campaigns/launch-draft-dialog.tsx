import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Rocket } from 'lucide-react';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { formatDay, plural } from '../format';
import type { CampaignView } from '../review/review-workspace';
import { ReviewerRule } from './create-campaign-dialog';
import { Modal } from './modal';

/** Launches a saved draft after saying what the launch freezes, counted from the draft's scope now. */
export function LaunchDraftDialog({
  campaign,
  actor,
  open,
  onOpenChange,
  onDone,
}: {
  campaign: CampaignView;
  actor: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: [...queryKeys.campaigns, 'preview', campaign.id],
    queryFn: () =>
      call('campaigns.previewScope', { scope: campaign.scope, asOf: campaign.asOf, owner: campaign.owner }),
    enabled: open,
  });
  const launch = useMutation({
    mutationFn: () => call('campaigns.launch', { campaignId: campaign.id, actor }),
    onSuccess: (launched) => {
      onOpenChange(false);
      onDone(`Launched: ${plural(launched.items, 'item is', 'items are')} with their reviewers.`);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.campaigns }),
  });
  const count = preview.data?.identities;
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Launch this campaign?"
      description="Check the population before it is frozen."
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            variant="primary"
            icon={Rocket}
            disabled={!preview.isSuccess || count === 0}
            busy={launch.isPending}
            busyLabel="Launching…"
            onClick={() => launch.mutate()}
          >
            Launch campaign
          </Button>
        </>
      }
    >
      <div className="launch-confirm">
        {preview.isError && <ErrorNotice error={preview.error} />}
        <p className="launch-statement">
          Launching <strong>{campaign.name}</strong> freezes the population:{' '}
          <strong>{count === undefined ? '…' : plural(count, 'identity', 'identities')}</strong>, their
          owners, credentials, entitlements and signals as of <strong>{formatDay(campaign.asOf)}</strong>.
          Later imports do not change this campaign.
        </p>
        <ReviewerRule />
        {launch.isError && <ErrorNotice error={launch.error} />}
      </div>
    </Modal>
  );
}
