import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleAlert, CircleCheck, RotateCcw, TriangleAlert } from 'lucide-react';
import { Label } from 'radix-ui';
import { useId, useRef, useState, type FormEvent, type Ref } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import {
  HIGH_RISK_CANDIDATES,
  OWASP_NHI_TOP_10,
  RISK_POLICY_FIELDS,
  RISK_POLICY_LIMITS,
  RISK_SIGNALS,
  type HighRiskCandidate,
  type RiskPolicy,
} from '../../../shared/domain/risk';
import { BridgeError, call, isBridgeError } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { useFocusRequest } from '../components/use-focus-request';
import { PatternListEditor } from './pattern-list-editor';
import { riskPolicyProblems, type RiskPolicyField, type RiskPolicyProblems } from './risk-policy-problems';
import './risk-policy.css';

type PolicyState = MethodOutput<'policy.get'>;

/** Drawn from the vault, so dropped with everything else when it locks. */
const riskPolicyKey = ['risk', 'policy'] as const;

type NumberField = 'staleDays' | 'maxCredentialAgeDays' | 'farFutureExpiryYears';
const NUMBER_FIELDS: readonly NumberField[] = ['staleDays', 'maxCredentialAgeDays', 'farFutureExpiryYears'];

/** What the form holds: numbers as typed, so a half-typed or empty value is shown as it is. */
interface Draft {
  staleDays: string;
  maxCredentialAgeDays: string;
  farFutureExpiryYears: string;
  privilegedNamePatterns: string[];
  highRiskSignals: HighRiskCandidate[];
}

function draftOf(policy: RiskPolicy): Draft {
  return {
    staleDays: String(policy.staleDays),
    maxCredentialAgeDays: String(policy.maxCredentialAgeDays),
    farFutureExpiryYears: String(policy.farFutureExpiryYears),
    privilegedNamePatterns: [...policy.privilegedNamePatterns],
    highRiskSignals: [...policy.highRiskSignals],
  };
}

/** Empty or not a number becomes NaN, which the core refuses in the field's own words. */
function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

function policyOf(draft: Draft): RiskPolicy {
  return {
    staleDays: numberOf(draft.staleDays),
    maxCredentialAgeDays: numberOf(draft.maxCredentialAgeDays),
    farFutureExpiryYears: numberOf(draft.farFutureExpiryYears),
    privilegedNamePatterns: draft.privilegedNamePatterns,
    // In the order the signals are listed, so a saved policy reads the same way every time.
    highRiskSignals: HIGH_RISK_CANDIDATES.filter((code) => draft.highRiskSignals.includes(code)),
  };
}

function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(policyOf(a)) === JSON.stringify(policyOf(b));
}

/** The help texts end by stating the default; the form shows it beside the field instead. */
function helpWithoutDefault(field: RiskPolicyField): string {
  return RISK_POLICY_FIELDS[field].help.replace(/\s*Default: .*$/, '');
}

const owaspNames = new Map(OWASP_NHI_TOP_10.map((risk) => [risk.id, risk.name]));

export function RiskPolicySection() {
  const policy = useQuery({ queryKey: riskPolicyKey, queryFn: () => call('policy.get', {}) });
  return (
    <section className="panel" aria-labelledby="settings-risk-policy">
      <h2 id="settings-risk-policy" className="panel-title">
        Risk policy
      </h2>
      <p className="panel-description">
        The thresholds and choices behind every risk signal Steward shows. They are kept in this vault and
        apply to every review drawn from it.
      </p>
      {policy.isError && <ErrorNotice error={policy.error} />}
      {policy.isPending && <p className="panel-description">Reading the risk policy…</p>}
      {policy.isSuccess && <RiskPolicyForm state={policy.data} />}
    </section>
  );
}

function RiskPolicyForm({ state }: { state: PolicyState }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(state.policy));
  const [problems, setProblems] = useState<RiskPolicyProblems>({ fields: {}, rest: null });
  const [outcome, setOutcome] = useState<'saved' | 'restored' | null>(null);
  const defaults = state.defaults;
  const defaultDraft = draftOf(defaults);
  const requestFocus = useFocusRequest();
  const staleRef = useRef<HTMLInputElement>(null);
  const credentialAgeRef = useRef<HTMLInputElement>(null);
  const farFutureRef = useRef<HTMLInputElement>(null);
  const patternsRef = useRef<HTMLInputElement>(null);
  const signalsRef = useRef<HTMLInputElement>(null);
  const numberRefs = {
    staleDays: staleRef,
    maxCredentialAgeDays: credentialAgeRef,
    farFutureExpiryYears: farFutureRef,
  };

  const save = useMutation({
    mutationFn: (next: RiskPolicy) => call('policy.update', { policy: next }),
    onSuccess: (saved) => {
      queryClient.setQueryData(riskPolicyKey, saved);
      setDraft(draftOf(saved.policy));
      setOutcome('saved');
    },
    onError: (error) => {
      if (!isBridgeError(error) || error.code !== 'INVALID_INPUT') return;
      const found = riskPolicyProblems(error.message);
      setProblems(found);
      const first = (Object.keys(RISK_POLICY_FIELDS) as RiskPolicyField[]).find((f) => found.fields[f]);
      const refs = { ...numberRefs, privilegedNamePatterns: patternsRef, highRiskSignals: signalsRef };
      if (first) requestFocus(refs[first], { select: NUMBER_FIELDS.includes(first as NumberField) });
    },
  });
  const formError =
    save.error && !(isBridgeError(save.error) && save.error.code === 'INVALID_INPUT')
      ? save.error
      : problems.rest
        ? new BridgeError('INVALID_INPUT', problems.rest)
        : null;

  /** Any edit starts a new attempt: the last outcome and that field's problem no longer apply. */
  function edit(field: RiskPolicyField, change: Partial<Draft>) {
    setDraft((current) => ({ ...current, ...change }));
    setOutcome(null);
    setProblems((current) => ({ fields: { ...current.fields, [field]: undefined }, rest: current.rest }));
    if (!save.isPending) save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    setProblems({ fields: {}, rest: null });
    setOutcome(null);
    save.mutate(policyOf(draft));
  }

  function restoreDefaults() {
    setDraft(draftOf(defaults));
    setProblems({ fields: {}, rest: null });
    setOutcome('restored');
    save.reset();
  }

  function toggleSignal(code: HighRiskCandidate, checked: boolean) {
    const next = checked
      ? [...draft.highRiskSignals, code]
      : draft.highRiskSignals.filter((existing) => existing !== code);
    edit('highRiskSignals', { highRiskSignals: next });
  }

  const isDefaultNow = sameDraft(draft, defaultDraft);
  const isUnsaved = !sameDraft(draft, draftOf(state.policy));

  return (
    <form className="risk-policy-form" onSubmit={submit} noValidate>
      {state.problem && (
        <div role="alert" className="notice notice-warning">
          <TriangleAlert className="notice-icon" aria-hidden="true" />
          <div>
            <p className="notice-title">The saved risk policy could not be used.</p>
            <p>{state.problem}</p>
          </div>
        </div>
      )}

      <fieldset className="risk-policy-group risk-policy-thresholds">
        <legend className="risk-policy-legend">Thresholds</legend>
        {NUMBER_FIELDS.map((field) => (
          <NumberPolicyField
            key={field}
            ref={numberRefs[field]}
            field={field}
            value={draft[field]}
            defaultValue={defaults[field]}
            error={problems.fields[field] ?? null}
            onChange={(value) => edit(field, { [field]: value })}
          />
        ))}
      </fieldset>

      <PatternListEditor
        ref={patternsRef}
        label={RISK_POLICY_FIELDS.privilegedNamePatterns.label}
        description={helpWithoutDefault('privilegedNamePatterns').replace(', one per line', '')}
        emptyText={
          defaults.privilegedNamePatterns.length === 0
            ? 'None added. Default: none.'
            : `None added. Default: ${defaults.privilegedNamePatterns.join(', ')}.`
        }
        patterns={draft.privilegedNamePatterns}
        onChange={(patterns) => edit('privilegedNamePatterns', { privilegedNamePatterns: patterns })}
        error={problems.fields.privilegedNamePatterns ?? null}
        maxLength={RISK_POLICY_LIMITS.privilegedNamePatterns.maxLength}
      />

      <HighRiskSignalsField
        firstRef={signalsRef}
        selected={draft.highRiskSignals}
        defaults={defaults.highRiskSignals}
        error={problems.fields.highRiskSignals ?? null}
        onToggle={toggleSignal}
      />

      {formError && <ErrorNotice error={formError} />}
      <div role="status" className="form-status">
        {outcome === 'saved' && (
          <p className="notice notice-success">
            <CircleCheck className="notice-icon" aria-hidden="true" />
            <span>Risk policy saved. Steward uses it for every risk signal from now on.</span>
          </p>
        )}
        {outcome === 'restored' && (
          <p className="notice notice-info">
            <RotateCcw className="notice-icon" aria-hidden="true" />
            <span>
              {isUnsaved
                ? 'The default policy is filled in. Save to use it.'
                : 'The default policy is filled in; it is already the saved policy.'}
            </span>
          </p>
        )}
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending} busyLabel="Saving…">
          Save risk policy
        </Button>
        <Button icon={RotateCcw} onClick={restoreDefaults} disabled={save.isPending || isDefaultNow}>
          Restore defaults
        </Button>
      </div>
    </form>
  );
}

interface NumberPolicyFieldProps {
  field: NumberField;
  value: string;
  defaultValue: number;
  error: string | null;
  onChange: (value: string) => void;
  ref: Ref<HTMLInputElement>;
}

function NumberPolicyField({ field, value, defaultValue, error, onChange, ref }: NumberPolicyFieldProps) {
  const inputId = useId();
  const helpId = useId();
  const defaultId = useId();
  const errorId = useId();
  const { min, max } = RISK_POLICY_LIMITS[field];
  const describedBy = [error ? errorId : null, defaultId, helpId].filter(Boolean).join(' ');
  return (
    <div className="policy-number">
      <div className="policy-number-text">
        <Label.Root className="field-label" htmlFor={inputId}>
          {RISK_POLICY_FIELDS[field].label}
        </Label.Root>
        <p id={helpId} className="field-description">
          {helpWithoutDefault(field)} From {min} to {max}.
        </p>
      </div>
      <div className="policy-number-control">
        <input
          ref={ref}
          id={inputId}
          className="text-input policy-number-input"
          inputMode="numeric"
          autoComplete="off"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
        <span id={defaultId} className="policy-default">
          Default: {defaultValue}
        </span>
      </div>
      {error && (
        <p id={errorId} className="field-error policy-number-error">
          <CircleAlert className="field-error-icon" aria-hidden="true" />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}

interface HighRiskSignalsFieldProps {
  firstRef: Ref<HTMLInputElement>;
  selected: HighRiskCandidate[];
  defaults: HighRiskCandidate[];
  error: string | null;
  onToggle: (code: HighRiskCandidate, checked: boolean) => void;
}

function HighRiskSignalsField({ firstRef, selected, defaults, error, onToggle }: HighRiskSignalsFieldProps) {
  const helpId = useId();
  const errorId = useId();
  const idPrefix = useId();
  return (
    <fieldset
      className="risk-policy-group"
      aria-describedby={[error ? errorId : null, helpId].filter(Boolean).join(' ')}
      aria-invalid={error ? true : undefined}
    >
      <legend className="risk-policy-legend">{RISK_POLICY_FIELDS.highRiskSignals.label}</legend>
      <p id={helpId} className="field-description">
        {helpWithoutDefault('highRiskSignals')} Under each signal is the OWASP Non-Human Identities Top 10
        risk it belongs to; those marked Default are high risk unless you change them.
      </p>
      <ul className="signal-list">
        {HIGH_RISK_CANDIDATES.map((code, index) => {
          const signal = RISK_SIGNALS[code];
          const owasp = signal.owasp;
          const id = `${idPrefix}-${code}`;
          const isDefault = defaults.includes(code);
          return (
            <li key={code}>
              <label className="signal-option">
                <input
                  ref={index === 0 ? firstRef : undefined}
                  type="checkbox"
                  className="signal-checkbox"
                  checked={selected.includes(code)}
                  onChange={(event) => onToggle(code, event.target.checked)}
                  aria-labelledby={`${id}-name`}
                  aria-describedby={
                    [owasp ? `${id}-owasp` : null, isDefault ? `${id}-default` : null]
                      .filter(Boolean)
                      .join(' ') || undefined
                  }
                />
                <span className="signal-text">
                  <span id={`${id}-name`} className="signal-name">
                    {signal.label}
                  </span>
                  {owasp && (
                    <span id={`${id}-owasp`} className="signal-owasp">
                      <span className="signal-owasp-id">{owasp}</span> {owaspNames.get(owasp)}
                    </span>
                  )}
                </span>
                {isDefault && (
                  <span id={`${id}-default`} className="signal-default" title="High risk by default">
                    Default
                  </span>
                )}
              </label>
            </li>
          );
        })}
      </ul>
      {error && (
        <p id={errorId} className="field-error">
          <CircleAlert className="field-error-icon" aria-hidden="true" />
          <span>{error}</span>
        </p>
      )}
    </fieldset>
  );
}
