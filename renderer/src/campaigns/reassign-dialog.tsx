import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowRightLeft } from 'lucide-react';
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { SelectField } from '../components/select-field';
import { formatCount, plural } from '../format';
import type { CampaignView } from '../review/review-workspace';
import { Modal } from './modal';
import { PersonPicker } from './person-picker';

type Status = MethodOutput<'campaigns.status'>;

/**
 * Moves a reviewer's undecided items, all of them or the ones ticked, to an active person of the
 * roster. Decided items stay with whoever decided them; the core refuses a new reviewer who alone owns
 * one of the items or who has already signed off, and logs one record per moved item.
 */
export function ReassignDialog({
  campaign,
  status,
  actor,
  initialFrom,
  open,
  onOpenChange,
  onDone,
}: {
  campaign: CampaignView;
  status: Status;
  actor: string;
  initialFrom: string | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}) {
  const withWork = status.byReviewer.filter((r) => r.decided < r.total);
  const [from, setFrom] = useState(initialFrom ?? withWork[0]?.reviewer ?? '');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [whole, setWhole] = useState(true);
  const [picked, setPicked] = useState<number[]>([]);
  const reasonId = useId();
  const queryClient = useQueryClient();

  const queue = useQuery({
    queryKey: [...queryKeys.campaigns, campaign.id, 'undecided', from],
    queryFn: () =>
      call('campaigns.items', { campaignId: campaign.id, reviewer: from, decision: 'pending', limit: 1000 }),
    enabled: open && from !== '',
  });
  const undecided = queue.data?.total ?? 0;

  const reassign = useMutation({
    mutationFn: () =>
      call('campaigns.reassignItems', {
        campaignId: campaign.id,
        toReviewer: to,
        reason: reason.trim(),
        actor,
        ...(whole ? { fromReviewer: from } : { itemIds: picked }),
      }),
    onSuccess: (result) => {
      onOpenChange(false);
      onDone(
        `Moved ${plural(result.moved, 'item', 'items')} from ${result.from.map((f) => f.reviewer).join(', ')} to ${result.toReviewer}${
          result.selfReviews > 0 ? ` (${formatCount(result.selfReviews)} flagged as self-review)` : ''
        }.`,
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.campaigns }),
  });

  const count = whole ? undecided : picked.length;
  const ready = from !== '' && to !== '' && reason.trim() !== '' && count > 0;

  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Reassign reviews"
      description="Move undecided items to another reviewer. Decided items stay with whoever decided them."
      wide
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            variant="primary"
            icon={ArrowRightLeft}
            disabled={!ready}
            busy={reassign.isPending}
            busyLabel="Moving…"
            onClick={() => reassign.mutate()}
          >
            {count > 0 ? `Move ${plural(count, 'item', 'items')}` : 'Move items'}
          </Button>
        </>
      }
    >
      <div className="reassign-layout">
        <div className="reassign-from">
          <SelectField
            label="From reviewer"
            value={from}
            onChange={(value) => {
              setFrom(value);
              setPicked([]);
            }}
            options={[
              ...(from === '' ? [{ value: '', label: 'Choose a reviewer' }] : []),
              ...withWork.map((r) => ({
                value: r.reviewer,
                label: `${r.reviewer} · ${formatCount(r.total - r.decided)} undecided`,
              })),
            ]}
          />
          <fieldset className="reassign-mode">
            <legend className="field-label">Items</legend>
            <label className="radio-line">
              <input type="radio" name="reassign-mode" checked={whole} onChange={() => setWhole(true)} />
              The whole undecided queue ({plural(undecided, 'item', 'items')})
            </label>
            <label className="radio-line">
              <input type="radio" name="reassign-mode" checked={!whole} onChange={() => setWhole(false)} />
              Only the items I tick
            </label>
          </fieldset>
          {whole && undecided > 0 && (
            <ul className="reassign-items" aria-label={`Undecided items of ${from}`}>
              {(queue.data?.items ?? []).map((item) => (
                <li key={item.id} className="check-line">
                  <span className="check-name">{item.name}</span>
                  <span className="check-detail">{item.source}</span>
                </li>
              ))}
              {undecided > (queue.data?.items.length ?? 0) && (
                <li className="check-line muted">
                  and {formatCount(undecided - (queue.data?.items.length ?? 0))} more
                </li>
              )}
            </ul>
          )}
          {!whole && (
            <fieldset className="reassign-items">
              <legend className="visually-hidden">Undecided items of {from}</legend>
              {(queue.data?.items ?? []).map((item) => (
                <label key={item.id} className="check-line">
                  <input
                    type="checkbox"
                    checked={picked.includes(item.id)}
                    onChange={() =>
                      setPicked(
                        picked.includes(item.id)
                          ? picked.filter((id) => id !== item.id)
                          : [...picked, item.id],
                      )
                    }
                  />
                  <span className="check-name">{item.name}</span>
                  <span className="check-detail">{item.source}</span>
                </label>
              ))}
            </fieldset>
          )}
        </div>
        <div className="reassign-to">
          <PersonPicker label="To" value={to} onChange={setTo} exclude={from ? [from] : []} />
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
              placeholder="Keiko is on leave until January; Ravi covers her systems."
            />
            <p className="field-description">Recorded in the decision log with each moved item.</p>
          </div>
        </div>
      </div>
      {to && from && count > 0 && (
        <p className="reassign-summary">
          {plural(count, 'undecided item', 'undecided items')} of <strong>{from}</strong> will go to{' '}
          <strong>{to}</strong>, acting as {actor}. Nobody is given an identity they alone own; items they
          co-own are flagged as self-review.
        </p>
      )}
      {reassign.isError && <ErrorNotice error={reassign.error} />}
    </Modal>
  );
}
