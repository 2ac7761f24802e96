import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Lock } from 'lucide-react';
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { plural } from '../format';
import type { CampaignView } from '../review/review-workspace';
import { Modal } from './modal';

type Item = MethodOutput<'campaigns.items'>['items'][number];
const PAGE = 1000;

async function undecidedItems(campaignId: number): Promise<Item[]> {
  const items: Item[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await call('campaigns.items', { campaignId, decision: 'pending', offset, limit: PAGE });
    items.push(...page.items);
    if (page.items.length < PAGE || items.length >= page.total) return items;
  }
}

/**
 * Closes the campaign for good. Every item must be decided, or carried past the close as an exception
 * with the campaign owner's reason: one reason for all, or each item its own.
 */
export function CloseCampaignDialog({
  campaign,
  unsigned,
  actor,
  open,
  onOpenChange,
  onDone,
}: {
  campaign: CampaignView;
  /** Reviewers who have not signed off: closing does not wait for them, but the owner should know. */
  unsigned: string[];
  actor: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}) {
  const [shared, setShared] = useState('');
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const sharedId = useId();
  const queryClient = useQueryClient();
  const pending = useQuery({
    queryKey: [...queryKeys.campaigns, campaign.id, 'undecided', 'all'],
    queryFn: () => undecidedItems(campaign.id),
    enabled: open,
  });
  const items = pending.data ?? [];
  const reasonOf = (id: number) => reasons[id]?.trim() || shared.trim();
  const uncovered = items.filter((item) => !reasonOf(item.id)).length;

  const close = useMutation({
    mutationFn: () =>
      call('campaigns.close', {
        campaignId: campaign.id,
        actor,
        exceptions: items.map((item) => ({ itemId: item.id, reason: reasonOf(item.id) })),
      }),
    onSuccess: () => {
      onOpenChange(false);
      onDone(
        items.length > 0
          ? `Closed, with ${plural(items.length, 'exception', 'exceptions')}. The campaign is now read-only.`
          : 'Closed. The campaign is now read-only.',
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.campaigns }),
  });

  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Close the campaign"
      description="Closing is final: no decision, sign-off, reassignment or due date can change afterwards, and the campaign becomes read-only."
      wide={items.length > 0}
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            variant="primary"
            icon={Lock}
            disabled={!pending.isSuccess || uncovered > 0}
            busy={close.isPending}
            busyLabel="Closing…"
            onClick={() => close.mutate()}
          >
            {items.length > 0
              ? `Close with ${plural(items.length, 'exception', 'exceptions')}`
              : 'Close campaign'}
          </Button>
        </>
      }
    >
      {pending.isError && <ErrorNotice error={pending.error} />}
      {unsigned.length > 0 && (
        <p className="close-unsigned">
          {plural(unsigned.length, 'reviewer has', 'reviewers have')} not signed off (
          {unsigned.slice(0, 3).join(', ')}
          {unsigned.length > 3 ? ', …' : ''}). Their decisions stand as recorded; the evidence shows them
          without an attestation.
        </p>
      )}
      {pending.isSuccess && items.length === 0 && (
        <p className="close-ready">Every item of {campaign.name} is decided. It can be closed now.</p>
      )}
      {items.length > 0 && (
        <div className="stack">
          <p>
            {plural(items.length, 'item is', 'items are')} still undecided. Each is carried past the close as
            an exception, with your reason, in the decision log and the evidence.
          </p>
          <div className="field">
            <label className="field-label" htmlFor={sharedId}>
              Reason for every undecided item
            </label>
            <textarea
              id={sharedId}
              className="textarea"
              rows={2}
              value={shared}
              onChange={(event) => setShared(event.target.value)}
              placeholder="Owner on leave until January; risk accepted by the CISO."
            />
            <p className="field-description">
              Or give an item its own reason below; an item’s own reason wins.
            </p>
          </div>
          <table className="exception-table">
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Reviewer</th>
                <th scope="col" className="exception-reason-column">
                  Reason
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <span className="exception-name">{item.name}</span>
                    <span className="exception-source">{item.source}</span>
                  </td>
                  <td className="exception-reviewer">{item.reviewer}</td>
                  <td>
                    <input
                      className="exception-input"
                      aria-label={`Exception reason for ${item.name}`}
                      value={reasons[item.id] ?? ''}
                      placeholder={shared.trim() || 'Reason'}
                      onChange={(event) => setReasons({ ...reasons, [item.id]: event.target.value })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {uncovered > 0 && (
            <p className="close-missing">
              {plural(uncovered, 'item still needs', 'items still need')} a reason before the campaign can
              close.
            </p>
          )}
        </div>
      )}
      {close.isError && <ErrorNotice error={close.error} />}
    </Modal>
  );
}
