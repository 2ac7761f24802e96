import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Rocket, Save, ShieldAlert } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import type { MethodInput } from '../../../shared/api/contract';
import type { IdentityKind } from '../../../shared/domain/identity';
import { RISK_SIGNAL_CODES, RISK_SIGNALS, type RiskSignalCode } from '../../../shared/domain/risk';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { TextField } from '../components/text-field';
import { formatCount, formatDay, plural, todayIsoDay } from '../format';
import { KIND_LABELS } from '../identity-labels';
import { Modal } from './modal';

type Scope = MethodInput<'campaigns.create'>['scope'] & {};
const EMPTY_SCOPE = { sources: [], kinds: [], environments: [], signals: [] } satisfies Scope;
const PREVIEW_DELAY_MS = 300;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function quarterOf(day: string): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** The reviewer rule, said once in the words the campaign's evidence uses. */
export function ReviewerRule() {
  return (
    <div className="reviewer-rule">
      <p className="reviewer-rule-title">Who reviews each identity</p>
      <ol className="reviewer-rule-steps">
        <li>its business owner, if active;</li>
        <li>else its technical owner, if active;</li>
        <li>else, when the owner has left, their manager from the HR roster;</li>
        <li>else you, the campaign owner.</li>
      </ol>
      <p className="reviewer-rule-note">
        Nobody reviews an identity they alone own: it goes to the next in line. A reviewer who owns it with
        others is flagged as a self-review in the evidence.
      </p>
    </div>
  );
}

function ChoiceGroup<T extends string>({
  legend,
  options,
  chosen,
  onToggle,
  empty,
}: {
  legend: string;
  options: Array<{ value: T; label: string; count?: number }>;
  chosen: readonly T[];
  onToggle: (value: T) => void;
  empty: string;
}) {
  return (
    <fieldset className="choice-group">
      <legend className="choice-legend">
        {legend}
        <span className="choice-legend-note">{chosen.length === 0 ? 'all' : `${chosen.length} chosen`}</span>
      </legend>
      {options.length === 0 ? (
        <p className="choice-empty">{empty}</p>
      ) : (
        <div className="choice-chips">
          {options.map((option) => (
            <label
              key={option.value}
              className="choice-chip"
              data-checked={chosen.includes(option.value) || undefined}
            >
              <input
                type="checkbox"
                checked={chosen.includes(option.value)}
                onChange={() => onToggle(option.value)}
              />
              <span>{option.label}</span>
              {option.count !== undefined && (
                <span className="choice-count">{formatCount(option.count)}</span>
              )}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

/**
 * Drafts a campaign and launches it: name, period, dates, owner, scope, a live count of what the scope
 * holds, then a confirmation that says what launching freezes.
 */
export function CreateCampaignDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (campaignId: number) => void;
}) {
  const today = todayIsoDay();
  const [name, setName] = useState('');
  const [asOf, setAsOf] = useState(today);
  const [period, setPeriod] = useState(quarterOf(today));
  const [due, setDue] = useState(addDays(today, 30));
  const [owner, setOwner] = useState('');
  const [scope, setScope] = useState<Required<Scope>>(EMPTY_SCOPE);
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [tried, setTried] = useState(false);
  const queryClient = useQueryClient();
  const errorsId = useId();

  const facets = useQuery({
    queryKey: [...queryKeys.inventory, 'facets'],
    queryFn: () => call('identities.facets', {}),
    enabled: open,
  });
  const validAsOf = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const previewInput = useSettled(
    { scope, asOf, owner: EMAIL.test(owner.trim()) ? owner.trim() : undefined },
    PREVIEW_DELAY_MS,
  );
  const preview = useQuery({
    queryKey: [...queryKeys.campaigns, 'preview', previewInput],
    queryFn: () =>
      call('campaigns.previewScope', {
        scope: previewInput.scope,
        asOf: previewInput.asOf,
        ...(previewInput.owner ? { owner: previewInput.owner } : {}),
      }),
    enabled: open && /^\d{4}-\d{2}-\d{2}$/.test(previewInput.asOf),
    placeholderData: (previous) => previous,
  });

  const problems: string[] = [];
  if (!name.trim()) problems.push('Give the campaign a name.');
  if (!validAsOf) problems.push('Choose the as-of date.');
  if (due && validAsOf && due < asOf) problems.push('The due date cannot be before the as-of date.');
  if (!EMAIL.test(owner.trim())) problems.push('Give the campaign owner’s e-mail address.');

  const reset = () => {
    setName('');
    setAsOf(today);
    setPeriod(quarterOf(today));
    setDue(addDays(today, 30));
    setOwner('');
    setScope(EMPTY_SCOPE);
    setStep('form');
    setTried(false);
  };

  const save = useMutation({
    mutationFn: async (launch: boolean) => {
      const created = await call('campaigns.create', {
        name: name.trim(),
        asOf,
        scope,
        owner: owner.trim(),
        ...(period.trim() ? { period: period.trim() } : {}),
        ...(due ? { due } : {}),
      });
      if (!launch) return created;
      return call('campaigns.launch', { campaignId: created.id, actor: owner.trim() });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.campaigns }),
    onSuccess: (campaign) => {
      onOpenChange(false);
      reset();
      onCreated(campaign.id);
    },
  });

  const submit = (launch: boolean) => {
    setTried(true);
    if (problems.length > 0) return;
    if (launch && step === 'form') {
      setStep('confirm');
      return;
    }
    save.mutate(launch);
  };

  const everything =
    scope.sources.length + scope.kinds.length + scope.environments.length + scope.signals.length === 0;
  const count = preview.data?.identities;
  const previewCurrent = preview.data && !preview.isFetching && preview.data.asOf === asOf;

  const footer =
    step === 'form' ? (
      <>
        <Button variant="quiet" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button icon={Save} onClick={() => submit(false)} busy={save.isPending && save.variables === false}>
          Save as draft
        </Button>
        <Button variant="primary" icon={Rocket} onClick={() => submit(true)} disabled={count === 0}>
          Review and launch…
        </Button>
      </>
    ) : (
      <>
        <Button variant="quiet" onClick={() => setStep('form')} disabled={save.isPending}>
          Back
        </Button>
        <Button
          variant="primary"
          icon={Rocket}
          onClick={() => submit(true)}
          busy={save.isPending}
          busyLabel="Launching…"
          disabled={!previewCurrent}
        >
          Launch campaign
        </Button>
      </>
    );

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        if (!next) setStep('form');
        onOpenChange(next);
      }}
      title={step === 'form' ? 'New campaign' : 'Launch this campaign?'}
      description={
        step === 'form'
          ? 'Choose what is reviewed and by when. You can save it as a draft or launch it now.'
          : 'Check the population before it is frozen.'
      }
      footer={footer}
      wide={step === 'form'}
    >
      {step === 'confirm' ? (
        <div className="launch-confirm">
          <p className="launch-statement">
            Launching <strong>{name.trim()}</strong> freezes the population:{' '}
            <strong>{plural(count ?? 0, 'identity', 'identities')}</strong>, their owners, credentials,
            entitlements and signals as of <strong>{formatDay(asOf)}</strong>. Later imports do not change
            this campaign.
          </p>
          {preview.data && (
            <ul className="launch-facts">
              <li>
                {plural(preview.data.reviewers.length, 'reviewer', 'reviewers')}
                {preview.data.toCampaignOwner > 0 &&
                  `; ${plural(preview.data.toCampaignOwner, 'item goes', 'items go')} to ${owner.trim()} as campaign owner`}
              </li>
              <li>
                {plural(preview.data.highRisk, 'item carries', 'items carry')} a high-risk signal: certifying
                {preview.data.highRisk === 1 ? ' it' : ' them'} needs a justification
              </li>
              {preview.data.selfReviews > 0 && (
                <li>{plural(preview.data.selfReviews, 'item is a', 'items are')} flagged as self-review</li>
              )}
              <li>{due ? `Reviewers are due by ${formatDay(due)}` : 'No due date'}</li>
            </ul>
          )}
          {save.isError && <ErrorNotice error={save.error} />}
        </div>
      ) : (
        <div className="create-layout">
          <div className="create-form">
            <TextField
              label="Name"
              value={name}
              onChange={setName}
              placeholder="Q4 2026 machine identity review"
            />
            <div className="create-row">
              <TextField label="Period" value={period} onChange={setPeriod} placeholder="2026-Q4" />
              <TextField
                label="As of"
                type="date"
                value={asOf}
                onChange={setAsOf}
                description="Owners and signals are judged at this date."
              />
              <TextField label="Due" type="date" value={due} onChange={setDue} />
            </div>
            <TextField
              label="Campaign owner"
              type="email"
              value={owner}
              onChange={setOwner}
              placeholder="ana.silva@example.com"
              description="Launches, reassigns, extends and closes it; reviews what nobody else can."
            />
            <div className="scope">
              <p className="scope-title">Scope</p>
              <p className="scope-note">
                Choose nothing in a group to include all of it. With nothing chosen, the campaign reviews
                everything.
              </p>
              <ChoiceGroup
                legend="Sources"
                options={(facets.data?.sources ?? []).map((s) => ({
                  value: s.value,
                  label: s.value,
                  count: s.count,
                }))}
                chosen={scope.sources}
                onToggle={(value) => setScope({ ...scope, sources: toggle(scope.sources, value) })}
                empty="No sources imported yet."
              />
              <ChoiceGroup<IdentityKind>
                legend="Kinds"
                options={(facets.data?.kinds ?? []).map((k) => ({
                  value: k.value as IdentityKind,
                  label: KIND_LABELS[k.value as IdentityKind] ?? k.value,
                  count: k.count,
                }))}
                chosen={scope.kinds}
                onToggle={(value) => setScope({ ...scope, kinds: toggle(scope.kinds, value) })}
                empty="No identities imported yet."
              />
              <ChoiceGroup
                legend="Environments"
                options={(facets.data?.environments ?? []).map((e) => ({
                  value: e.value,
                  label: e.value,
                  count: e.count,
                }))}
                chosen={scope.environments}
                onToggle={(value) => setScope({ ...scope, environments: toggle(scope.environments, value) })}
                empty="No environments recorded in the imported sources."
              />
              <ChoiceGroup<RiskSignalCode>
                legend="Only identities with these signals"
                options={RISK_SIGNAL_CODES.map((code) => ({ value: code, label: RISK_SIGNALS[code].label }))}
                chosen={scope.signals}
                onToggle={(value) => setScope({ ...scope, signals: toggle(scope.signals, value) })}
                empty=""
              />
            </div>
            {tried && problems.length > 0 && (
              <ul id={errorsId} role="alert" className="create-problems">
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
            {save.isError && <ErrorNotice error={save.error} />}
          </div>
          <aside
            className="create-preview"
            aria-label="Scope preview"
            aria-busy={preview.isFetching || undefined}
          >
            <p className="preview-eyebrow">
              {everything ? 'Everything' : 'In scope'} as of {validAsOf ? formatDay(asOf) : '…'}
            </p>
            {preview.isError ? (
              <ErrorNotice error={preview.error} />
            ) : (
              <>
                <p className="preview-count" aria-live="polite">
                  <span className="preview-number">{count === undefined ? '…' : formatCount(count)}</span>{' '}
                  {count === 1 ? 'identity' : 'identities'}
                </p>
                {preview.data && preview.data.identities > 0 && (
                  <div className="preview-facts">
                    <h3 className="preview-group">By source</h3>
                    <dl className="preview-facts">
                      {preview.data.bySource.map((s) => (
                        <div key={`source-${s.value}`} className="preview-fact">
                          <dt>{s.value}</dt>
                          <dd>{formatCount(s.count)}</dd>
                        </div>
                      ))}
                    </dl>
                    <h3 className="preview-group">By kind</h3>
                    <dl className="preview-facts">
                      {preview.data.byKind.map((k) => (
                        <div key={`kind-${k.value}`} className="preview-fact">
                          <dt>{KIND_LABELS[k.value]}</dt>
                          <dd>{formatCount(k.count)}</dd>
                        </div>
                      ))}
                    </dl>
                    <h3 className="preview-group">Risk and reviewers</h3>
                    <dl className="preview-facts">
                      <div className="preview-fact preview-fact-strong">
                        <dt>With risk signals</dt>
                        <dd>{formatCount(preview.data.withSignals)}</dd>
                      </div>
                      <div className="preview-fact preview-fact-strong">
                        <dt>
                          <ShieldAlert className="preview-fact-icon" aria-hidden="true" />
                          High risk
                        </dt>
                        <dd>{formatCount(preview.data.highRisk)}</dd>
                      </div>
                      <div className="preview-fact">
                        <dt>Reviewers</dt>
                        <dd>{formatCount(preview.data.reviewers.length)}</dd>
                      </div>
                      <div className="preview-fact">
                        <dt>To the campaign owner</dt>
                        <dd>{formatCount(preview.data.toCampaignOwner)}</dd>
                      </div>
                    </dl>
                  </div>
                )}
                {preview.data && preview.data.identities === 0 && (
                  <p className="preview-empty">
                    Nothing matches this scope at this date. Widen it to launch.
                  </p>
                )}
              </>
            )}
            <ReviewerRule />
          </aside>
        </div>
      )}
    </Modal>
  );
}
