import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CalendarPlus } from 'lucide-react';
import { useId, useState } from 'react';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { TextField } from '../components/text-field';
import { formatDay, todayIsoDay } from '../format';
import type { CampaignView } from '../review/review-workspace';
import { Modal } from './modal';

/** Moves the due date later: after today and after the current one, with a reason for the log. */
export function ExtendDueDialog({
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
  const today = todayIsoDay();
  const earliest = campaign.due && campaign.due > today ? campaign.due : today;
  const [due, setDue] = useState('');
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const queryClient = useQueryClient();
  const extend = useMutation({
    mutationFn: () =>
      call('campaigns.extendDue', { campaignId: campaign.id, due, reason: reason.trim(), actor }),
    onSuccess: (updated) => {
      onOpenChange(false);
      onDone(`The due date is now ${formatDay(updated.due!)}.`);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.campaigns }),
  });
  const tooEarly = due !== '' && due <= earliest;
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Extend the due date"
      description={
        campaign.due
          ? `Now due ${formatDay(campaign.due)}. The new date must be later than that and than today.`
          : 'The new date must be after today.'
      }
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            variant="primary"
            icon={CalendarPlus}
            disabled={due === '' || tooEarly || reason.trim() === ''}
            busy={extend.isPending}
            onClick={() => extend.mutate()}
          >
            Extend
          </Button>
        </>
      }
    >
      <div className="stack">
        <TextField
          label="New due date"
          type="date"
          value={due}
          min={earliest}
          onChange={setDue}
          aria-invalid={tooEarly || undefined}
          description={tooEarly ? `Choose a date after ${formatDay(earliest)}.` : undefined}
        />
        <div className="field">
          <label className="field-label" htmlFor={reasonId}>
            Reason
          </label>
          <textarea
            id={reasonId}
            className="textarea"
            rows={3}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            placeholder="Two reviewers are out for the year-end freeze."
          />
          <p className="field-description">Recorded in the decision log, acting as {actor}.</p>
        </div>
        {extend.isError && <ErrorNotice error={extend.error} />}
      </div>
    </Modal>
  );
}
