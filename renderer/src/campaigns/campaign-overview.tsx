import { useQuery } from '@tanstack/react-query';
import { ArrowRightLeft, CalendarClock, CalendarPlus, CircleCheck, Lock, Rocket } from 'lucide-react';
import { useState } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { ITEM_DECISION_STATES, type ItemDecisionState } from '../../../shared/domain/campaign';
import { RISK_SIGNALS, owaspRefFor } from '../../../shared/domain/risk';
import { call, queryKeys } from '../bridge-client';
import { Badge } from '../components/badge';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { formatCount, formatDay, formatDayTime, plural, todayIsoDay } from '../format';
import { KIND_LABELS } from '../identity-labels';
import type { CampaignView } from '../review/review-workspace';
import { ActingAs } from './acting-as';
import { DECISION_LABELS } from './campaign-labels';
import { CloseCampaignDialog } from './close-campaign-dialog';
import { ExtendDueDialog } from './extend-due-dialog';
import { LaunchDraftDialog } from './launch-draft-dialog';
import { BarChart, ProgressBar, type BarTone } from './progress-bars';
import { ReassignDialog } from './reassign-dialog';

type Status = MethodOutput<'campaigns.status'>;

const DECISION_TONES: Record<ItemDecisionState, BarTone> = {
  pending: 'muted',
  certify: 'success',
  revoke: 'danger',
  reassign: 'accent',
  exception: 'warning',
};

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function percent(value: number, total: number): string {
  return total === 0 ? '0%' : `${Math.floor((value / total) * 100)}%`;
}

/** Due date, and how it stands today: days left, due today, overdue, or met by the close. */
function DueFact({ campaign }: { campaign: CampaignView }) {
  if (!campaign.due) return <p className="stat-value">No due date</p>;
  const today = todayIsoDay();
  const left = daysBetween(today, campaign.due);
  let state: { text: string; tone: 'neutral' | 'warning' | 'danger' | 'success' };
  if (campaign.state === 'closed')
    state =
      campaign.closedAt && campaign.closedAt.slice(0, 10) <= campaign.due
        ? { text: 'Closed on time', tone: 'success' }
        : { text: 'Closed late', tone: 'warning' };
  else if (left < 0) state = { text: `Overdue by ${plural(-left, 'day', 'days')}`, tone: 'danger' };
  else if (left === 0) state = { text: 'Due today', tone: 'warning' };
  else state = { text: `${plural(left, 'day', 'days')} left`, tone: left <= 7 ? 'warning' : 'neutral' };
  return (
    <>
      <p className="stat-value">{formatDay(campaign.due)}</p>
      <p className="stat-note">
        <Badge tone={state.tone}>{state.text}</Badge>
      </p>
    </>
  );
}

/** The campaign owner's dashboard: progress by reviewer, decision and signal, and the owner's actions. */
export function CampaignOverview({
  campaign,
  actor,
  onActorChange,
}: {
  campaign: CampaignView;
  actor: string;
  onActorChange: (actor: string) => void;
}) {
  const status = useQuery({
    queryKey: [...queryKeys.campaigns, campaign.id, 'status'],
    queryFn: () => call('campaigns.status', { campaignId: campaign.id }),
  });
  const [dialog, setDialog] = useState<null | 'reassign' | 'extend' | 'close' | 'launch'>(null);
  const [reassignFrom, setReassignFrom] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (status.isError) return <ErrorNotice error={status.error} />;
  if (!status.data) return null;
  const data = status.data;
  const open = campaign.state === 'open';
  const signedOff = data.byReviewer.filter((r) => r.signedOffAt).length;
  const openDialog = (which: typeof dialog) => {
    setNotice(null);
    setDialog(which);
  };

  return (
    <div className="overview">
      <div className="overview-bar">
        {campaign.state === 'closed' ? (
          <p className="read-only-note" role="status">
            <Lock className="read-only-icon" aria-hidden="true" />
            Closed {campaign.closedAt ? formatDayTime(campaign.closedAt) : ''}. This campaign is read-only:
            its decisions, exceptions and sign-offs are final.
          </p>
        ) : (
          <ActingAs actor={actor} owner={campaign.owner} onChange={onActorChange} />
        )}
        <div className="overview-actions">
          {campaign.state === 'draft' && (
            <Button variant="primary" icon={Rocket} onClick={() => openDialog('launch')}>
              Launch…
            </Button>
          )}
          {open && (
            <Button variant="primary" icon={Lock} onClick={() => openDialog('close')}>
              Close campaign…
            </Button>
          )}
        </div>
      </div>
      {notice && campaign.state !== 'closed' && (
        <div role="status" className="notice notice-success">
          <CircleCheck className="notice-icon" aria-hidden="true" />
          <p>{notice}</p>
        </div>
      )}

      <section className="stats" aria-label="Campaign at a glance">
        <div className="stat">
          <p className="stat-label">Decided</p>
          <p className="stat-value">
            {formatCount(data.decided)} <span className="stat-of">of {formatCount(data.total)}</span>
          </p>
          <ProgressBar value={data.decided} total={data.total} tone="success" label="Decided" />
          <p className="stat-note">{percent(data.decided, data.total)} complete</p>
        </div>
        <div className="stat">
          <p className="stat-label">
            <CalendarClock className="stat-icon" aria-hidden="true" />
            Due
          </p>
          <DueFact campaign={campaign} />
          {campaign.state !== 'closed' && (
            <Button
              variant="quiet"
              icon={CalendarPlus}
              className="button-small stat-action"
              onClick={() => openDialog('extend')}
            >
              Extend due date…
            </Button>
          )}
        </div>
        <div className="stat">
          <p className="stat-label">Reviewers signed off</p>
          <p className="stat-value">
            {formatCount(signedOff)} <span className="stat-of">of {formatCount(data.byReviewer.length)}</span>
          </p>
          <ProgressBar value={signedOff} total={data.byReviewer.length} tone="accent" label="Signed off" />
        </div>
        <div className="stat">
          <p className="stat-label">Population</p>
          <p className="stat-value">{plural(data.total, 'identity', 'identities')}</p>
          <p className="stat-note">
            Frozen as of {formatDay(campaign.asOf)}
            {campaign.launchedAt ? `, launched ${formatDay(campaign.launchedAt)}` : ''}
          </p>
        </div>
      </section>

      {campaign.state === 'draft' ? (
        <DraftScope campaign={campaign} />
      ) : (
        <>
          <ReviewerProgress
            status={data}
            canReassign={open && data.decided < data.total}
            closed={campaign.state === 'closed'}
            onReassign={(reviewer) => {
              setReassignFrom(reviewer);
              openDialog('reassign');
            }}
          />
          <div className="chart-grid">
            <section className="panel chart-decisions">
              <BarChart
                title="By decision"
                description={`${formatCount(data.total)} items`}
                unit="items"
                empty="No items."
                rows={ITEM_DECISION_STATES.map((state) => ({
                  key: state,
                  label: DECISION_LABELS[state],
                  value: data.byDecision[state],
                  tone: DECISION_TONES[state],
                })).filter((row) => row.value > 0 || row.key !== 'exception')}
              />
            </section>
            <section className="panel">
              <BarChart
                title="By signal"
                description="Decided of the items carrying each signal"
                unit="items decided"
                empty="No item carries a risk signal."
                rows={[...data.bySignal]
                  .sort((a, b) => b.total - a.total)
                  .map((signal) => ({
                    key: signal.code,
                    label: RISK_SIGNALS[signal.code].label,
                    note: owaspRefFor(signal.code)?.id.replace(':2025', ''),
                    value: signal.decided,
                    total: signal.total,
                    tone: 'accent',
                  }))}
              />
            </section>
          </div>
        </>
      )}

      {dialog === 'reassign' && (
        <ReassignDialog
          campaign={campaign}
          status={data}
          actor={actor}
          initialFrom={reassignFrom}
          open
          onOpenChange={(next) => !next && setDialog(null)}
          onDone={setNotice}
        />
      )}
      {dialog === 'extend' && (
        <ExtendDueDialog
          campaign={campaign}
          actor={actor}
          open
          onOpenChange={(next) => !next && setDialog(null)}
          onDone={setNotice}
        />
      )}
      {dialog === 'close' && (
        <CloseCampaignDialog
          campaign={campaign}
          unsigned={data.byReviewer.filter((r) => !r.signedOffAt).map((r) => r.reviewer)}
          actor={actor}
          open
          onOpenChange={(next) => !next && setDialog(null)}
          onDone={setNotice}
        />
      )}
      {dialog === 'launch' && (
        <LaunchDraftDialog
          campaign={campaign}
          actor={actor}
          open
          onOpenChange={(next) => !next && setDialog(null)}
          onDone={setNotice}
        />
      )}
    </div>
  );
}

function ReviewerProgress({
  status,
  canReassign,
  closed,
  onReassign,
}: {
  status: Status;
  canReassign: boolean;
  closed: boolean;
  /** A reviewer's queue, or null to choose in the dialog. */
  onReassign: (reviewer: string | null) => void;
}) {
  const rows = [...status.byReviewer].sort(
    (a, b) => a.decided / a.total - b.decided / b.total || b.total - a.total,
  );
  return (
    <section className="panel reviewer-panel" aria-labelledby="reviewer-progress-title">
      <div className="panel-heading">
        <h2 id="reviewer-progress-title" className="panel-title">
          Progress by reviewer
        </h2>
        <p className="panel-note">Least done first</p>
        {canReassign && (
          <Button
            icon={ArrowRightLeft}
            className="button-small panel-action"
            onClick={() => onReassign(null)}
          >
            Reassign…
          </Button>
        )}
      </div>
      <table className="reviewer-table">
        <thead>
          <tr>
            <th scope="col">Reviewer</th>
            <th scope="col" className="numeric">
              Decided
            </th>
            <th scope="col" className="bar-column">
              <span className="visually-hidden">Progress</span>
            </th>
            <th scope="col">Signed off</th>
            {canReassign && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const done = row.decided === row.total;
            return (
              <tr key={row.reviewer}>
                <th scope="row" className="reviewer-name">
                  {row.reviewer}
                </th>
                <td className="numeric">
                  {formatCount(row.decided)} / {formatCount(row.total)}
                </td>
                <td className="bar-column">
                  <ProgressBar
                    value={row.decided}
                    total={row.total}
                    tone={done ? 'success' : 'accent'}
                    label={`${row.reviewer} decided`}
                  />
                </td>
                <td>
                  {row.signedOffAt ? (
                    <span className="signed">
                      <CircleCheck className="signed-icon" aria-hidden="true" />
                      {formatDayTime(row.signedOffAt)}
                    </span>
                  ) : closed ? (
                    <span className="muted">Not signed off</span>
                  ) : done ? (
                    <span className="muted">Ready to sign</span>
                  ) : (
                    <span className="muted">Not yet</span>
                  )}
                </td>
                {canReassign && (
                  <td className="row-action">
                    {!done && (
                      <Button
                        variant="quiet"
                        className="button-small"
                        onClick={() => onReassign(row.reviewer)}
                        aria-label={`Reassign the undecided items of ${row.reviewer}`}
                      >
                        Reassign
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function DraftScope({ campaign }: { campaign: CampaignView }) {
  const { sources, kinds, environments, signals } = campaign.scope;
  const everything = sources.length + kinds.length + environments.length + signals.length === 0;
  return (
    <section className="panel">
      <h2 className="panel-title">Scope of this draft</h2>
      {everything ? (
        <p>Everything in the vault as of {formatDay(campaign.asOf)}.</p>
      ) : (
        <dl className="facts">
          {sources.length > 0 && (
            <div className="fact">
              <dt>Sources</dt>
              <dd>{sources.join(', ')}</dd>
            </div>
          )}
          {kinds.length > 0 && (
            <div className="fact">
              <dt>Kinds</dt>
              <dd>{kinds.map((k) => KIND_LABELS[k]).join(', ')}</dd>
            </div>
          )}
          {environments.length > 0 && (
            <div className="fact">
              <dt>Environments</dt>
              <dd>{environments.join(', ')}</dd>
            </div>
          )}
          {signals.length > 0 && (
            <div className="fact">
              <dt>With signals</dt>
              <dd>{signals.map((s) => RISK_SIGNALS[s].label).join(', ')}</dd>
            </div>
          )}
        </dl>
      )}
    </section>
  );
}
